import { detectExitTriggers, exitReasons, qualificationStatus } from '../../domain/exit';
import type { AssessmentResult, PersonnelRecord } from '../../domain/personnel';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { aWorker } from './worker-fixture';

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

/** A worker with exactly the given assessments (no others) and, unless told, a certificate. */
function worker(assessments: Record<number, AssessmentResult>, overrides: Partial<PersonnelRecord> = {}): PersonnelRecord {
  return aWorker(assessments, { gender: 'male', ...overrides });
}

const codes = (w: PersonnelRecord, asOf = '2026-03-01') => detectExitTriggers(w, rules, asOf).map((t) => t.reasonCode);

describe('assessment triggers', () => {
  test.each<[string, Record<number, AssessmentResult>, string[]]>([
    ['2 × 不合格', { 2023: 'competent', 2024: 'incompetent', 2025: 'incompetent' }, ['consecutive-incompetent']],
    ['1 × 不合格', { 2024: 'competent', 2025: 'incompetent' }, []],
    ['不合格 with 合格 between', { 2023: 'incompetent', 2024: 'competent', 2025: 'incompetent' }, []],
    ['不合格 with a missing year between', { 2023: 'incompetent', 2025: 'incompetent' }, []],
    ['an old run broken by the latest year', { 2023: 'incompetent', 2024: 'incompetent', 2025: 'competent' }, []],
    [
      '3 × 基本合格',
      { 2023: 'basically_competent', 2024: 'basically_competent', 2025: 'basically_competent' },
      ['consecutive-basically-competent'],
    ],
    ['2 × 基本合格', { 2023: 'competent', 2024: 'basically_competent', 2025: 'basically_competent' }, []],
    [
      '3 × 基本合格 with a missing year',
      { 2021: 'basically_competent', 2022: 'basically_competent', 2024: 'basically_competent', 2025: 'basically_competent' },
      [],
    ],
    [
      '基本合格, 不合格, 基本合格: three weak years',
      { 2023: 'basically_competent', 2024: 'incompetent', 2025: 'basically_competent' },
      ['consecutive-basically-competent'],
    ],
    [
      '基本合格, 不合格, 不合格: both',
      { 2023: 'basically_competent', 2024: 'incompetent', 2025: 'incompetent' },
      ['consecutive-incompetent', 'consecutive-basically-competent'],
    ],
    [
      'the latest recorded year anchors the run',
      { 2022: 'basically_competent', 2023: 'basically_competent', 2024: 'basically_competent' },
      ['consecutive-basically-competent'],
    ],
    ['no assessments', {}, []],
  ])('%s', (_name, assessments, expected) => {
    expect(codes(worker(assessments)).sort()).toEqual([...expected].sort());
  });

  test('a future year is not used', () => {
    expect(codes(worker({ 2025: 'incompetent', 2026: 'incompetent' }), '2025-12-31')).toEqual([]);
  });

  test('without orWorse a 不合格 breaks a run of 基本合格', () => {
    const strict: RuleSet = {
      ...rules,
      exit: { ...rules.exit, assessmentTriggers: rules.exit.assessmentTriggers.map(({ orWorse: _o, ...t }) => t) },
    };
    const w = worker({ 2023: 'basically_competent', 2024: 'incompetent', 2025: 'basically_competent' });
    expect(detectExitTriggers(w, strict, '2026-03-01')).toEqual([]);
  });

  test('a trigger names its rule, years and results', () => {
    const [trigger] = detectExitTriggers(worker({ 2024: 'incompetent', 2025: 'incompetent' }), rules, '2026-03-01');
    expect(trigger).toEqual({
      reasonCode: 'consecutive-incompetent',
      ruleId: 'exit.assessment-run',
      detail: expect.objectContaining({ zh: expect.stringContaining('2024年不合格、2025年不合格') }),
      data: { years: [2024, 2025], results: ['incompetent', 'incompetent'], result: 'incompetent', orWorse: false, consecutiveYears: 2 },
    });
  });

  test('an exited worker has no triggers', () => {
    expect(codes(worker({ 2024: 'incompetent', 2025: 'incompetent' }, { status: 'exited' }))).toEqual([]);
  });
});

