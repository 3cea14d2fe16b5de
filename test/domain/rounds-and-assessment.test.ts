import { undelivered } from '../../domain/case-groups';
import type { CaseState } from '../../domain/process/state';
import { evaluationScore, proposalProblems, type ProposedResult } from '../../domain/annual-assessment';
import { batchRefusal, checkRoundQuota, quotaLimit, quotaOf } from '../../domain/promotion-rounds';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { largestWithin, type RoundQuota, type Share } from '../../domain/rules/rule-set';

/**
 * The annual promotion round's quota and batch approval, and the annual assessment's cap on 优秀, written
 * reasons and 民主测评 score, at their boundaries.
 */

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
const third: Share = { numerator: 1, denominator: 3, strict: false };
const belowThird: Share = { numerator: 1, denominator: 3, strict: true };

describe('the largest count within a share', () => {
  test.each<[number, Share, number]>([
    [9, third, 3],
    [10, third, 3],
    [2, third, 0],
    [0, third, 0],
    [9, belowThird, 2],
    [10, belowThird, 3],
    [5, { numerator: 1, denominator: 5, strict: false }, 1],
    [4, { numerator: 1, denominator: 5, strict: false }, 0],
    [12, { numerator: 1, denominator: 1, strict: false }, 12],
  ])('%i with %o: %i', (whole, share, expected) => {
    expect(largestWithin(whole, share)).toBe(expected);
  });
});

describe("a round's quota", () => {
  const count: RoundQuota = { kind: 'count', max: 2 };
  const share: RoundQuota = { kind: 'share', share: third };
  test.each<[string, RoundQuota, number, number, boolean, number]>([
    ['a count: 2 of 2', count, 2, 30, true, 2],
    ['a count: 3 over 2', count, 3, 30, false, 2],
    ['a count ignores the eligible number', count, 2, 1, true, 2],
    ['a third of 9: 3 fits', share, 3, 9, true, 3],
    ['a third of 9: 4 is over', share, 4, 9, false, 3],
    ['a third of 8: 2 (rounded down)', share, 3, 8, false, 2],
    ['nobody proposed fits any quota', share, 0, 0, true, 0],
  ])('%s', (_name, quota, proposed, eligible, within, limit) => {
    const check = checkRoundQuota(quota, proposed, eligible);
    expect({ within: check.within, limit: check.limit }).toEqual({ within, limit });
    expect(check.reason.zh).toContain(within ? '未超过' : '超过');
    expect(quotaLimit(quota, eligible)).toBe(limit);
  });

  test("a street's own quota, else the default", () => {
    const own: RoundQuota = { kind: 'count', max: 4 };
    const withOwn = { ...rules.promotionRounds, quotas: { 'street-nhl': own } };
    expect(quotaOf(withOwn, 'street-nhl')).toBe(own);
    expect(quotaOf(withOwn, 'street-other')).toBe(rules.promotionRounds.defaultQuota);
    // "constructor" and the like are no street's quota.
    expect(quotaOf(withOwn, 'constructor')).toBe(rules.promotionRounds.defaultQuota);
  });
});

describe('batch approval', () => {
  const round = 'promotion-round-nhl-2026';
  test.each<[string, string | null, string | null, RegExp | null]>([
    ['promotion', 'community-recommendation', round, null],
    ['promotion', 'community-recommendation', null, /outside a yearly round/],
    ['promotion', 'street-decision', round, /only the community-recommendation stage/],
    ['promotion', null, round, /no open stage/],
    ['exit', 'street-decision', null, /one at a time/],
    ['exit', 'street-decision', round, /one at a time/],
    ['appeal', 'review', null, /one at a time/],
    ['error-tolerance', 'community-report', null, /one at a time/],
    ['commendation', 'community-recommendation', null, /one at a time/],
    ['constructor', 'community-recommendation', round, /one at a time/],
  ])('%s at %s in round %s: refused %s', (type, stage, roundId, refused) => {
    const refusal = batchRefusal(type, stage, roundId);
    if (refused === null) expect(refusal).toBeNull();
    else {
      expect(refusal?.en).toMatch(refused);
      expect(refusal?.zh).toMatch(/批量审批/);
    }
  });
});

