import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { bearer } from '../helpers/api';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * The yearly promotion round in a real browser against the real API, Temporal and PostgreSQL: the street clerk
 * opens a round with the list and lands on its page, which shows each person with the state of their own case;
 * after the community recommends the list, the page shows them at the street's decision.
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

describe('promotion rounds in the web UI', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-rounds'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('a street clerk opens a round and follows its members', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'clerk-nhl');
    await page.locator(`nav a[href="/rounds"]`).click();
    expect(await page.locator('h1').textContent()).toBe(zh['rounds.title']);
    const form = page.locator('[data-testid=open-round]');
    await form.locator('input').first().fill('nhl');
    // A year of its own: the test files share one Temporal server, where a round's id names its street and year.
    await form.locator('input[type=number]').fill('2099');
    await form.locator('textarea').fill('w-jsl-03');
    await form.locator('button[type=submit]').click();

    const rows = page.locator('[data-testid=round-members] tbody tr');
    await page
      .locator('[data-testid=round-members] tr[data-worker-id="w-jsl-03"]')
      .waitFor()
      .catch(async (err: unknown) => {
        throw new Error(`${String(err)}\n${await page.locator('main').textContent()}`);
      });
    expect(await rows.count()).toBe(1);
    expect(await page.locator('[data-testid=round-facts] dd[data-stage]').textContent()).toBe(zh['rounds.stage.recommendation']);
    const roundId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    expect(roundId).toBe('promotion-round-nhl-2099');

    // The community recommends the list (the round's batch approval); the page shows the case at the street.
    const res = await fetch(`${stack.baseUrl}/api/v1/rounds/${roundId}/recommendation`, {
      method: 'POST',
      headers: { Authorization: await bearer('sec-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ comment: '同意推荐' }),
    });
    expect(res.status).toBe(200);
    await page.locator('main button.secondary').click();
    await page.locator('[data-testid=round-members] tr[data-worker-id="w-jsl-03"] [data-status="in_review"]').waitFor();
    await page.getByText('街道（乡镇）党（工）委集体研究决定').first().waitFor();
    await screenshot(page, 'zh-45-promotion-round');
    await expectPlainChinese(page, 'a round');
    await page.locator(`nav a[href="/rounds"]`).click();
    await page.locator('[data-testid=open-round]').waitFor();
    await expectPlainChinese(page, 'the rounds');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
