import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * The records page in a real browser shows a worker's secondments (借调) and appeals (复核申诉): the seed's running
 * secondment, with its borrowing body and dates, in Chinese; a worker without either shows none.
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

describe('the records page: secondments and appeals', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-secondments'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('the seeded secondment is on the worker’s record', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'hr-hnl');
    await page.goto(`${stack.baseUrl}/records/w-gyl-06`);
    await page.locator('[data-testid=worker-page]').waitFor();
    const section = page.locator('section.card', { has: page.locator('h2', { hasText: zh['records.secondments'] }) });
    await section.waitFor();
    const text = (await section.textContent()) ?? '';
    expect(text).toContain('中共南京市鼓楼区委社会工作部');
    expect(text).toContain('基层治理专项工作（演示）');
    const appeals = page.locator('section.card', { has: page.locator('h2', { hasText: zh['records.appeals'] }) });
    expect(await appeals.textContent()).toContain(zh['common.none']);
    await screenshot(page, 'zh-records-secondment');
    await expectPlainChinese(page, 'a worker with a secondment');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
