import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addDays } from '../../domain/dates';
import { TEST_TODAY } from '../helpers/env';
import { caseStatus, expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * A clerk submits an appeal (复核申诉) and a secondment (借调) in the web UI in Chinese, in a real browser against
 * the real Temporal server and PostgreSQL. Each first meets its refusal, shown as a plain-language message with
 * the rule's reason (an appeal out of time; a secondment longer than the limit), then goes in once corrected.
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

describe('submitting an appeal and a secondment in Chinese', () => {
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-appeal-secondment'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** Submits the form as it stands and answers the refusal shown (its title and the failed reasons' text). */
  async function refusalOf(page: Page) {
    await page.locator('form.submit-form button[type=submit]').click();
    const refusal = page.locator('form.submit-form > .error');
    await refusal.waitFor();
    return {
      title: await refusal.locator('.error-title').textContent(),
      failed: await refusal.locator('.reasons li.failed').allTextContents(),
    };
  }

  test('an appeal out of time is refused with the period and its last day; one in time goes in', async () => {
    // Two disciplinary measures on the worker's record: one decided 45 days ago, past the 30-day period, one 5 days ago.
    const measure = (daysAgo: number) =>
      stack.db.prisma.disciplinaryRecord.create({
        data: {
          workerId: 'w-mtj-07',
          kind: 'contract_warning',
          startDate: new Date(`${addDays(TEST_TODAY, -daysAgo)}T00:00:00.000Z`),
          reason: '迟到早退',
          recordedBy: 'hr-hnl',
        },
      });
    const [late, recent] = [await measure(45), await measure(5)];

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'clerk-mtj');
    await page.goto(`${stack.baseUrl}/submit?type=appeal&subject=w-mtj-07`);
    await page.locator('#payload-appealOf').fill(late.id);
    await page.locator('#payload-ground').selectOption('discipline');
    await page.locator('#payload-reason').fill('处分过重');
    await page.locator('[data-testid=eligibility-verdict][data-eligible=false]').waitFor();
    const refused = await refusalOf(page);
    expect(refused.title).toBe(zh['problem.business-rule']);
    expect(refused.failed).toEqual([expect.stringContaining(`复核申请期限（30日）已于${addDays(TEST_TODAY, -45 + 30)}届满`)]);
    await screenshot(page, 'zh-appeal-refused-out-of-time');
    await expectPlainChinese(page, 'an appeal refused out of time');

    await page.locator('#payload-appealOf').fill(recent.id);
    await page.locator('[data-testid=eligibility-verdict][data-eligible=true]').waitFor();
    await page.locator('form.submit-form button[type=submit]').click();
    await page.locator('[data-testid=case-page]').waitFor();
    expect(await caseStatus(page)).toBe('in_review');
    expect(await page.locator('[data-testid=case-page]').textContent()).toContain(recent.id);
    await screenshot(page, 'zh-appeal-submitted');
    // Not yet plain: the case page shows the appealed record by its id (appealOf), see the README's web UI notes.
    // The browser logs the designed 422; nothing else.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    await context.close();
  }, 180_000);

  test('a secondment over six months is refused with the latest end it may have; a shorter one goes in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'clerk-gyl');
    await page.goto(`${stack.baseUrl}/submit?type=secondment&subject=w-gyl-07`);
    await page.locator('#payload-borrowingBody').fill('鼓楼区委社会工作部');
    await page.locator('#payload-reason').fill('基层治理专项工作');
    await page.locator('#payload-from').fill(today);
    await page.locator('#payload-to').fill(addDays(today, 200));
    await page.locator('[data-testid=eligibility-verdict][data-eligible=false]').waitFor();
    const refused = await refusalOf(page);
    expect(refused.title).toBe(zh['problem.business-rule']);
    expect(refused.failed).toEqual([expect.stringContaining(`本次借调超过6个月：自${today}起最迟至`)]);
    await screenshot(page, 'zh-secondment-refused-over-limit');
    await expectPlainChinese(page, 'a secondment refused over its limit');

    await page.locator('#payload-to').fill(addDays(today, 60));
    await page.locator('[data-testid=eligibility-verdict][data-eligible=true]').waitFor();
    await page.locator('form.submit-form button[type=submit]').click();
    await page.locator('[data-testid=case-page]').waitFor();
    expect(await caseStatus(page)).toBe('in_review');
    await screenshot(page, 'zh-secondment-submitted');
    // The browser logs the designed 422; nothing else.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    await context.close();
  }, 180_000);
});