describe("a round's decision its case refused: wait for the case, or give up saying why", () => {
  type Case = Pick<CaseState, 'status' | 'current' | 'stageData' | 'returned'>;
  const at = (stageId: string, more: Partial<NonNullable<CaseState['current']>> = {}) =>
    ({ stageId, phase: 'open', needsEligibility: false, ...more }) as NonNullable<CaseState['current']>;
  const base: Case = { status: 'in_review', current: at('street-decision'), stageData: {}, returned: null };
  test.each<[string, Case, boolean, RegExp]>([
    ['still at the community stage', { ...base, current: at('community-recommendation') }, true, /not yet at the street-decision/],
    ['returned for amendment', { ...base, status: 'returned', returned: { by: 'x' } as Case['returned'] }, true, /returned/],
    ['its eligibility being re-checked', { ...base, current: at('street-decision', { needsEligibility: true }) }, true, /not open yet/],
    ['its stage still opening', { ...base, current: at('street-decision', { phase: 'resolving' }) }, true, /not open yet/],
    ['at the stage: the refusal stands', base, false, /^no quorum$/],
    ['ended', { ...base, status: 'withdrawn', current: null }, false, /ended \(withdrawn\)/],
    [
      'decided without the round',
      { ...base, status: 'public_notice', current: null, stageData: { 'street-decision': {} } },
      false,
      /decided without the round's decision/,
    ],
  ])('%s', (_name, state, wait, reason) => {
    const verdict = undelivered(state, 'street-decision', 'no quorum');
    expect(verdict.wait).toBe(wait);
    expect(verdict.reason).toMatch(reason);
  });
});

describe('the evaluation group’s proposal', () => {
  const assessment = rules.annualAssessment;
  const of = (results: ProposedResult['result'][], reasons: Record<number, string> = {}): ProposedResult[] =>
    results.map((result, i) => ({ workerId: `w${i}`, result, ...(reasons[i] !== undefined ? { reason: reasons[i] } : {}) }));
  const competent = (n: number) => Array.from({ length: n }, () => 'competent' as const);

  test.each<[string, ProposedResult[], string[]]>([
    ['1 优秀 of 5 is within a fifth', of(['excellent', ...competent(4)]), []],
    ['2 优秀 of 5 is over a fifth', of(['excellent', 'excellent', ...competent(3)]), ['assessment.excellent-share:']],
    ['2 优秀 of 10 is within', of(['excellent', 'excellent', ...competent(8)]), []],
    ['1 优秀 of 4 is over (a fifth of 4 rounds down to 0)', of(['excellent', ...competent(3)]), ['assessment.excellent-share:']],
    ['基本合格 with a reason', of(['basically_competent', 'competent'], { 0: '全年请假较多，任务完成不足' }), []],
    ['基本合格 without a reason', of(['basically_competent', 'competent']), ['assessment.reason-required:w0']],
    ['不合格 with a blank reason', of(['competent', 'incompetent'], { 1: '   ' }), ['assessment.reason-required:w1']],
    ['合格 needs no reason', of(competent(3)), []],
  ])('%s', (_name, results, expected) => {
    expect(proposalProblems(results, assessment).map((p) => `${p.code}:${p.workerId ?? ''}`)).toEqual(expected);
  });
});

describe('the 民主测评 score', () => {
  const weights = { residents: 0.6, colleagues: 0.4 };
  test.each<[string, { group: 'residents' | 'colleagues'; score: number }[], number | null]>([
    ['nobody scored', [], null],
    [
      'both groups, weighted',
      [
        { group: 'residents', score: 90 },
        { group: 'residents', score: 80 },
        { group: 'colleagues', score: 70 },
      ],
      79,
    ],
    ['residents only', [{ group: 'residents', score: 88.5 }], 88.5],
    [
      'colleagues only',
      [
        { group: 'colleagues', score: 60 },
        { group: 'colleagues', score: 61 },
      ],
      60.5,
    ],
  ])('%s', (_name, scores, expected) => {
    expect(evaluationScore(scores, weights)).toBe(expected);
  });
});
