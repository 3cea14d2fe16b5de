import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { SCENARIOS } from '../../scripts/history-scenarios';
import { bearer } from '../helpers/api';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * In a real browser, in Chinese: an administrator manages the webhook targets (creates one, sees it listed,
 * removes it after confirming), sets a user's email address and reads the delivery log; a wrong URL is
 * refused in plain Chinese; someone else has no link to the page and is told so if they open it. Then an
 * observer of an error-tolerance case (version 3 copies the ruling to the county organisation department) finds
 * it under 抄送我 and reads it with no action to take. Screenshots go to test-results/screenshots/.
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;
const text = (key: string, params: Record<string, string> = {}) =>
  Object.entries(params).reduce((s, [k, v]) => s.replace(`{${k}}`, v), zh[key] as string);

describe('notification settings and 抄送我 in a browser', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-notification-settings'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('an administrator creates, sees and removes a webhook target, sets an email and reads the delivery log', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'admin-1');
    await page.getByRole('link', { name: text('nav.notifications') }).click();
    await page.waitForURL('**/admin/notifications');
    await page.getByText(text('admin.targets.empty')).waitFor();
    const log = page.locator('[data-testid=delivery-log]');
    await log.getByRole('heading', { name: text('admin.deliveries') }).waitFor();
    await log.getByText(text('admin.deliveries.empty')).waitFor();

    const form = page.locator('[data-testid=webhook-target-form]');
    await form.getByLabel(text('admin.target.id')).fill('gl-dingtalk');
    await form.getByLabel(text('admin.target.name')).fill('鼓楼区社工部钉钉群');
    await form.getByLabel(text('admin.target.format')).selectOption('dingtalk');
    await form.getByLabel(text('admin.target.secret')).fill('SEC-0123456789abcdef');
    await form.getByLabel(text('admin.target.orgPath')).selectOption({ label: '鼓楼区' });
    // Plain http is refused by the server; the Chinese page names the field, not the server's English.
    await form.getByLabel(text('admin.target.url')).fill('http://oapi.dingtalk.com/robot/send?access_token=t0k3n');
    await form.getByRole('button', { name: text('admin.target.save') }).click();
    const error = form.locator('[data-testid=admin-error][data-status="400"]');
    await error.waitFor();
    expect(await error.textContent()).toContain(text('admin.fieldWrong', { field: text('admin.target.url') }));
    expect(await error.textContent()).not.toMatch(/[A-Za-z]{3,}/);

    await form.getByLabel(text('admin.target.url')).fill('https://oapi.dingtalk.com/robot/send?access_token=t0k3n');
    await form.getByRole('button', { name: text('admin.target.save') }).click();
    await page.getByText(text('admin.target.created', { id: 'gl-dingtalk' })).waitFor();
    const row = page.locator('[data-testid=webhook-targets] tr[data-target-id=gl-dingtalk]');
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(cells).toEqual(
      expect.arrayContaining([
        '鼓楼区社工部钉钉群',
        text('admin.format.dingtalk'),
        'https://oapi.dingtalk.com/robot/send?access_token=t0k3n',
        text('admin.target.secretSet'),
        '鼓楼区',
      ]),
    );
    expect(await page.content()).not.toContain('SEC-0123456789abcdef');
    const stored = await fetch(`${stack.baseUrl}/api/v1/admin/webhook-targets`, { headers: { Authorization: await bearer('admin-1') } });
    expect(await stored.json()).toEqual([
      expect.objectContaining({ id: 'gl-dingtalk', format: 'dingtalk', orgPath: '/js/nj/gl/', hasSecret: true }),
    ]);

    const email = page.locator('[data-testid=user-email]');
    await email.getByLabel(text('admin.email.user')).selectOption('sec-jsl');
    await email.getByLabel(text('admin.email.address')).fill('sec-jsl@example.org');
    await email.getByRole('button', { name: text('admin.email.save') }).click();
    // The person by name, as the list showed them (姓名（单位·职务）), not by login id.
    const secretary = (await email.locator('option[value="sec-jsl"]').textContent()) as string;
    expect(secretary).not.toContain('sec-jsl');
    await email.getByText(text('admin.email.saved', { user: secretary, email: 'sec-jsl@example.org' })).waitFor();
    // A new task for the community secretary now goes out by email too: the log lists the delivery.
    const submitted = await fetch(`${stack.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: await bearer('clerk-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'promotion', subjectId: 'w-jsl-03', payload: { kind: 'regular' } }),
    });
    expect(submitted.status).toBe(201);
    const kase = (await submitted.json()) as { id: string; subject: { name: string } };
    const viewed = await fetch(`${stack.baseUrl}/api/v1/cases/${kase.id}`, { headers: { Authorization: await bearer('clerk-jsl') } });
    const { number } = (await viewed.json()) as { number: string };
    expect(number).toMatch(/^晋升-\d{4}-\d{4}$/);
    // …and to the target just created, whose area holds the case: one delivery for each channel, the case named by
    // its short number and subject (its id only in the API's answer, for tracing).
    const logRow = (channel: string) => log.locator(`tr[data-channel=${channel}]`, { hasText: number });
    const until = Date.now() + 30_000;
    while (!(await logRow('email').count()) || !(await logRow('webhook').count())) {
      if (Date.now() > until) throw new Error('the new task is not in the delivery log');
      await log.getByRole('button', { name: text('common.refresh') }).click();
      await new Promise((r) => setTimeout(r, 500));
    }
    const statuses = ['pending', 'sending', 'sent', 'failed'].map((x) => text(`admin.delivery.status.${x}`));
    for (const [channel, target] of [
      ['email', text('admin.delivery.byEmail')],
      ['webhook', '鼓楼区社工部钉钉群'],
    ] as const) {
      const cells = await logRow(channel).first().locator('td').allTextContents();
      expect(cells.slice(0, 4)).toEqual([
        text(`admin.channel.${channel}`),
        target,
        `${number} · ${kase.subject.name} · 岗位等级晋升`,
        text('notifications.kind.task'),
      ]);
      const link = logRow(channel).first().getByRole('link', { name: number });
      expect(await link.getAttribute('href')).toBe(`/cases/${kase.id}`);
      expect(statuses).toContain(cells[4]);
      expect(cells[5]).toMatch(/^\d+$/);
      // Times to the second (the last attempt, the delivery), or a dash before there is one.
      for (const time of cells.slice(7, 9)) expect(time).toMatch(/^(—|.*\d:\d{2}:\d{2}.*)$/);
    }
    await screenshot(page, 'zh-60-notification-settings');
    // What the administrator typed stays as typed (the target's identifier, its address); no case id is shown.
    await expectPlainChinese(page, 'the notification settings with deliveries', [
      'gl-dingtalk',
      'https://oapi.dingtalk.com/robot/send?access_token=t0k3n',
    ]);

    // Replacing keeps the identifier; the secret is never shown back, and an empty one now means unsigned.
    await row.getByRole('button', { name: text('admin.target.edit') }).click();
    await form.getByRole('heading', { name: text('admin.target.replace', { id: 'gl-dingtalk' }) }).waitFor();
    expect(await form.getByLabel(text('admin.target.id')).inputValue()).toBe('gl-dingtalk');
    expect(await form.getByLabel(text('admin.target.secret')).inputValue()).toBe('');
    await form.getByLabel(text('admin.target.name')).fill('鼓楼区社工部群');
    await form.getByRole('button', { name: text('admin.target.save') }).click();
    await page.getByText(text('admin.target.replaced', { id: 'gl-dingtalk' })).waitFor();
    await row.getByText('鼓楼区社工部群', { exact: true }).waitFor();
    expect(await row.locator('td').allTextContents()).toContain(text('admin.target.secretNone'));

    // Removing asks first; cancelling keeps the target.
    await row.getByRole('button', { name: text('admin.target.remove') }).click();
    await row.getByText(text('admin.target.confirmRemove', { id: 'gl-dingtalk' })).waitFor();
    await row.getByRole('button', { name: text('common.cancel') }).click();
    await row.getByRole('button', { name: text('admin.target.remove') }).click();
    await row.getByRole('button', { name: text('admin.target.remove') }).click();
    await page.getByText(text('admin.target.removed', { id: 'gl-dingtalk' })).waitFor();
    await row.waitFor({ state: 'detached' });
    await page.getByText(text('admin.targets.empty')).waitFor();
    const after = await fetch(`${stack.baseUrl}/api/v1/admin/webhook-targets`, { headers: { Authorization: await bearer('admin-1') } });
    expect(await after.json()).toEqual([]);
    // The browser logs the refused http URL's response itself (once); nothing else may go wrong.
    expect(problems).toEqual([
      expect.stringMatching(/^console: Failed to load resource: the server responded with a status of 400 \(Bad Request\)/),
    ]);
    await context.close();
  });

  test('someone who is not an administrator has no link, and opening the page shows the 403 plainly', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'sec-jsl');
    await page.getByRole('link', { name: text('nav.inbox') }).waitFor();
    expect(await page.getByRole('link', { name: text('nav.notifications') }).count()).toBe(0);
    await page.goto(`${stack.baseUrl}/admin/notifications`);
    const error = page.locator('[data-testid=admin-error][data-status="403"]');
    await error.waitFor();
    expect(await error.textContent()).toContain(text('admin.forbidden'));
    expect(await page.locator('[data-testid=webhook-target-form]').count()).toBe(0);
    await screenshot(page, 'zh-61-notification-settings-forbidden');
    // The browser logs the 403 response itself; nothing else may go wrong.
    expect(problems.filter((p) => !p.includes('status of 403'))).toEqual([]);
    await context.close();
  });

  test('an observer finds the copied error-tolerance case under 抄送我 and reads it without actions', async () => {
    const scenario = SCENARIOS['error-tolerance'].find((s) => s.version === undefined) as (typeof SCENARIOS)['error-tolerance'][number];
    const submitted = await fetch(`${stack.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: await bearer(scenario.applicantId), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'error-tolerance', subjectId: scenario.subjectId, payload: scenario.payload }),
    });
    expect(submitted.status).toBe(201);
    const kase = (await submitted.json()) as { id: string; subject: { name: string }; definitionVersion: number };
    expect(kase.definitionVersion).toBe(3);
    // Acceptance, verification, the statement, then the collective decision: the ruling copies 组织人事部门.
    for (const { by, ...body } of scenario.steps.slice(0, 4)) {
      const until = Date.now() + 30_000;
      for (;;) {
        const res = await fetch(`${stack.baseUrl}/api/v1/cases/${kase.id}/actions`, {
          method: 'POST',
          headers: { Authorization: await bearer(by), 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (res.status === 200) break;
        if (res.status !== 409 || Date.now() > until) throw new Error(`${by} ${body.action}: ${res.status} ${await res.text()}`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }

    // The copy reaches the read model with the decision's events; the inbox is read once it is there.
    const until = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`${stack.baseUrl}/api/v1/cases?copiedToMe=true`, { headers: { Authorization: await bearer('zzb-2') } });
      const ids = ((await res.json()) as { items: { id: string }[] }).items.map((c) => c.id);
      if (ids.includes(kase.id)) break;
      if (Date.now() > until) throw new Error(`zzb-2 was not copied: ${JSON.stringify(ids)}`);
      await new Promise((r) => setTimeout(r, 250));
    }

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'zzb-2');
    await page.getByRole('tab', { name: text('inbox.tab.copied') }).click();
    const copied = page.locator('[data-testid=copied]');
    const link = copied.getByRole('link', { name: kase.subject.name });
    await link.waitFor();
    await screenshot(page, 'zh-62-copied-to-me');
    await expectPlainChinese(page, 'the inbox, 抄送我');
    await link.click();
    await page.waitForURL(`**/cases/${kase.id}`);
    await page.locator(`[data-testid=case-page][data-case-id="${kase.id}"]`).waitFor();
    await page.locator('[data-testid=timeline]').waitFor();
    // Read-only: no action section and no action button, although the case is open at the next stage.
    expect(await page.locator('[data-testid=actions]').count()).toBe(0);
    expect(await page.locator('button.action-button').count()).toBe(0);
    await screenshot(page, 'zh-63-copied-case-read-only');
    await expectPlainChinese(page, 'a case copied to me, read-only');
    expect(problems).toEqual([]);
    await context.close();
  });
});
