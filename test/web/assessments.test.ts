import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { bearer } from '../helpers/api';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * The annual assessment in a real browser against the real API, Temporal and PostgreSQL: the community clerk opens
 * the year and lands on its page, which lists every worker with their own case; records a worker's 民主测评 scores
 * (shown as the weighted score). The whole run: 述职 and scores, the proposal (its cap refusal said in Chinese; the secretary's own case refuses
 * him and takes the list from the deputy), which the group delivers to each case with its tally, the street's
 * confirmation, the notice, and after the review period the results on the workers' records pages; in Chinese on
 * a desktop and in English on a phone.
 */

const jiangsu = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
// A review period of seconds, so the results enter the records within the test.
const ruleSet: RuleSet = { ...jiangsu, periods: { ...jiangsu.periods, 'assessment.review': { seconds: 20 } } };
const en = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'en.json'), 'utf8')) as Record<string, string>;

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

describe('annual assessments in the web UI', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-assessments', { ruleSet }), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  test('a community clerk opens the year and records scores', async () => {
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
    await screenshot(page, 'zh-46-annual-assessment');
    await expectPlainChinese(page, 'an annual assessment, its scores');
    await page.locator(`nav a[href="/assessments"]`).click();
    await page.locator('[data-testid=open-assessment]').waitFor();
    await expectPlainChinese(page, 'the annual assessments');
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);
  /** The API as a seeded user, for the steps the browser does not take (every worker's 述职 but one). */
  const call = async (user: string, method: string, url: string, body?: unknown) => {
    const res = await fetch(`${stack.baseUrl}/api/v1${url}`, {
      method,
      headers: { Authorization: await bearer(user), 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  type Assessment = { stage: string; members: { workerId: string; status: string; currentStage: { id: string } | null }[] };
  const waitFor = async (id: string, done: (a: Assessment) => boolean) => {
    for (const until = Date.now() + 120_000; ;) {
      const { body } = await call('auditor-1', 'GET', `/assessments/${id}`);
      if (done(body as unknown as Assessment)) return;
      if (Date.now() > until) throw new Error(`assessment ${id} did not get there: ${JSON.stringify(body)}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const allAt = (stageId: string) => (a: Assessment) => a.members.every((m) => m.currentStage?.id === stageId);
  const step = async (page: Page, testId: string) => {
    // The step's answer, then its form idle again, or gone: a step that completes the stage takes its form away.
    const answered = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/api/v1/assessments/'));
    await page.locator(`[data-testid=${testId}] button[type=submit]`).click();
    await answered;
    await page.locator(`[data-testid=${testId}] button[type=submit][disabled]`).waitFor({ state: 'detached' });
  };

  test('the whole year: 述职, scores, the proposal, the confirmation, the notice and the results on the records', async () => {
    // A year of its own (the suites share one Temporal server; an assessment's id names its community and year).
    const year = 2096;
    const opened = await call('clerk-jsl', 'POST', '/assessments', { communityId: 'jsl', year });
    expect(opened.status).toBe(201);
    const id = opened.body.id as string;
    const workers = (opened.body.members as { workerId: string }[]).map((m) => m.workerId);
    await waitFor(id, allAt('self-report'));
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    const assessmentPage = async (user: string) => {
      await signIn(page, stack.baseUrl, user);
      await page.goto(`${stack.baseUrl}/assessments/${encodeURIComponent(id)}`);
      await page.locator('[data-testid=assessment-members] tr[data-worker-id="w-jsl-03"]').waitFor();
    };

    // 述职: the secretary records w-jsl-03's on the page (the others' through the API, the secretary's own by his deputy).
    await assessmentPage('sec-jsl');
    const selfReport = page.locator('[data-testid=self-report]');
    await selfReport.locator('select').selectOption('w-jsl-03');
    await selfReport.locator('textarea').fill('全年完成网格走访和居民服务工作');
    await step(page, 'self-report');
    for (const w of workers.filter((x) => x !== 'w-jsl-03')) {
      const res = await call(w === 'w-jsl-01' ? 'dep-jsl' : 'sec-jsl', 'POST', `/assessments/${id}/self-reports`, {
        workerId: w,
        report: '年度述职',
      });
      expect([w, res.status]).toEqual([w, 200]);
    }
    // 民主测评: the clerk records w-jsl-03's score sheet on the page; the others' through the API.
    await assessmentPage('clerk-jsl');
    const scores = page.locator('[data-testid=scores]');
    await scores.locator('select').selectOption('w-jsl-03');
    await scores.locator('textarea').fill('居民代表 甲, residents, 96\n同事 乙, colleagues, 92');
    await step(page, 'scores');
    await page.locator('[data-testid=assessment-members] tr[data-worker-id="w-jsl-03"]').getByText('94 (2)').waitFor();
    for (const w of workers.filter((x) => x !== 'w-jsl-03')) {
      const res = await call('clerk-jsl', 'POST', `/assessments/${id}/scores`, {
        workerId: w,
        scores: [{ evaluator: '居民代表 甲', group: 'residents', score: 85 }],
      });
      expect([w, res.status]).toEqual([w, 200]);
    }
    await waitFor(id, allAt('evaluation'));

    // The proposal: over the 优秀 cap it is refused, said in Chinese; then the list within the rules.
    await assessmentPage('sec-jsl');
    const proposal = page.locator('[data-testid=proposal]');
    for (const w of ['w-jsl-03', 'w-jsl-05', 'w-jsl-06'])
      await proposal.locator(`fieldset[data-worker-id="${w}"] select`).selectOption('excellent');
    await proposal.locator('button[type=submit]').click();
    await proposal.getByText('优秀3人，超过参加考核人数（11人）的1/5，最多2人').waitFor();
    await expectPlainChinese(page, 'the proposal refused over the cap');
    await screenshot(page, 'zh-47-assessment-cap-refused');
    for (const w of ['w-jsl-05', 'w-jsl-06']) await proposal.locator(`fieldset[data-worker-id="${w}"] select`).selectOption('competent');
    await proposal.locator('fieldset[data-worker-id="w-jsl-04"] select').selectOption('basically_competent');
    await proposal.locator('fieldset[data-worker-id="w-jsl-04"] input').fill('全年考勤缺勤较多，群众满意度偏低');
    await step(page, 'proposal');
    // The secretary's own case refuses him (回避): said on the page (refused, or still on its way to be), in Chinese.
    await page
      .locator('[data-testid=proposal-refused] li[data-worker-id="w-jsl-01"], [data-testid=proposal-waiting] li[data-worker-id="w-jsl-01"]')
      .first()
      .waitFor();
    await expectPlainChinese(page, 'the proposal recorded');
    await screenshot(page, 'zh-48-assessment-proposed');
    // The deputy sends the recorded list again (the form shows it): the secretary's case takes it from him.
    await assessmentPage('dep-jsl');
    expect(await proposal.locator('fieldset[data-worker-id="w-jsl-03"] select').inputValue()).toBe('excellent');
    await step(page, 'proposal');
    await waitFor(id, allAt('street-confirmation'));

    // The street party committee confirms on the page; the group delivers it to every case.
    await assessmentPage('dgw-nhl-1');
    expect(await page.locator('[data-testid=assessment-facts] dd[data-stage]').textContent()).toBe(zh['assessments.stage.confirmation']);
    await step(page, 'confirmation');
    await waitFor(id, allAt('notification'));

    // The notice: by the secretary, and again by the deputy for the secretary's own case.
    await assessmentPage('sec-jsl');
    await step(page, 'notification');
    await assessmentPage('dep-jsl');
    await step(page, 'notification');
    await waitFor(id, (a) => a.members.every((m) => m.status === 'completed'));
    await assessmentPage('sec-jsl');
    // The confirmed result's own cell: once the review period is over (soon, on a slow machine) the records'
    // column says 优秀 too.
    await page
      .locator(`[data-testid=assessment-members] tr[data-worker-id="w-jsl-03"] td[data-label="${zh['assessments.confirmed']}"]`)
      .getByText(zh['worker.assessment.excellent'] as string)
      .waitFor();
    await expectPlainChinese(page, 'the assessment told');

    // When the review period is over the results enter the records, and the worker's records page shows them.
    await waitFor(id, (a) => a.stage === 'closed');
    await page.goto(`${stack.baseUrl}/records/w-jsl-03`);
    await page.locator(`.chip.assessment-excellent`).getByText(`${year}`).waitFor();
    expect(await page.locator('.chip.assessment-excellent').allTextContents()).toContain(`${year}: ${zh['worker.assessment.excellent']}`);
    await expectPlainChinese(page, 'the records page');
    await screenshot(page, 'zh-49-assessment-on-records');
    // The failed requests are the cap refusal's only.
    expect(problems).toEqual([
      expect.stringMatching(/^console: Failed to load resource: the server responded with a status of 422 \(Unprocessable Entity\)/),
    ]);
    await context.close();

    // In English on a phone: the closed assessment and a worker's result on the records.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'en' });
    const { page: small, problems: smallProblems } = await openPage(phone);
    await small.goto(`${stack.baseUrl}/`);
    await small.locator('button[data-lang=en]').click();
    await small.locator('html[lang=en]').waitFor();
    await signIn(small, stack.baseUrl, 'hr-nhl');
    await small.goto(`${stack.baseUrl}/assessments/${encodeURIComponent(id)}`);
    await small.locator('[data-testid=assessment-facts] dd[data-stage=closed]').waitFor();
    expect(await small.locator('[data-testid=assessment-facts] dd[data-stage]').textContent()).toBe(en['assessments.stage.closed']);
    await small.goto(`${stack.baseUrl}/records/w-jsl-04`);
    await small.locator('.chip.assessment-basically_competent').getByText(`${year}`).waitFor();
    expect(await small.locator('.chip.assessment-basically_competent').allTextContents()).toContain(
      `${year}: ${en['worker.assessment.basically_competent']}`,
    );
    await screenshot(small, 'en-49-assessment-on-records-phone');
    expect(smallProblems).toEqual([]);
    await phone.close();
  }, 400_000);
});
