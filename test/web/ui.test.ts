import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { bearer } from '../helpers/api';
import {
  caseStatus,
  expectPlainChinese,
  launchBrowser,
  openPage,
  screenshot,
  SCREENSHOTS,
  signIn,
  startUiStack,
  type UiStack,
} from './browser';

/**
 * The web UI end to end in a real browser (Debian's Chromium through playwright-core): a clerk submits a
 * promotion, the community recommends it and the street committee decides it at a meeting recorded in its form, the public notice (three seconds in the demo rule set)
 * runs out and the case completes; an auditor then finds it and sees its verified history. Once in Chinese,
 * once in English, and then the unhappy paths: refusals, returns, conflicts and unknown cases, each shown as a
 * readable message. Screenshots of every page go to test-results/screenshots/.
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;
const en = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'en.json'), 'utf8')) as Record<string, string>;

interface Cast {
  lang: 'zh-CN' | 'en';
  clerk: string;
  worker: string;
  community: string;
  street: string;
}

describe('the web UI in a browser', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-ui'), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function openCaseFromInbox(page: Page, caseId: string) {
    const row = page.locator(`[data-testid=inbox] tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    await row.locator('a.case-link').click();
    await page.locator(`[data-testid=case-page][data-case-id="${caseId}"]`).waitFor();
    await page.locator('[data-testid=actions]').waitFor();
  }

  async function act(page: Page, action: string, comment?: string) {
    await page.locator(`button[data-action="${action}"]`).click();
    const form = page.locator(`[data-testid="action-form-${action}"]`);
    if (comment !== undefined) await form.locator('textarea').last().fill(comment);
    await form.locator(`button[data-submit="${action}"]`).click();
    await page.locator('[data-testid=action-done]').waitFor();
  }

  /** Records the committee's meeting in its form: every member present and for, the resolution and the minutes. */
  async function recordMeeting(page: Page, resolution: string, minutes: string) {
    await page.locator('button[data-action="record-meeting"]').click();
    const form = page.locator('[data-testid="action-form-record-meeting"]');
    const votes = form.locator('select[data-vote]');
    for (let n = 0; n < (await votes.count()); n += 1) await votes.nth(n).selectOption('for');
    expect(await form.locator('[data-testid=meeting-tally]').textContent()).toMatch(/3/);
    await form.locator('textarea[id$="-resolution"]').fill(resolution);
    await form.locator('textarea').last().fill(minutes);
    await form.locator('button[data-submit="record-meeting"]').click();
    await page.locator('[data-testid=action-done]').waitFor();
  }

  async function stepState(page: Page, key: string) {
    return page.locator(`[data-testid=stage-progress] [data-step="${key}"]`).getAttribute('data-state');
  }

  async function promotionThroughTheUi(cast: Cast) {
    const text = cast.lang === 'en' ? en : zh;
    const prefix = cast.lang === 'en' ? 'en' : 'zh';
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: cast.lang, acceptDownloads: true });
    const { page, problems } = await openPage(context);

    // Sign-in page: zh-CN by default, clearly a demo; the language choice is remembered.
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('[data-testid=demo-login]').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('[data-testid=demo-login] .badge.demo').textContent()).toBe(zh['login.demoBadge']);
    if (cast.lang === 'en') {
      await page.locator('button[data-lang=en]').click();
      await page.locator('html[lang=en]').waitFor();
      await page.reload();
      await page.locator('[data-testid=demo-login]').waitFor();
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
    }
    expect(await page.locator('h1').textContent()).toBe(text['login.title']);
    await screenshot(page, `${prefix}-01-sign-in`);

    // The clerk submits a promotion: type, subject from the records, payload, eligibility shown first.
    await signIn(page, stack.baseUrl, cast.clerk);
    await page.locator('[data-testid=inbox]').waitFor();
    await screenshot(page, `${prefix}-02-inbox-clerk`);
    await page.locator('nav a[href="/submit"]').click();
    await page.locator('input[name=case-type][value=promotion]').check();
    await page.locator('#subject-search').fill(cast.worker);
    await page.locator(`button.worker-choice[data-worker="${cast.worker}"]`).click();
    await page.locator('#payload-kind').selectOption('regular');
    await page.locator('[data-testid=eligibility-verdict][data-eligible=true]').waitFor();
    expect(await page.locator('[data-testid=eligibility-verdict]').textContent()).toBe(text['submit.eligible']);
    expect(await page.locator('[data-testid=eligibility-reasons] li.passed').count()).toBeGreaterThan(2);
    await screenshot(page, `${prefix}-03-submit`);
    await page.locator('form.submit-form button[type=submit]').click();
    await page.locator('[data-testid=case-page]').waitFor();
    const caseId = (await page.locator('[data-testid=case-page]').getAttribute('data-case-id')) as string;
    expect(await caseStatus(page)).toBe('in_review');
    expect(await page.locator('[data-testid=case-page] .head-actions [data-testid=status]').textContent()).toBe(text['status.in_review']);
    await page.locator('[data-testid=stage-progress]').waitFor();
    expect(await stepState(page, 'community-recommendation')).toBe('current');
    expect(await stepState(page, 'street-decision')).toBe('upcoming');
    await page.locator('[data-testid=chain-verified][data-ok=true]').waitFor();
    await screenshot(page, `${prefix}-04-case-submitted`);

    // The community party organisation recommends.
    await signIn(page, stack.baseUrl, cast.community);
    await openCaseFromInbox(page, caseId);
    await screenshot(page, `${prefix}-05-case-community`);
    await act(page, 'approve', cast.lang === 'en' ? 'Recommended.' : '同意推荐');
    await page.locator('[data-testid=stage-progress] [data-step="street-decision"][data-state=current]').waitFor();
    expect(await stepState(page, 'community-recommendation')).toBe('done');

    // The street party working committee decides: the public notice opens, then the case completes.
    await signIn(page, stack.baseUrl, cast.street);
    await openCaseFromInbox(page, caseId);
    await screenshot(page, `${prefix}-05b-meeting`);
    await recordMeeting(
      page,
      cast.lang === 'en' ? 'Promotion approved.' : '同意晋升',
      cast.lang === 'en' ? 'Minutes of meeting 20' : '党工委第20次会议纪要',
    );
    const noticeOrLater = page.locator('[data-testid=case-page] .head-actions [data-testid=status]');
    await page
      .locator(
        '[data-testid=case-page] .head-actions [data-testid=status][data-status=public_notice], [data-testid=case-page] .head-actions [data-testid=status][data-status=completed]',
      )
      .waitFor();
    if ((await noticeOrLater.getAttribute('data-status')) === 'public_notice') {
      expect(await noticeOrLater.textContent()).toBe(text['status.public_notice']);
      await screenshot(page, `${prefix}-06-public-notice`);
    }
    await page.locator('[data-testid=case-page] .head-actions [data-testid=status][data-status=completed]').waitFor({ timeout: 30_000 });
    expect(await noticeOrLater.textContent()).toBe(text['status.completed']);
    // The system's own records are folded in the history: there, not shown until opened.
    await page.locator('[data-testid=timeline] li[data-action=complete]').waitFor({ state: 'attached' });
    expect(await page.locator('[data-testid=timeline] li[data-action=notice_completed] .event-action').textContent()).toBe(
      text['event.notice_completed'],
    );
    expect(await stepState(page, '__notice__')).toBe('done');
    expect(await page.locator('[data-testid=case-number]').textContent()).toMatch(/^晋升-\d{4}-\d{4}$/);
    if (cast.lang === 'zh-CN') await expectPlainChinese(page, 'completed case');
    await screenshot(page, `${prefix}-07-completed`);

    // An auditor finds the case and sees its verified history.
    await signIn(page, stack.baseUrl, 'auditor-1');
    await page.locator('#ac-q').fill(cast.worker);
    await page.locator('#ac-q').press('Enter');
    const row = page.locator(`tr[data-case-id="${caseId}"]`);
    await row.waitFor();
    // The filters narrow the same search: among cases still in review it is not; among completed ones it is.
    await page.locator('#ac-status').selectOption('in_review');
    await page.locator('#ac-q').press('Enter');
    await page.locator('p.empty').waitFor();
    expect(await page.locator('p.empty').textContent()).toBe(text['audit.noCases']);
    expect(await row.count()).toBe(0);
    await page.locator('#ac-status').selectOption('completed');
    await page.locator('#ac-q').press('Enter');
    await row.waitFor();
    expect(await page.locator('p.count').textContent()).toMatch(/\d/);
    await screenshot(page, `${prefix}-08-audit-cases`);
    await row.locator('a.case-link').click();
    const verified = page.locator('[data-testid=chain-verified][data-ok=true]');
    await verified.waitFor();
    expect(await verified.textContent()).toContain(text['timeline.verified']?.split('{')[0]?.trim());
    expect(await page.locator('[data-testid=actions]').count()).toBe(0);
    expect(await page.locator('[data-testid=timeline] li').count()).toBeGreaterThanOrEqual(10);
    await screenshot(page, `${prefix}-09-case-auditor`);

    // The trail: events of the case, CSV export with the bearer token, and every chain verified.
    await page.goto(`${stack.baseUrl}/audit?tab=events`);
    await page.locator('#ae-case').fill(caseId);
    await page.locator('#ae-case').press('Enter');
    await page.locator('[data-testid=audit-events] tbody tr').nth(9).waitFor();
    await screenshot(page, `${prefix}-10-audit-events`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('button[data-export=csv]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv.split('\n')[0]).toContain('caseId,seq,at,actorId,action');
    expect(csv).toContain(caseId);
    await page.locator('[role=tab]#tab-verify').click();
    await page.locator('[data-testid=verify-all]').click();
    await page.locator('[data-testid=verify-all-result][data-ok=true]').waitFor();

    // The dossier's print view, as it prints (and as a PDF for review).
    await page.goto(`${stack.baseUrl}/cases/${caseId}/print`);
    await page.locator('[data-testid=dossier] [data-testid=chain-verified][data-ok=true]').waitFor();
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, `${prefix}-11-dossier-print`);
    await page.pdf({ path: path.join(SCREENSHOTS, `${prefix}-11-dossier.pdf`), format: 'A4', printBackground: false });
    await page.emulateMedia({ media: 'screen' });

    // The worker's record shows the new grade, linked to the case.
    await page.goto(`${stack.baseUrl}/records/${cast.worker}`);
    await page.locator('[data-testid=worker-page]').waitFor();
    await page.locator(`[data-testid=worker-page] a[href="/cases/${caseId}"]`).first().waitFor();
    await screenshot(page, `${prefix}-12-record`);

    expect(problems).toEqual([]);
    await context.close();
    return caseId;
  }

  test('zh-CN: submit, recommend, decide, public notice, completed, verified by the auditor', async () => {
    await promotionThroughTheUi({ lang: 'zh-CN', clerk: 'clerk-jsl', worker: 'w-jsl-03', community: 'sec-jsl', street: 'dgw-nhl-1' });
  }, 180_000);

  test('English: the same flow', async () => {
    await promotionThroughTheUi({ lang: 'en', clerk: 'clerk-jyj', worker: 'w-jyj-03', community: 'sec-jyj', street: 'dgw-nhl-2' });
  }, 180_000);

  test('refusals, returns and conflicts are readable messages; keyboard and phone work', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const { page, problems } = await openPage(context);

    await signIn(page, stack.baseUrl, 'clerk-jsl');
    // Keyboard: on a fresh page the first Tab reaches the skip link, which leads to the content.
    await page.goto(`${stack.baseUrl}/`);
    await page.locator('[data-testid=inbox]').waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement && document.activeElement.className')).toBe('skip-link');

    // Not eligible: the reasons before submitting, and the 422 with its reasons when submitting anyway.
    await page.goto(`${stack.baseUrl}/submit?type=promotion`);
    await page.locator('form.submit-form button[type=submit]').click();
    expect(await page.locator('.subject-picker .field-error').textContent()).toBe(zh['submit.subjectMissing']);
    expect(await page.locator('.field:has(#payload-kind) .field-error').textContent()).toBe(zh['form.required']);
    await page.locator('#subject-search').fill('w-jsl-04');
    await page.locator('button.worker-choice[data-worker="w-jsl-04"]').click();
    await page.locator('#payload-kind').selectOption('regular');
    await page.locator('[data-testid=eligibility-verdict][data-eligible=false]').waitFor();
    await page.locator('form.submit-form button[type=submit]').click();
    const refusal = page.locator('form.submit-form > .error');
    await refusal.waitFor();
    expect(await refusal.locator('.error-title').textContent()).toBe(zh['problem.business-rule']);
    expect(await refusal.locator('.reasons li.failed').count()).toBeGreaterThan(0);
    await screenshot(page, 'zh-20-submit-refused');

    // A field the server refuses is said in Chinese beside it and, in the list, by its label: never zod's English
    // message or the field's key (a post-change promotion without its new post type, the schema's own check).
    await page.goto(`${stack.baseUrl}/submit?type=promotion&subject=w-jsl-01`);
    await page.locator('[data-testid=chosen-subject][data-worker="w-jsl-01"]').waitFor();
    await page.locator('#payload-kind').selectOption('post-change');
    const beside = page.locator('.field:has(#payload-newPostType) .field-error');
    await beside.waitFor();
    expect(await beside.textContent()).toBe(zh['fieldError.custom.newPostTypeRequired']);
    expect(await page.locator('.eligibility-panel .error-fields li').allTextContents()).toEqual([
      `${await page.locator('label[for=payload-newPostType]').textContent()}${zh['error.fieldSays']}${zh['fieldError.custom.newPostTypeRequired']}`,
    ]);
    await expectPlainChinese(page, 'submit form, a field refused by the server');
    await screenshot(page, 'zh-21-submit-field-error');

    // Return to the applicant (a comment is required), resubmit with an amended payload, comment, then a conflict.
    await page.goto(`${stack.baseUrl}/submit?type=promotion&subject=w-jsl-01`);
    await page.locator('[data-testid=chosen-subject][data-worker="w-jsl-01"]').waitFor();
    await page.locator('#payload-kind').selectOption('regular');
    await page.locator('[data-testid=eligibility-verdict][data-eligible=true]').waitFor();
    await page.locator('form.submit-form button[type=submit]').click();
    await page.locator('[data-testid=case-page]').waitFor();
    const caseId = (await page.locator('[data-testid=case-page]').getAttribute('data-case-id')) as string;

    await signIn(page, stack.baseUrl, 'dep-jsl');
    await openCaseFromInbox(page, caseId);
    await page.locator('button[data-action=return]').click();
    await page.locator('button[data-submit=return]').click();
    expect(await page.locator('[data-testid=action-form-return] .field-error').textContent()).toBe(zh['form.required']);
    await page.locator('[data-testid=action-form-return] textarea').fill('请补充晋升理由');
    await page.locator('button[data-submit=return]').click();
    await page.locator('[data-testid=action-done]').waitFor();
    expect(await caseStatus(page)).toBe('returned');

    await signIn(page, stack.baseUrl, 'clerk-jsl');
    await openCaseFromInbox(page, caseId);
    await page.locator('button[data-action=resubmit]').click();
    await page.locator('[data-testid=action-form-resubmit] textarea[name=reason]').fill('连续四年考核合格，已补充材料。');
    await page.locator('button[data-submit=resubmit]').click();
    await page.locator('[data-testid=action-done]').waitFor();
    expect(await caseStatus(page)).toBe('in_review');
    expect(await page.locator('[data-testid=payload]').textContent()).toContain('已补充材料');

    await signIn(page, stack.baseUrl, 'dep-jsl');
    await openCaseFromInbox(page, caseId);
    await act(page, 'comment', '材料齐全');
    // Meanwhile the case is rejected elsewhere: approving from this (now stale) page answers 409, shown readably.
    await page.locator('button[data-action=approve]').click();
    const rejected = await fetch(`${stack.baseUrl}/api/v1/cases/${caseId}/actions`, {
      method: 'POST',
      headers: { Authorization: await bearer('dep-jsl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'reject', comment: '经复核不予推荐' }),
    });
    expect(rejected.status).toBe(200);
    await page.locator('button[data-submit=approve]').click();
    const conflict = page.locator('[data-testid=action-form-approve] .error');
    await conflict.waitFor();
    expect(await conflict.locator('.error-title').textContent()).toBe(zh['problem.conflict']);
    await screenshot(page, 'zh-21-conflict');
    await page.reload();
    await page.locator('[data-testid=case-page] .head-actions [data-testid=status][data-status=rejected]').waitFor();
    for (const action of ['return', 'resubmit', 'comment', 'reject'])
      await page.locator(`[data-testid=timeline] li[data-action="${action}"]`).first().waitFor();
    expect(await stepState(page, 'community-recommendation')).toBe('stopped');
    await screenshot(page, 'zh-22-rejected');

    // An unknown case, and an unknown page: messages, not blank pages.
    await page.goto(`${stack.baseUrl}/cases/00000000-0000-4000-8000-000000000000`);
    expect(await page.locator('.error .error-title').textContent()).toBe(zh['problem.not-found']);
    await page.goto(`${stack.baseUrl}/no/such/page`);
    expect(await page.locator('h1').textContent()).toBe(zh['notFound.title']);

    // A phone-sized screen.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const mobile = await openPage(phone);
    await signIn(mobile.page, stack.baseUrl, 'clerk-jsl');
    await mobile.page.locator(`[data-testid=recent] tr[data-case-id="${caseId}"]`).waitFor();
    await screenshot(mobile.page, 'zh-30-phone-inbox');
    await mobile.page.goto(`${stack.baseUrl}/cases/${caseId}`);
    await mobile.page.locator('[data-testid=chain-verified][data-ok=true]').waitFor();
    const overflow = await mobile.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await expectPlainChinese(mobile.page, 'rejected case on a phone');
    await screenshot(mobile.page, 'zh-31-phone-case');
    await phone.close();

    // Refusals show in the console as failed loads (the browser logs every 4xx); nothing else may.
    expect(
      [...problems, ...mobile.problems].filter((p) => !/Failed to load resource: the server responded with a status of 4\d\d/.test(p)),
    ).toEqual([]);
    await context.close();
  }, 180_000);
});
