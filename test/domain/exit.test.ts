import { detectExitTriggers, exitReasons, qualificationStatus } from '../../domain/exit';
import type { AssessmentResult, PersonnelRecord } from '../../domain/personnel';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

/** A worker with exactly the given assessments (no others) and, unless told, a certificate. */
function worker(assessments: Record<number, AssessmentResult>, overrides: Partial<PersonnelRecord> = {}): PersonnelRecord {
  return {
    id: 'w-1',
    name: '测试',
    gender: 'male',
    birthDate: '1988-01-01',
    education: 'junior_college',
    postType: 'general',
    employmentType: 'contract',
    grade: 3,
    gradeSince: '2020-01-01',
    hireDate: '2018-01-01',
    postSince: '2018-01-01',
    qualification: { level: 'assistant', obtainedOn: '2019-06-01', eligibleSince: '2018-01-01' },
    status: 'active',
    assessments: Object.entries(assessments).map(([year, result]) => ({ year: Number(year), result })),
    disciplinary: [],
    gradeChanges: [],
    awards: [],
    ...overrides,
  };
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
  const pending = (eligibleSince: string | null) => worker({}, { qualification: { level: 'none', obtainedOn: null, eligibleSince } });
  test.each([
    ['2023-05-20', '2026-02-18', { deadline: '2026-05-20', daysLeft: 91, overdue: false, warn: false }],
    ['2023-05-20', '2026-02-19', { deadline: '2026-05-20', daysLeft: 90, overdue: false, warn: true }],
    ['2023-05-20', '2026-05-20', { deadline: '2026-05-20', daysLeft: 0, overdue: false, warn: true }],
    ['2023-05-20', '2026-05-21', { deadline: '2026-05-20', daysLeft: -1, overdue: true, warn: false }],
    ['2024-02-29', '2027-02-28', { deadline: '2027-02-28', daysLeft: 0, overdue: false, warn: true }],
    ['2024-02-29', '2027-03-01', { deadline: '2027-02-28', daysLeft: -1, overdue: true, warn: false }],
  ])('eligible since %s, on %s', (eligibleSince, asOf, expected) => {
    expect(qualificationStatus(pending(eligibleSince), rules, asOf)).toEqual(expected);
  });

  test.each([
    [
      'holds a certificate',
      worker({}, { qualification: { level: 'intermediate', obtainedOn: '2020-01-01', eligibleSince: '2018-01-01' } }),
    ],
    ['eligibility date unknown', pending(null)],
  ])('none when the worker %s', (_name, w) => {
    expect(qualificationStatus(w, rules, '2026-03-01')).toBeNull();
  });

  test('an overdue certificate is an exit trigger of the inferred reason', () => {
    const triggers = detectExitTriggers(pending('2022-01-10'), rules, '2026-03-01');
    expect(triggers).toEqual([
      expect.objectContaining({
        reasonCode: 'no-qualification',
        ruleId: 'exit.qualification-deadline',
        data: expect.objectContaining({ deadline: '2025-01-10' }),
      }),
    ]);
    const { qualificationReasonCode: _q, ...exit } = rules.exit;
    expect(detectExitTriggers(pending('2022-01-10'), { ...rules, exit }, '2026-03-01')).toEqual([]);
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
