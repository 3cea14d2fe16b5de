import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bearer } from '../helpers/api';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * The case page as an approver reads it, in a real browser against the real API, Temporal and PostgreSQL: the
 * short case number instead of the id, what is proposed from when, the reasons as sentences (their rule and data
 * behind "依据"), the flow diagram, the actions held at the bottom of the screen; a rejected case says who, when
 * and why at the top, and its clerk starts it again with everything filled in. Chinese and English, desktop
 * and phone; the Chinese pages show no raw key, English sentence or UUID.
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('the case page, approver first', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-case-page'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const submit = async (subjectId: string) => {
    const res = await fetch(`${stack.baseUrl}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: await bearer('clerk-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'promotion', subjectId, payload: { kind: 'regular' } }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { id: string; number: string };
  };

  async function openCase(lang: 'zh-CN' | 'en', viewport: typeof DESKTOP, user: string, caseId: string) {
    const context = await browser.newContext({ locale: lang, viewport });
    const { page, problems } = await openPage(context);
    if (lang === 'en') {
      await page.goto(`${stack.baseUrl}/`);
      await page.locator('button[data-lang=en]').click();
      await page.locator('html[lang=en]').waitFor();
    }
    await signIn(page, stack.baseUrl, user);
    await page.goto(`${stack.baseUrl}/cases/${caseId}`);
    await page.locator('[data-testid=stage-progress]').waitFor();
    await page.locator('[data-testid=chain-verified]').waitFor();
    return { page, problems, context };
  }

  const inViewport = async (page: Page, selector: string) => {
    const box = await page.locator(selector).boundingBox();
    const size = page.viewportSize() as { height: number };
    return box !== null && box.y >= 0 && box.y + box.height <= size.height + 1;
  };

  test('an approver decides from the top of the page, and a rejected case can be started again', async () => {
    const kase = await submit('w-jsl-03');
    expect(kase.number).toMatch(/^晋升-\d{4}-\d{4}$/);

    // The community party secretary, in Chinese on a desktop.
    const approver = await openCase('zh-CN', DESKTOP, 'sec-jsl', kase.id);
    const { page } = approver;
    expect(await page.locator('[data-testid=case-number]').textContent()).toBe(kase.number);
    expect(await page.locator('[data-testid=case-proposal]').textContent()).toMatch(/岗位等级 \d+ 级 → \d+ 级，自 .+ 起/);
    const reasons = page.locator('[data-testid=case-summary] [data-testid=eligibility-reasons] li');
    expect(await reasons.count()).toBeGreaterThan(2);
    // The rule and its data only behind 依据.
    const first = reasons.first();
    expect(await first.locator('.rule-id').isVisible()).toBe(false);
    await first.locator('.reason-basis summary').click();
    expect(await first.locator('.rule-id').isVisible()).toBe(true);
    await first.locator('.reason-basis summary').click();
    // The flow diagram marks where the case stands; the actions are on screen before scrolling.
    expect(await page.locator('[data-testid=stage-progress] [data-step="community-recommendation"]').getAttribute('data-state')).toBe(
      'current',
    );
    expect(await inViewport(page, '[data-testid=action-bar]')).toBe(true);
    // People by name, unit and role; no hash lines on the case page.
    expect(await page.locator('[data-testid=case-page]').innerText()).not.toMatch(/clerk-jsl|sec-jsl|哈希/);
    await expectPlainChinese(page, 'case page, approver, desktop');
    await screenshot(page, 'case-page-zh-desktop-approver');

    // The same on a phone: the actions stay at the bottom of the screen.
    const phone = await openCase('zh-CN', PHONE, 'sec-jsl', kase.id);
    expect(await inViewport(phone.page, '[data-testid=action-bar]')).toBe(true);
    await expectPlainChinese(phone.page, 'case page, approver, phone');
    await screenshot(phone.page, 'case-page-zh-phone-approver');
    await phone.context.close();

    // The approver rejects it, with a reason.
    await page.locator('button[data-action="reject"]').click();
    const form = page.locator('[data-testid="action-form-reject"]');
    await form.locator('textarea').last().fill('近三年考核材料不全，请补齐后重新发起');
    await form.locator('button[data-submit="reject"]').click();
    await page.locator('[data-testid=outcome-banner][data-status=rejected]').waitFor();
    expect(await page.locator('[data-testid=case-stage]').textContent()).toBe('—');
    expect(await page.locator('[data-testid=outcome-reason]').textContent()).toBe('近三年考核材料不全，请补齐后重新发起');
    await expectPlainChinese(page, 'case page, rejected, approver');
    expect(approver.problems).toEqual([]);
    await approver.context.close();

    // The clerk sees who rejected it and why at the top, and starts again with subject and application filled in.
    const clerk = await openCase('zh-CN', PHONE, 'clerk-jsl', kase.id);
    const banner = clerk.page.locator('[data-testid=outcome-banner]');
    await banner.waitFor();
    expect(await inViewport(clerk.page, '[data-testid=outcome-banner]')).toBe(true);
    expect(await banner.innerText()).toContain(zh['status.rejected'] as string);
    expect(await banner.innerText()).toContain('近三年考核材料不全');
    await expectPlainChinese(clerk.page, 'case page, rejected, clerk, phone');
    await screenshot(clerk.page, 'case-page-zh-phone-rejected');
    await clerk.page.locator('[data-testid=start-again]').click();
    await clerk.page.locator('[data-testid=eligibility-verdict][data-eligible=true]').waitFor();
    expect(await clerk.page.locator('input[name=case-type][value=promotion]').isChecked()).toBe(true);
    expect(await clerk.page.locator('#payload-kind').inputValue()).toBe('regular');
    await expectPlainChinese(clerk.page, 'submit page, started again');
    await screenshot(clerk.page, 'case-page-zh-phone-start-again');
    expect(clerk.problems).toEqual([]);
    await clerk.context.close();

    // In English on a phone: the same number, the banner and the flow diagram.
    const english = await openCase('en', PHONE, 'sec-jsl', kase.id);
    expect(await english.page.locator('[data-testid=case-number]').textContent()).toBe(kase.number);
    expect(await english.page.locator('[data-testid=outcome-banner]').innerText()).toContain('Rejected');
    await screenshot(english.page, 'case-page-en-phone-rejected');
    expect(english.problems).toEqual([]);
    await english.context.close();
  });

  test('a server problem is said in Chinese from its type, its English detail folded away', async () => {
    const kase = await submit('w-jsl-02');
    const { page, problems, context } = await openCase('zh-CN', DESKTOP, 'sec-jsl', kase.id);
    // The approver opens the form (the page stops refreshing), and the clerk withdraws the case meanwhile.
    await page.locator('button[data-action="approve"]').click();
    const form = page.locator('[data-testid="action-form-approve"]');
    await form.locator('textarea').last().fill('同意推荐');
    const res = await fetch(`${stack.baseUrl}/api/v1/cases/${kase.id}/actions`, {
      method: 'POST',
      headers: { Authorization: await bearer('clerk-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'withdraw', comment: '撤回' }),
    });
    expect(res.status).toBe(200);
    await form.locator('button[data-submit="approve"]').click();
    await form.locator('[role=alert] .error-title').waitFor();
    expect(await form.locator('[role=alert] .error-title').textContent()).toBe(zh['problem.conflict']);
    await expectPlainChinese(page, 'case page, conflict');
    expect(await page.locator('[data-testid=action-done]').count()).toBe(0);
    await screenshot(page, 'case-page-zh-conflict');
    expect(problems.filter((p) => !/409/.test(p))).toEqual([]);
    await context.close();
  });
});