describe('qualification deadline (3 years after becoming eligible, warn 90 days before)', () => {
  const eligibility = (since: string) => ({ since, basis: 'other_college_4y' as const, evidence: '证明' });
  // Hired after the rule took effect (2025-01-01), so it binds.
  const pending = (eligibleSince: string | null, hireDate = '2025-02-01') =>
    worker(
      {},
      { hireDate, qualification: { level: 'none', obtainedOn: null, eligibility: eligibleSince ? eligibility(eligibleSince) : null } },
    );
  test.each([
    ['2023-05-20', '2026-02-18', { deadline: '2026-05-20', daysLeft: 91, overdue: false, warn: false }],
    ['2023-05-20', '2026-02-19', { deadline: '2026-05-20', daysLeft: 90, overdue: false, warn: true }],
    ['2023-05-20', '2026-05-20', { deadline: '2026-05-20', daysLeft: 0, overdue: false, warn: true }],
    ['2023-05-20', '2026-05-21', { deadline: '2026-05-20', daysLeft: -1, overdue: true, warn: false }],
    ['2024-02-29', '2027-02-28', { deadline: '2027-02-28', daysLeft: 0, overdue: false, warn: true }],
    ['2024-02-29', '2027-03-01', { deadline: '2027-02-28', daysLeft: -1, overdue: true, warn: false }],
  ])('eligible since %s, on %s', (eligibleSince, asOf, expected) => {
    expect(qualificationStatus(pending(eligibleSince), rules, asOf)).toEqual({ ...expected, countsFrom: eligibleSince });
  });

  test.each([
    [
      'holds a certificate',
      worker(
        {},
        {
          hireDate: '2025-02-01',
          qualification: { level: 'intermediate', obtainedOn: '2020-01-01', eligibility: eligibility('2018-01-01') },
        },
      ),
    ],
    ['has no recorded date of eligibility', pending(null)],
    ['was hired the day before the rule took effect', pending('2023-05-20', '2024-12-31')],
  ])('none when the worker %s', (_name, w) => {
    expect(qualificationStatus(w, rules, '2026-03-01')).toBeNull();
  });

  // exit.qualification: the effective date, whom it binds, and what the years count from.
  const variant = (q: Partial<RuleSet['exit']['qualification']>): RuleSet => ({
    ...rules,
    exit: { ...rules.exit, qualification: { ...rules.exit.qualification, ...q } },
  });
  test.each<[string, RuleSet, PersonnelRecord, string | null]>([
    ['hired on the effective date: bound', rules, pending('2023-05-20', '2025-01-01'), '2026-05-20'],
    ['hired before it: not bound', rules, pending('2023-05-20', '2024-12-31'), null],
    ['hired before it, a county binding everyone', variant({ appliesTo: 'everyone' }), pending('2023-05-20', '2010-03-01'), '2026-05-20'],
    ['a county with a later effective date', variant({ effectiveFrom: '2026-01-01' }), pending('2023-05-20', '2025-02-01'), null],
    ['hired already eligible, counted from eligibility', rules, pending('2020-01-10', '2025-02-01'), '2023-01-10'],
    [
      'hired already eligible, counted from the hire date',
      variant({ countsFrom: 'later-of-eligibility-and-hire' }),
      pending('2020-01-10', '2025-02-01'),
      '2028-02-01',
    ],
    ['a longer deadline', variant({ years: 5 }), pending('2023-05-20'), '2028-05-20'],
  ])('%s', (_name, set, w, deadline) => {
    expect(qualificationStatus(w, set, '2026-03-01')?.deadline ?? null).toBe(deadline);
  });

  test('an overdue certificate is an exit trigger of the inferred reason', () => {
    const triggers = detectExitTriggers(pending('2022-01-10'), rules, '2026-03-01');
    expect(triggers).toEqual([
      expect.objectContaining({
        reasonCode: 'no-qualification',
        ruleId: 'exit.qualification-deadline',
        data: expect.objectContaining({ deadline: '2025-01-10', eligibleSince: '2022-01-10', eligibilityBasis: 'other_college_4y' }),
      }),
    ]);
    const { reasonCode: _q, ...qualification } = rules.exit.qualification;
    expect(detectExitTriggers(pending('2022-01-10'), { ...rules, exit: { ...rules.exit, qualification } }, '2026-03-01')).toEqual([]);
  });

  test('a worker hired before the rule is not proposed for exit over the certificate', () => {
    expect(detectExitTriggers(pending('2018-01-10', '2019-03-01'), rules, '2026-03-01')).toEqual([]);
  });
});

test('exit reasons: 3 confirmed, 4 inferred candidates', () => {
  const reasons = exitReasons(rules);
  expect(reasons.filter((r) => r.status === 'confirmed').map((r) => r.code)).toEqual([
    'consecutive-incompetent',
    'consecutive-basically-competent',
    'dereliction',
  ]);
  expect(reasons.filter((r) => r.status === 'inferred').map((r) => r.code)).toEqual([
    'probation-failed',
    'no-qualification',
    'discipline-or-crime',
    'incapable',
  ]);
  expect(reasons.find((r) => r.code === 'dereliction')?.title.zh).toBe('因工作失职，造成居民群众利益重大损失或者造成恶劣影响');
});
