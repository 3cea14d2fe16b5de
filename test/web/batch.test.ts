import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { bearer } from '../helpers/api';
import { launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * Batch approval in the inbox, in a real browser against the real API, Temporal and PostgreSQL: the community
 * party secretary ticks two promotions waiting for the community recommendation and approves them with one
 * action; an exit waiting for the same person would never be offered (the server refuses it in a batch too).
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

describe('batch approval in the inbox', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-batch'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const submit = async (subjectId: string, type = 'promotion', payload: Record<string, unknown> = { kind: 'regular' }) => {
    const res = await fetch(`${stack.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: await bearer('clerk-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type, subjectId, payload }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const stageOf = async (caseId: string) => {
    const res = await fetch(`${stack.baseUrl}/api/v1/cases/${caseId}`, { headers: { Authorization: await bearer('auditor-1') } });
    return ((await res.json()) as { currentStage: { id: string } | null }).currentStage?.id ?? null;
  };

  test('two promotions recommended with one action', async () => {
    const deputy = await submit('w-jsl-02');
    const staff = await submit('w-jsl-03');
    // A commendation also waits for the community party organisation, at a stage that is never batched.
    const commendation = await submit('w-jsl-02', 'commendation', {
      awardTitle: '鼓楼区优秀社区工作者',
      achievements: '疫情防控和防汛工作中表现突出',
      level: 'county',
    });

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'sec-jsl');
    const section = page.locator('[data-testid=batch-approval]');
    await section.waitFor();
    expect(await section.locator('h2').textContent()).toBe(zh['batch.title']);
    await section.locator(`input[data-case-id="${deputy}"]`).waitFor();
    expect(await section.locator(`input[data-case-id="${commendation}"]`).count()).toBe(0);

    await section.locator(`input[data-case-id="${deputy}"]`).check();
    await section.locator(`input[data-case-id="${staff}"]`).check();
    await section.locator('input:not([type=checkbox])').fill('同意推荐');
    await section.locator('button[type=submit]').click();
    await section.locator(`.batch-result li[data-case-id="${staff}"]`).waitFor();
    expect(await section.locator('.batch-result li').allTextContents()).toEqual([
      expect.stringContaining(zh['batch.approved'] as string),
      expect.stringContaining(zh['batch.approved'] as string),
    ]);
    await screenshot(page, 'zh-40-batch-approval');
    expect(await stageOf(deputy)).toBe('street-decision');
    expect(await stageOf(staff)).toBe('street-decision');
    expect(await stageOf(commendation)).toBe('nomination');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
