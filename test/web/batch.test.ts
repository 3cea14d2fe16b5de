import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { bearer } from '../helpers/api';
import { expectPlainChinese, launchBrowser, openPage, screenshot, signIn, startUiStack, type UiStack } from './browser';

/**
 * Batch approval in the inbox, in a real browser against the real API, Temporal and PostgreSQL: the community
 * party secretary ticks the two promotions of a yearly round waiting for the community recommendation and
 * approves them with one action; a promotion proposed on its own (outside a round) at the same stage, and a
 * commendation, wait in the same inbox but are not offered (the server refuses them in a batch too).
 */

const zh = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'src', 'i18n', 'zh-CN.json'), 'utf8')) as Record<
  string,
  string
>;

const jiangsu = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
// Room for the two people the round proposes.
const ruleSet: RuleSet = { ...jiangsu, promotionRounds: { ...jiangsu.promotionRounds, quotas: { nhl: { kind: 'count', max: 2 } } } };
// A year of its own: the test files share one Temporal server, where a round's (and its cases') ids name its street
// and year (promotion-rounds.test.ts has this year's, batch-approval.test.ts next year's, web/rounds.test.ts 2099's).
const YEAR = 2098;

describe('batch approval in the inbox', () => {
  let stack: UiStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startUiStack('web-batch', { ruleSet }), launchBrowser()]);
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

  /** Opens 南湖路街道's round of YEAR with these workers; answers their cases' ids in the members' order. */
  const openRound = async (workerIds: string[]) => {
    const res = await fetch(`${stack.baseUrl}/api/v1/rounds`, {
      method: 'POST',
      headers: { Authorization: await bearer('clerk-nhl'), 'Content-Type': 'application/json' },
      body: JSON.stringify({ streetId: 'nhl', year: YEAR, members: workerIds.map((workerId) => ({ workerId })) }),
    });
    const body = (await res.json()) as { members: { workerId: string; caseId: string }[] };
    expect([res.status, res.status === 201 ? null : body]).toEqual([201, null]);
    return workerIds.map((w) => body.members.find((m) => m.workerId === w)?.caseId as string);
  };

  test('two promotions of a round recommended with one action', async () => {
    // Promotions are batched only as members of a yearly round (a promotion on its own is decided on its own).
    const [deputy, staff] = (await openRound(['w-jsl-02', 'w-jsl-03'])) as [string, string];
    // A commendation also waits for the community party organisation, at a stage that is never batched.
    const commendation = await submit('w-jsl-02', 'commendation', {
      awardTitle: '鼓楼区优秀社区工作者',
      achievements: '疫情防控和防汛工作中表现突出',
      level: 'county',
    });

    // A promotion proposed on its own, outside the round, at the same community stage.
    const alone = await submit('w-jsl-03');
    for (const id of [deputy, staff, alone]) {
      for (let n = 0; (await stageOf(id)) !== 'community-recommendation'; n++) {
        if (n > 120) throw new Error(`${id} never reached the community recommendation`);
        await new Promise((r) => setTimeout(r, 250));
      }
    }

    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const { page, problems } = await openPage(context);
    await signIn(page, stack.baseUrl, 'sec-jsl');
    const section = page.locator('[data-testid=batch-approval]');
    await section.waitFor();
    expect(await section.locator('h2').textContent()).toBe(zh['batch.title']);
    await section.locator(`input[data-case-id="${deputy}"]`).waitFor();
    // Both wait for the secretary in the inbox's list; only the round's promotion is offered for the batch.
    await page.locator(`[data-testid=inbox] tr[data-case-id="${alone}"]`).waitFor();
    expect(await section.locator(`input[data-case-id="${alone}"]`).count()).toBe(0);
    expect(await section.locator(`input[data-case-id="${commendation}"]`).count()).toBe(0);
    expect(
      await section.locator('input[type=checkbox]').evaluateAll((boxes) => boxes.map((b) => b.getAttribute('data-case-id')).sort()),
    ).toEqual([deputy, staff].sort());

    await section.locator(`input[data-case-id="${deputy}"]`).check();
    await section.locator(`input[data-case-id="${staff}"]`).check();
    // The opinion from the person's 常用语, one click under the box (the same phrases as on a case page).
    await section.locator('[data-testid=phrases] button[data-phrase="同意推荐"]').click();
    expect(await section.locator('input:not([type=checkbox])').inputValue()).toBe('同意推荐');
    await section.locator('[data-testid=phrases] button[data-phrase="材料齐全"]').click();
    expect(await section.locator('input:not([type=checkbox])').inputValue()).toBe('同意推荐 材料齐全');
    await section.locator('button[type=submit]').click();
    await section.locator(`.batch-result li[data-case-id="${staff}"]`).waitFor();
    expect(await section.locator('.batch-result li').allTextContents()).toEqual([
      expect.stringContaining(zh['batch.approved'] as string),
      expect.stringContaining(zh['batch.approved'] as string),
    ]);
    await screenshot(page, 'zh-40-batch-approval');
    await expectPlainChinese(page, 'the inbox with its batch approval');
    expect(await stageOf(deputy)).toBe('street-decision');
    expect(await stageOf(staff)).toBe('street-decision');
    expect(await stageOf(commendation)).toBe('nomination');
    expect(await stageOf(alone)).toBe('community-recommendation');
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
