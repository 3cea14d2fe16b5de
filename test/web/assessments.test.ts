import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * The annual assessment in a real browser against the real API, Temporal and PostgreSQL: the community clerk opens
 * the year and lands on its page, which lists every worker with their own case; records a worker's 民主测评 scores
 * (shown as the weighted score); and a proposal over the 优秀 cap is refused with the server's reason on the page.
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

describe('annual assessments in the web UI', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-assessments'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('a community clerk opens the year, records scores, and sees a proposal over the cap refused', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'clerk-jsl');
    await page.locator(`nav a[href="/assessments"]`).click();
    expect(await page.locator('h1').textContent()).toBe(zh['assessments.title']);
    const form = page.locator('[data-testid=open-assessment]');
    await form.locator('input').first().fill('jsl');
    // A year of its own: the test files share one Temporal server, where an assessment's id names its community and year.
    await form.locator('input[type=number]').fill('2098');
    await form.locator('button[type=submit]').click();

    await page
      .locator('[data-testid=assessment-members] tr[data-worker-id="w-jsl-03"]')
      .waitFor()
      .catch(async (err: unknown) => {
        throw new Error(`${String(err)}\n${await page.locator('main').textContent()}`);
      });
    expect(await page.locator('[data-testid=assessment-members] tbody tr').count()).toBe(11);
    expect(await page.locator('[data-testid=assessment-facts] dd[data-stage]').textContent()).toBe(zh['assessments.stage.evaluation']);
    expect(decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string)).toBe('annual-assessment-jsl-2098');

    await expectPlainChinese(page, 'an annual assessment');

    // 民主测评: the clerk records a worker's scores from the sheets.
    const scores = page.locator('[data-testid=scores]');
    await scores.locator('select').selectOption('w-jsl-03');
    await scores.locator('textarea').fill('居民代表 甲, residents, 90\n同事 乙, colleagues, 80');
    await scores.locator('button[type=submit]').click();
    await page.locator('[data-testid=assessment-members] tr[data-worker-id="w-jsl-03"]').getByText('85 (2)').waitFor();

    // Three 优秀 of eleven: over the cap of a fifth, refused with the rule's figures.
    const proposal = page.locator('[data-testid=proposal]');
    for (const w of ['w-jsl-03', 'w-jsl-04', 'w-jsl-05'])
      await proposal.locator(`fieldset[data-worker-id="${w}"] select`).selectOption('excellent');
    await proposal.locator('button[type=submit]').click();
    await proposal.getByText('at most 2').waitFor();
    await screenshot(page, 'zh-46-annual-assessment');
    await expectPlainChinese(page, 'an annual assessment, a proposal refused');
    await page.locator(`nav a[href="/assessments"]`).click();
    await page.locator('[data-testid=open-assessment]').waitFor();
    await expectPlainChinese(page, 'the annual assessments');
    // The refusal is the one failed request.
    expect(problems).toEqual(['console: Failed to load resource: the server responded with a status of 422 (Unprocessable Entity)']);
    await context.close();
  }, 180_000);
});
