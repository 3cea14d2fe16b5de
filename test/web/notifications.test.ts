import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { bearer } from '../helpers/api';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * The notification bell in a real browser, in Chinese and in English: a new task shows as an unread count, the
 * panel lists it with its kind and the case's subject, "mark all read" clears the count, and the channels are
 * saved. Screenshots go to test-results/screenshots/.
 */

const dict = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;

describe('the notification bell in a browser', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-notifications'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test.each([
    { lang: 'zh-CN' as const, prefix: 'zh', clerk: 'clerk-jsl', worker: 'w-jsl-03', community: 'sec-jsl' },
    { lang: 'en' as const, prefix: 'en', clerk: 'clerk-jyj', worker: 'w-jyj-03', community: 'sec-jyj' },
  ])('$lang: a new task rings the bell; marked read; channels saved', async (cast) => {
    const text = dict(cast.lang);
    const res = await fetch(`${stack.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: await bearer(cast.clerk), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'promotion', subjectId: cast.worker, payload: { kind: 'regular' } }),
    });
    expect(res.status).toBe(201);
    const kase = (await res.json()) as { id: string; subject: { name: string } };

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: cast.lang });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, cast.community);
    if (cast.lang === 'en') {
      await page.locator('button[data-lang=en]').click();
      await page.locator('html[lang=en]').waitFor();
    }
    const bell = page.locator('[data-testid=notification-bell]');
    await page.locator('[data-testid=notification-bell]:not([data-unread="0"])').waitFor();
    await bell.click();
    const item = page.locator('[data-testid=notification]', { hasText: kase.subject.name });
    await item.waitFor();
    expect(await item.textContent()).toContain(text['notifications.kind.task']);
    await screenshot(page, `${cast.prefix}-50-notifications`);
    if (cast.lang === 'zh-CN') await expectPlainChinese(page, 'the notifications, open');

    await page.getByRole('button', { name: text['notifications.markAllRead'] }).click();
    await page.locator('[data-testid=notification-bell][data-unread="0"]').waitFor();
    // The box follows what the server saved (it is checked again only from the stored preferences).
    await page.getByLabel(text['notifications.email'] as string).click();
    await page.getByText(text['notifications.saved'] as string).waitFor();
    await page.locator('.bell-panel fieldset input[type=checkbox]:not(:checked)').waitFor();
    const prefs = await fetch(`${stack.baseUrl}/api/v1/me/notification-preferences`, {
      headers: { Authorization: await bearer(cast.community) },
    });
    expect(await prefs.json()).toMatchObject({ inApp: true, email: false });

    await item.locator('a').click();
    await page.waitForURL(`**/cases/${kase.id}`);
    expect(problems).toEqual([]);
    await context.close();
  });
});
