import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { addDays } from '../../domain/dates';
import { bearer } from '../helpers/api';
import { TEST_TODAY } from '../helpers/env';
import { caseStatus, expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * A clerk submits an appeal (复核申诉) and a secondment (借调) in the web UI in Chinese, in a real browser against
 * the real Temporal server and PostgreSQL. Each first meets its refusal, shown as a plain-language message with
 * the rule's reason (an appeal out of time; a secondment longer than the limit), then goes in once corrected. The
 * pages never show what the payload names by its id: the appeal's case page names the disciplinary measure appealed
 * (for its clerk and its county hearer, and in English on a phone), an extension's the secondment it extends by its
 * short number and the worker, linking to it.
 */

const dict = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;
const zh = dict('zh-CN');
const en = dict('en');
/** A day as the Chinese UI writes it (2026年11月22日). */
const zhDate = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

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

  const api = async (user: string, route: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${stack.baseUrl}/api/v1${route}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: await bearer(user), ...(init.body ? { 'Content-Type': 'application/json' } : {}) },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  /** Who the case waits for first, once its stage has opened. */
  async function firstAssignee(caseId: string): Promise<string> {
    for (let tries = 0; ; tries += 1) {
      const assignees = (await api('auditor-1', `/cases/${caseId}`)).body.assignees as string[];
      if (assignees[0]) return assignees[0];
      if (tries > 150) throw new Error(`case ${caseId} never waited for anyone`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Approves the case as the user, once its stage waits for them. */
  async function act(user: string, caseId: string): Promise<void> {
    for (let tries = 0; ; tries += 1) {
      const res = await api(user, `/cases/${caseId}/actions`, { method: 'POST', body: { action: 'approve' } });
      if (res.status === 200) return;
      if (res.status !== 409 || tries > 150) throw new Error(`${user} approve: ${res.status} ${JSON.stringify(res.body)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  async function caseOnceCompleted(caseId: string): Promise<{ number: string; subject: { name: string } }> {
    for (let tries = 0; ; tries += 1) {
      const view = (await api('auditor-1', `/cases/${caseId}`)).body;
      if (view.status === 'completed') return view as unknown as { number: string; subject: { name: string } };
      if (tries > 150) throw new Error(`case ${caseId} is ${String(view.status)}, not completed`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

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
    // The appealed measure is named by its kind, day and reason, never by its id.
    const appealed = page.locator('[data-testid=payload] [data-testid=case-ref][data-record]');
    await appealed.waitFor();
    expect(await appealed.innerText()).toBe(`${zh['worker.discipline.contract_warning']} · ${zhDate(addDays(TEST_TODAY, -5))} · 迟到早退`);
    // (The id stays in the data behind the reasons' 依据 toggle, for whoever checks the decision.)
    expect(await page.locator('[data-testid=case-page]').innerText()).not.toContain(recent.id);
    await screenshot(page, 'zh-appeal-submitted');
    await expectPlainChinese(page, 'the appeal submitted');
    const appealId = (await page.locator('[data-testid=case-page]').getAttribute('data-case-id')) as string;

    // The county body that hears it reads the same, in Chinese and (on a phone) in English.
    const hearer = await firstAssignee(appealId);
    await signIn(page, stack.baseUrl, hearer);
    await page.goto(`${stack.baseUrl}/cases/${appealId}`);
    await appealed.waitFor();
    await page.locator('button[data-action="approve"]').waitFor();
    await screenshot(page, 'zh-appeal-case-hearer');
    await expectPlainChinese(page, 'the appeal case page, its hearer');
    // The browser logs the designed 422; nothing else.
    expect(problems).toEqual([
      expect.stringMatching(/^console: Failed to load resource: the server responded with a status of 422 \(Unprocessable Entity\)/),
    ]);
    await context.close();

    const enContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en' });
    await enContext.addInitScript(`try { localStorage.setItem('cases.lang', 'en') } catch {}`);
    const phone = await openPage(enContext);
    await signIn(phone.page, stack.baseUrl, hearer);
    await phone.page.goto(`${stack.baseUrl}/cases/${appealId}`);
    const shown = phone.page.locator('[data-testid=payload] [data-testid=case-ref][data-record]');
    await shown.waitFor();
    const english = await shown.innerText();
    expect(english.startsWith(`${en['worker.discipline.contract_warning']} · `)).toBe(true);
    expect(english.endsWith(' · 迟到早退')).toBe(true);
    expect(await phone.page.locator('body').innerText()).not.toMatch(UUID);
    await screenshot(phone.page, 'en-phone-appeal-case-hearer');
    expect(phone.problems).toEqual([]);
    await enContext.close();
  }, 240_000);

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
    const first = (await page.locator('[data-testid=case-page]').getAttribute('data-case-id')) as string;

    // The street agrees and the county approves (through the API); then the clerk asks for an extension, whose
    // page names the secondment it extends by its number and the worker, linking to it.
    await act('dgw-hnl-1', first);
    await act('swb-1', first);
    const original = await caseOnceCompleted(first);
    await page.goto(`${stack.baseUrl}/submit?type=secondment&subject=w-gyl-07`);
    await page.locator('#payload-borrowingBody').fill('鼓楼区委社会工作部');
    await page.locator('#payload-reason').fill('基层治理专项工作');
    await page.locator('#payload-from').fill(addDays(today, 61));
    await page.locator('#payload-to').fill(addDays(today, 120));
    await page.locator('#payload-extensionOf').fill(first);
    await page.locator('[data-testid=eligibility-verdict][data-eligible=true]').waitFor();
    await page.locator('form.submit-form button[type=submit]').click();
    await page.locator('[data-testid=case-page]').waitFor();
    const extended = page.locator('[data-testid=payload] [data-testid=case-ref]');
    await extended.waitFor();
    expect(await extended.getAttribute('data-case-id')).toBe(first);
    expect(await extended.innerText()).toBe(`${original.number} · ${original.subject.name} · 借调`);
    expect(await page.locator('[data-testid=case-page]').innerText()).not.toContain(first);
    await screenshot(page, 'zh-secondment-extension-submitted');
    await expectPlainChinese(page, 'a secondment extension submitted');
    await extended.getByRole('link', { name: original.number }).click();
    await page.locator(`[data-testid=case-page][data-case-id="${first}"]`).waitFor();
    // The browser logs the designed 422; nothing else.
    expect(problems).toEqual([
      expect.stringMatching(/^console: Failed to load resource: the server responded with a status of 422 \(Unprocessable Entity\)/),
    ]);
    await context.close();
  }, 240_000);
});
