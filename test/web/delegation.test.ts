import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer } from '../helpers/api';
import { TEST_TODAY } from '../helpers/env';
import {
  expectPlainChinese,
  launchBrowser,
  openPage,
  screenshot,
  seriousAccessibilityProblems,
  signIn,
  startUiStack,
  type UiStack,
} from './browser';

/**
 * 委托 in the browser, in Chinese on a desktop and English on a phone: the approver going on leave delegates on
 * the delegations page; the colleague finds the case in their 待办 marked 代…审批, approves it for them from the
 * case page, and the history names both ("周敏（代 王强）"); the delegator revokes it. The API's day is TEST_TODAY.
 * Real API, Temporal, PostgreSQL and Chromium.
 */

const dict = (lang: string) =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', `${lang}.json`), 'utf8')) as Record<string, string>;
const TEXT = { 'zh-CN': dict('zh-CN'), en: dict('en') };
const SIZES = { desktop: { width: 1280, height: 900 }, phone: { width: 390, height: 844 } };
/** A bracket opened inside another ("周敏（代 王强（单位·职务））"). */
const NESTED = /[（(][^）)]*[（(]/;
const fill = (template: string, vars: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');

describe('delegation (委托) in the browser', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-delegation'), launchBrowser()]);
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
  const newPage = async (
    lang: 'zh-CN' | 'en',
    size: keyof typeof SIZES,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> => {
    const context = await browser.newContext({ viewport: SIZES[size], locale: lang, timezoneId: 'Asia/Shanghai' });
    await context.addInitScript(`try { localStorage.setItem('cases.lang', ${JSON.stringify(lang)}) } catch {}`);
    return { context, ...(await openPage(context)) };
  };
  const userName = async (id: string) =>
    ((await api('auditor-1', '/users')).body.items as { id: string; name: string }[]).find((u) => u.id === id)?.name as string;

  // An exit's first stage is the street office's (bsc-nhl-1, bsc-nhl-2); 纪工委 colleagues stand in for them.
  for (const [lang, size, delegator, delegate, worker] of [
    ['zh-CN', 'desktop', 'bsc-nhl-1', 'jgw-nhl-1', 'w-jyj-04'],
    ['en', 'phone', 'bsc-nhl-2', 'jgw-nhl-2', 'w-jyj-05'],
  ] as const) {
    test(`${lang} ${size}: delegate, find it in 待办 marked, approve for them, both names in the history, revoke`, async () => {
      const text = TEXT[lang];
      const prefix = `${lang === 'en' ? 'en' : 'zh'}-${size}-60`;
      const submitted = await api('clerk-jyj', '/cases', {
        method: 'POST',
        body: { type: 'exit', subjectId: worker, payload: { reason: 'dereliction', detail: '失职造成重大损失' } },
      });
      expect(submitted.status).toBe(201);
      const caseId = submitted.body.id as string;
      const [delegatorName, delegateName] = [await userName(delegator), await userName(delegate)];

      // The delegator delegates on the page.
      const { context, page, problems } = await newPage(lang, size);
      await signIn(page, stack.baseUrl, delegator);
      await page.locator('nav a[href="/delegations"]').click();
      const form = page.locator('[data-testid=delegation-form]');
      await form.waitFor();
      await page.locator('#delegation-delegate option', { hasText: delegateName }).first().waitFor({ state: 'attached' });
      await page.locator('#delegation-delegate').selectOption(delegate);
      await page.locator('#delegation-from').fill(TEST_TODAY);
      await page.locator('#delegation-to').fill(TEST_TODAY);
      await page.locator('#delegation-reason').fill(lang === 'en' ? 'Annual leave' : '年休假');
      await page.locator('[data-testid=delegation-submit]').click();
      const row = page.locator('[data-testid=delegations] tr[data-delegation-id]').first();
      await row.waitFor();
      expect(await row.innerText()).toContain(text['delegation.active']);
      if (lang === 'zh-CN') await expectPlainChinese(page, 'delegations page');
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await screenshot(page, `${prefix}-delegations`);
      // Overlapping the one just made: refused, the reason shown.
      await page.locator('#delegation-reason').fill(lang === 'en' ? 'Again' : '再次');
      await page.locator('[data-testid=delegation-submit]').click();
      await form.locator('.error, [role=alert]').first().waitFor();

      // The delegate's 待办 shows the case, marked 代…审批.
      for (let tries = 0; ; tries += 1) {
        const items = (await api(delegate, '/inbox')).body.items as { id: string }[];
        if (items.some((c) => c.id === caseId)) break;
        if (tries > 100) throw new Error(`the case never reached ${delegate}'s inbox`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await signIn(page, stack.baseUrl, delegate);
      const listed = page.locator(`[data-testid=inbox] tr[data-case-id="${caseId}"]`);
      await listed.waitFor();
      expect(await listed.locator('[data-testid=on-behalf-of]').innerText()).toBe(
        fill(text['delegation.onBehalfOf'] as string, { name: delegatorName }),
      );
      if (lang === 'zh-CN') await expectPlainChinese(page, 'inbox with a delegated case');
      await screenshot(page, `${prefix}-inbox-delegated`);

      // On the case page they act for the delegator.
      await listed.locator('a.case-link').click();
      await page.locator('[data-testid=acting-for]').waitFor();
      await page.locator('button[data-action="approve"]').click();
      const approve = page.locator('[data-testid="action-form-approve"]');
      await approve.getByLabel(lang === 'en' ? 'Findings' : '核实情况').fill(lang === 'en' ? 'Confirmed' : '属实');
      await approve.locator('button[type=submit]').click();
      const actor = page.locator('[data-testid=event-actor]', { hasText: delegateName });
      await actor.first().waitFor();
      const shown = await actor.first().innerText();
      expect(shown).toContain(delegateName);
      expect(shown).toContain(delegatorName);
      // "周敏 代 王强（…）": the one who acted, then whom for, with no bracket inside another.
      expect(shown.startsWith(delegateName)).toBe(true);
      expect(shown).toContain(lang === 'en' ? ' for ' : ' 代 ');
      expect(shown.indexOf(delegatorName)).toBeGreaterThan(shown.indexOf(delegateName));
      expect(shown).not.toMatch(NESTED);
      if (lang === 'zh-CN') await expectPlainChinese(page, 'case page after a delegated approval');
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await screenshot(page, `${prefix}-case-delegated`);

      // The delegator revokes it: the delegate's 待办 no longer holds the case (it waits for the other colleague).
      await signIn(page, stack.baseUrl, delegator);
      await page.goto(`${stack.baseUrl}/delegations`);
      await page.locator('[data-testid=delegation-revoke]').first().click();
      await page.locator('[data-testid=delegations] tr[data-delegation-id]', { hasText: text['delegation.revoked'] }).first().waitFor();
      expect(((await api(delegate, '/inbox')).body.items as { id: string }[]).map((c) => c.id)).not.toContain(caseId);
      // The one 409 is the overlapping delegation refused above.
      expect(problems.filter((p) => !p.includes('409 (Conflict)'))).toEqual([]);
      expect(problems.length).toBe(1);
      await context.close();
    }, 180_000);
  }
  // Both of the street office (bsc-nhl-1, bsc-nhl-2) are away the same day and both name 纪工委 colleague jgw-nhl-1.
  for (const [lang, size, worker] of [
    ['zh-CN', 'desktop', 'w-jyj-06'],
    ['en', 'phone', 'w-jyj-07'],
  ] as const) {
    test(`${lang} ${size}: delegated by two colleagues, the delegate chooses whom they act for; it is in their 已办`, async () => {
      const text = TEXT[lang];
      const prefix = `${lang === 'en' ? 'en' : 'zh'}-${size}-61`;
      const submitted = await api('clerk-jyj', '/cases', {
        method: 'POST',
        body: { type: 'exit', subjectId: worker, payload: { reason: 'dereliction', detail: '失职造成重大损失' } },
      });
      expect(submitted.status).toBe(201);
      const caseId = submitted.body.id as string;
      const made: { by: string; id: string }[] = [];
      for (const by of ['bsc-nhl-1', 'bsc-nhl-2']) {
        const res = await api(by, '/me/delegations', {
          method: 'POST',
          body: { delegateId: 'jgw-nhl-1', from: TEST_TODAY, to: TEST_TODAY, reason: '外出培训' },
        });
        expect(res.status).toBe(201);
        made.push({ by, id: res.body.id as string });
      }
      for (let tries = 0; ; tries += 1) {
        const view = (await api('jgw-nhl-1', `/cases/${caseId}`)).body as { actingFor?: unknown[] };
        if ((view.actingFor ?? []).length === 2) break;
        if (tries > 150) throw new Error(`the case never waited for both delegators: ${JSON.stringify(view)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const second = await userName('bsc-nhl-2');
      const delegateName = await userName('jgw-nhl-1');

      const { context, page, problems } = await newPage(lang, size);
      await signIn(page, stack.baseUrl, 'jgw-nhl-1');
      await page.goto(`${stack.baseUrl}/cases/${caseId}`);
      const choice = page.locator('[data-testid=acting-for-choice]');
      await choice.waitFor();
      expect(await choice.locator('option').count()).toBe(2);
      await choice.selectOption('bsc-nhl-2');
      expect(await page.locator('[data-testid=acting-for]').innerText()).toContain(second);
      // The exit's situation by its title in the rule set, not its code.
      expect(await page.locator('[data-testid=payload]').innerText()).not.toContain('dereliction');
      if (lang === 'zh-CN') await expectPlainChinese(page, 'a case delegated by two colleagues');
      expect(await seriousAccessibilityProblems(page)).toEqual([]);
      await screenshot(page, `${prefix}-case-two-delegators`);
      await page.locator('button[data-action="approve"]').click();
      const approve = page.locator('[data-testid="action-form-approve"]');
      await approve.getByLabel(lang === 'en' ? 'Findings' : '核实情况').fill(lang === 'en' ? 'Confirmed' : '属实');
      await approve.locator('button[type=submit]').click();
      const actor = page.locator('[data-testid=event-actor]', { hasText: delegateName });
      await actor.first().waitFor();
      const shown = await actor.first().innerText();
      expect(shown).toContain(second);
      expect(shown).not.toMatch(NESTED);
      // The event names the one chosen as its actor, and the delegate.
      const events = (await api('auditor-1', `/cases/${caseId}/events`)).body.items as { action: string; actorId: string; data: unknown }[];
      expect(events.find((e) => e.action === 'approve')).toMatchObject({
        actorId: 'bsc-nhl-2',
        data: { delegate: { userId: 'jgw-nhl-1' } },
      });

      // 已办 lists what the delegate did for others.
      await page.goto(`${stack.baseUrl}/inbox?tab=handled`);
      const handled = page.locator(`[data-testid=handled] tr[data-case-id="${caseId}"]`);
      await handled.waitFor();
      expect(await page.locator('#inbox-tab-handled').getAttribute('aria-selected')).toBe('true');
      expect(await page.locator('#inbox-tab-handled').innerText()).toBe(text['inbox.tab.handled']);
      if (lang === 'zh-CN') await expectPlainChinese(page, 'the delegate’s 已办');
      await screenshot(page, `${prefix}-handled-for-others`);
      for (const { by, id } of made) expect((await api(by, `/me/delegations/${id}`, { method: 'DELETE' })).status).toBe(200);
      expect(problems).toEqual([]);
      await context.close();
    }, 180_000);
  }
});
