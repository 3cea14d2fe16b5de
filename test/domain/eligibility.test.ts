import { CASE_TYPE_NAMES, eligibilityOf } from '../../domain/case-types';
import { evaluateCommendation } from '../../domain/case-types/commendation/eligibility';
import { evaluatePromotion, type PromotionRequest } from '../../domain/case-types/promotion/eligibility';
import { evaluateRecruitment } from '../../domain/case-types/recruitment/eligibility';
import type { EligibilityResult } from '../../domain/eligibility/types';
import type { AssessmentResult, PersonnelRecord } from '../../domain/personnel';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

type Results = Record<number, AssessmentResult>;

/** A worker in good standing unless told otherwise: 一般工作人员 at grade 5 since 2023-01-01, all years 合格. */
function worker(overrides: Partial<PersonnelRecord> = {}, assessments: Results = {}): PersonnelRecord {
  const base: Results = {};
  for (let y = 2015; y <= 2025; y += 1) base[y] = 'competent';
  const merged = { ...base, ...assessments };
  return {
    id: 'w-1',
    name: '测试',
    gender: 'female',
    birthDate: '1990-06-15',
    education: 'bachelor',
    postType: 'general',
    employmentType: 'contract',
    grade: 5,
    gradeSince: '2023-01-01',
    hireDate: '2015-01-01',
    postSince: '2015-01-01',
    partyPost: null,
    residentsCommitteePost: null,
    secretaryFullTerms: 0,
    qualification: {
      level: 'assistant',
      obtainedOn: '2016-06-01',
      eligibility: { since: '2015-01-01', basis: 'other_bachelor_2y', evidence: '学历证书' },
    },
    status: 'active',
    assessments: Object.entries(merged).map(([year, result]) => ({ year: Number(year), result })),
    disciplinary: [],
    gradeChanges: [],
    awards: [],
    ...overrides,
  };
}

/** Drops the given years' assessments. */
function without(w: PersonnelRecord, ...years: number[]): PersonnelRecord {
  return { ...w, assessments: w.assessments.filter((a) => !years.includes(a.year)) };
}

const failed = (result: EligibilityResult) => result.reasons.filter((r) => !r.passed).map((r) => r.ruleId);
const reasonOf = (result: EligibilityResult, ruleId: string) => {
  const found = result.reasons.find((r) => r.ruleId === ruleId);
  if (!found) throw new Error(`no reason ${ruleId} in ${result.reasons.map((r) => r.ruleId).join(', ')}`);
  return found;
};

describe('promotion: regular', () => {
  test.each<[string, PersonnelRecord, string, string[]]>([
    ['the day before three years', worker({ gradeSince: '2023-03-01' }), '2026-02-28', ['promotion.years-in-grade']],
    ['exactly three years, on the anniversary', worker({ gradeSince: '2023-03-01' }), '2026-03-01', []],
    ['31 December of the third year', worker(), '2025-12-31', ['promotion.years-in-grade']],
    ['1 January after three years', worker(), '2026-01-01', []],
    [
      'a leap-day grade, 28 February of the third year',
      worker({ gradeSince: '2024-02-29' }, { 2024: 'competent', 2025: 'competent', 2026: 'competent' }),
      '2027-02-28',
      ['promotion.years-in-grade'],
    ],
    [
      'a leap-day grade, 1 March of the third year',
      worker({ gradeSince: '2024-02-29' }, { 2024: 'competent', 2025: 'competent', 2026: 'competent' }),
      '2027-03-01',
      [],
    ],
    ['a missing year', without(worker(), 2024), '2026-03-01', ['promotion.assessments']],
    ['a missing first year', without(worker(), 2023), '2026-03-01', ['promotion.assessments']],
    ['at the 一般 ceiling', worker({ grade: 12 }), '2026-03-01', ['promotion.band-ceiling']],
    ['one below the ceiling', worker({ grade: 11 }), '2026-03-01', []],
    ['正职 at 18', worker({ postType: 'head', grade: 18 }), '2026-03-01', ['promotion.band-ceiling']],
    ['exited', worker({ status: 'exited' }), '2026-03-01', ['promotion.status']],
    [
      'the last day of a 政务警告 (6 months from 2025-12-01)',
      worker({ disciplinary: [{ kind: 'government_warning', startDate: '2025-12-01', termEnd: null, reason: 'x' }] }),
      '2026-05-31',
      ['promotion.discipline'],
    ],
    [
      'the day its 6 months are over',
      worker({ disciplinary: [{ kind: 'government_warning', startDate: '2025-12-01', termEnd: null, reason: 'x' }] }),
      '2026-06-01',
      [],
    ],
    [
      'a 党内警告 decided 2025-06-01 still runs (1 year)',
      worker({ disciplinary: [{ kind: 'party_warning', startDate: '2025-06-01', termEnd: null, reason: 'x' }] }),
      '2026-05-31',
      ['promotion.discipline'],
    ],
    [
      '留党察看 for one year, 2 more years after its term',
      worker({ disciplinary: [{ kind: 'party_probation', startDate: '2023-06-01', termEnd: '2024-05-31', reason: 'x' }] }),
      '2026-05-31',
      ['promotion.discipline'],
    ],
    [
      '留党察看, the day its effect is over',
      worker({ disciplinary: [{ kind: 'party_probation', startDate: '2023-06-01', termEnd: '2024-05-31', reason: 'x' }] }),
      '2026-06-01',
      [],
    ],
    [
      'several failures, all reported',
      worker({ status: 'exited', grade: 12, gradeSince: '2025-01-01' }),
      '2026-03-01',
      ['promotion.status', 'promotion.years-in-grade', 'promotion.band-ceiling'],
    ],
  ])('%s', (_name, w, asOf, failures) => {
    const result = evaluatePromotion(w, { kind: 'regular' }, rules, asOf);
    expect(failed(result).sort()).toEqual([...failures].sort());
    expect(result.eligible).toBe(failures.length === 0);
    expect(result.proposal !== undefined).toBe(failures.length === 0);
  });

  test('every rule is reported with its data', () => {
    const result = evaluatePromotion(worker({ gradeSince: '2023-03-01' }), { kind: 'regular' }, rules, '2026-02-28');
    expect(result.reasons.map((r) => r.ruleId)).toEqual([
      'promotion.status',
      'promotion.discipline',
      'promotion.years-in-grade',
      'promotion.assessments',
      'promotion.band-ceiling',
    ]);
    expect(reasonOf(result, 'promotion.years-in-grade').data).toEqual({
      gradeSince: '2023-03-01',
      clockStart: '2023-03-01',
      resetBy: null,
      notCounted: [],
      asOf: '2026-02-28',
      yearsInGrade: 2,
      required: 3,
      reachedOn: '2026-03-01',
    });
    expect(reasonOf(result, 'promotion.years-in-grade').detail.zh).toContain('2026-03-01方满');
  });

  test('a missing year is named', () => {
    const reason = reasonOf(evaluatePromotion(without(worker(), 2024), { kind: 'regular' }, rules, '2026-03-01'), 'promotion.assessments');
    expect(reason.data).toMatchObject({ requiredYears: [2023, 2024, 2025], missingYears: [2024] });
    expect(reason.detail.zh).toContain('缺少2024年度考核结果');
    expect(reason.detail.en).toContain('2024');
  });

  test('a missing year passes when the rules do not require every assessment', () => {
    const lenient: RuleSet = { ...rules, grades: { ...rules.grades, requireEveryAssessment: false } };
    expect(evaluatePromotion(without(worker(), 2024), { kind: 'regular' }, lenient, '2026-03-01').eligible).toBe(true);
  });

  test.each<[string, boolean, PersonnelRecord, string[]]>([
    [
      'joined in July 2023, exempt: 2023 not required',
      true,
      without(worker({ hireDate: '2023-07-01', gradeSince: '2023-07-01' }), 2023),
      [],
    ],
    [
      'joined in July 2023, not exempt: 2023 required',
      false,
      without(worker({ hireDate: '2023-07-01', gradeSince: '2023-07-01' }), 2023),
      ['promotion.assessments'],
    ],
    ['joined on 1 January 2023: 2023 required', true, without(worker({ hireDate: '2023-01-01' }), 2023), ['promotion.assessments']],
  ])('the year of hiring (grades.midYearHireExempt): %s', (_name, exempt, w, failures) => {
    const set: RuleSet = { ...rules, grades: { ...rules.grades, midYearHireExempt: exempt } };
    expect(failed(evaluatePromotion(w, { kind: 'regular' }, set, '2026-07-01'))).toEqual(failures);
  });

  describe('weak results (grades.weakResults): the year is not counted, or the clock restarts', () => {
    const weak = (result: AssessmentResult) =>
      worker({ gradeSince: '2022-01-01' }, { 2022: 'competent', 2023: result, 2024: 'competent', 2025: 'competent', 2026: 'competent' });
    const restart: RuleSet = {
      ...rules,
      grades: { ...rules.grades, weakResults: { basically_competent: 'clock-restarts', incompetent: 'clock-restarts' } },
    };
    // The Jiangsu default, from the 事业单位 analogue: the year is not counted.
    const notCounted = rules;
    const none: RuleSet = { ...rules, grades: { ...rules.grades, weakResults: {} } };
    test.each<[string, RuleSet, PersonnelRecord, string, boolean, string, number]>([
      ['基本合格 in 2023, not counted: 31 December 2025', notCounted, weak('basically_competent'), '2025-12-31', false, '2022-01-01', 4],
      [
        '基本合格 in 2023, not counted: 1 January 2026, a year late',
        notCounted,
        weak('basically_competent'),
        '2026-01-01',
        true,
        '2022-01-01',
        4,
      ],
      ['不合格 in 2023, not counted: 1 January 2026', notCounted, weak('incompetent'), '2026-01-01', true, '2022-01-01', 4],
      ['基本合格 in 2023, clock restarts: 31 December 2026', restart, weak('basically_competent'), '2026-12-31', false, '2024-01-01', 3],
      ['基本合格 in 2023, clock restarts: 1 January 2027', restart, weak('basically_competent'), '2027-01-01', true, '2024-01-01', 3],
      [
        '不合格 in 2024, clock restarts',
        restart,
        worker({ gradeSince: '2022-01-01' }, { 2024: 'incompetent' }),
        '2026-03-01',
        false,
        '2025-01-01',
        3,
      ],
      [
        'a weak result before the grade',
        restart,
        worker({ gradeSince: '2022-01-01' }, { 2021: 'incompetent' }),
        '2025-01-01',
        true,
        '2022-01-01',
        3,
      ],
      ['a result the rules do not list', none, weak('basically_competent'), '2025-01-01', true, '2022-01-01', 3],
    ])('%s', (_name, set, w, asOf, eligible, clockStart, required) => {
      const result = evaluatePromotion(w, { kind: 'regular' }, set, asOf);
      expect(result.eligible).toBe(eligible);
      expect(reasonOf(result, 'promotion.years-in-grade').data).toMatchObject({ clockStart, required });
    });

    test('each is explained', () => {
      const skipped = reasonOf(
        evaluatePromotion(weak('basically_competent'), { kind: 'regular' }, rules, '2025-03-01'),
        'promotion.years-in-grade',
      );
      expect(skipped.data['notCounted']).toEqual([{ year: 2023, result: 'basically_competent' }]);
      expect(skipped.detail.zh).toContain('2023年度考核基本合格，该年度不计算');
      const reset = reasonOf(
        evaluatePromotion(weak('basically_competent'), { kind: 'regular' }, restart, '2026-03-01'),
        'promotion.years-in-grade',
      );
      expect(reset.data['resetBy']).toEqual({ year: 2023, result: 'basically_competent' });
      expect(reset.detail.zh).toContain('自2024-01-01起重新计算');
    });

    test('a year not counted moves the effective date a year later', () => {
      expect(evaluatePromotion(weak('basically_competent'), { kind: 'regular' }, rules, '2026-03-01').proposal?.effectiveFrom).toBe(
        '2026-01-01',
      );
      const steady = worker({ gradeSince: '2022-01-01' });
      expect(evaluatePromotion(steady, { kind: 'regular' }, rules, '2026-03-01').proposal?.effectiveFrom).toBe('2025-01-01');
    });
  });

  test.each([
    [
      'a grade since 1 January steps up that January',
      worker(),
      '2026-03-15',
      { fromGrade: 5, toGrade: 6, postType: 'general', effectiveFrom: '2026-01-01' },
    ],
    [
      'a grade since March steps up the next January',
      worker({ gradeSince: '2023-03-01' }),
      '2026-03-15',
      { fromGrade: 5, toGrade: 6, postType: 'general', effectiveFrom: '2027-01-01' },
    ],
  ])('proposal: %s', (_name, w, asOf, proposal) => {
    expect(evaluatePromotion(w, { kind: 'regular' }, rules, asOf).proposal).toEqual(proposal);
  });

  test('decision-date rules take effect on the decision', () => {
    const onDecision: RuleSet = { ...rules, grades: { ...rules.grades, effectiveFrom: 'decision-date' } };
    expect(evaluatePromotion(worker(), { kind: 'regular' }, onDecision, '2026-03-15').proposal?.effectiveFrom).toBe('2026-03-15');
  });

  test('a malformed asOf is a programming error', () => {
    expect(() => evaluatePromotion(worker(), { kind: 'regular' }, rules, '2026-3-1')).toThrow(RangeError);
  });
});

describe('promotion: early', () => {
  const excellent = worker({ gradeSince: '2024-01-01' }, { 2024: 'excellent', 2025: 'excellent' });
  const early = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ fromGrade: 2 + i, toGrade: 3 + i, effectiveFrom: `${2016 + i}-01-01`, reason: 'early' }));
  test.each<[string, PersonnelRecord, string, string[]]>([
    ['two years in grade, the last two years 优秀', excellent, '2026-01-01', []],
    ['one year short', excellent, '2025-12-31', ['promotion.years-in-grade', 'promotion.early.consecutive-excellent']],
    [
      '2025 only 合格',
      worker({ gradeSince: '2024-01-01' }, { 2024: 'excellent', 2025: 'competent' }),
      '2026-01-01',
      ['promotion.early.consecutive-excellent'],
    ],
    ['2025 not recorded', without(excellent, 2025), '2026-01-01', ['promotion.early.consecutive-excellent', 'promotion.assessments']],
    ['one early promotion used', { ...excellent, gradeChanges: early(1) }, '2026-01-01', []],
    ['two early promotions used', { ...excellent, gradeChanges: early(2) }, '2026-01-01', ['promotion.early.limit']],
    [
      'regular promotions do not count toward the limit',
      { ...excellent, gradeChanges: [...early(1), { fromGrade: 4, toGrade: 5, effectiveFrom: '2024-01-01', reason: 'regular' }] },
      '2026-01-01',
      [],
    ],
    [
      '优秀 from before the grade cannot be reused',
      worker({ gradeSince: '2025-01-01' }, { 2024: 'excellent', 2025: 'excellent' }),
      '2027-01-01',
      ['promotion.early.consecutive-excellent', 'promotion.assessments'],
    ],
    [
      '优秀 in the current grade: 2025 and 2026',
      worker({ gradeSince: '2025-01-01' }, { 2025: 'excellent', 2026: 'excellent' }),
      '2027-01-01',
      [],
    ],
    [
      'leap-day grade, 28 February',
      worker({ gradeSince: '2024-02-29' }, { 2024: 'excellent', 2025: 'excellent' }),
      '2026-02-28',
      ['promotion.years-in-grade'],
    ],
    ['leap-day grade, 1 March', worker({ gradeSince: '2024-02-29' }, { 2024: 'excellent', 2025: 'excellent' }), '2026-03-01', []],
    [
      'at the ceiling',
      worker({ gradeSince: '2024-01-01', grade: 12 }, { 2024: 'excellent', 2025: 'excellent' }),
      '2026-01-01',
      ['promotion.band-ceiling'],
    ],
  ])('%s', (_name, w, asOf, failures) => {
    const result = evaluatePromotion(w, { kind: 'early' }, rules, asOf);
    expect(failed(result).sort()).toEqual([...failures].sort());
  });

  test('grades.earlyPromotion.withinCurrentGrade: false lets 优秀 years before the grade count', () => {
    const open: RuleSet = {
      ...rules,
      grades: { ...rules.grades, earlyPromotion: { ...rules.grades.earlyPromotion, withinCurrentGrade: false } },
    };
    const before = worker({ gradeSince: '2026-01-01' }, { 2024: 'excellent', 2025: 'excellent', 2026: 'competent', 2027: 'competent' });
    expect(failed(evaluatePromotion(before, { kind: 'early' }, rules, '2028-01-01'))).toContain('promotion.early.consecutive-excellent');
    expect(failed(evaluatePromotion(before, { kind: 'early' }, open, '2026-06-01'))).not.toContain('promotion.early.consecutive-excellent');
  });

  test('the limit reports its count', () => {
    const result = evaluatePromotion({ ...excellent, gradeChanges: early(2) }, { kind: 'early' }, rules, '2026-01-01');
    expect(reasonOf(result, 'promotion.early.limit').data).toEqual({ used: 2, max: 2 });
  });

  test('the proposal takes effect in the January after the last 优秀 year', () => {
    expect(evaluatePromotion(excellent, { kind: 'early' }, rules, '2026-04-01').proposal).toEqual({
      fromGrade: 5,
      toGrade: 6,
      postType: 'general',
      effectiveFrom: '2026-01-01',
    });
  });
});

describe('promotion: post change', () => {
  const at = '2026-04-01';
  test.each<[string, PersonnelRecord, PromotionRequest, string[], number | null]>([
    ['一般 grade 2 → 副职 enters at the band minimum', worker({ grade: 2 }), { kind: 'post-change', newPostType: 'deputy' }, [], 4],
    ['一般 grade 9 → 副职 keeps the grade', worker({ grade: 9 }), { kind: 'post-change', newPostType: 'deputy' }, [], 9],
    ['副职 grade 5 → 正职', worker({ postType: 'deputy', grade: 5 }), { kind: 'post-change', newPostType: 'head' }, [], 7],
    [
      '正职 → 副职 is not higher',
      worker({ postType: 'head', grade: 9 }),
      { kind: 'post-change', newPostType: 'deputy' },
      ['promotion.post-change.higher-post'],
      null,
    ],
    [
      '副职 → 副职 is not higher',
      worker({ postType: 'deputy', grade: 6 }),
      { kind: 'post-change', newPostType: 'deputy' },
      ['promotion.post-change.higher-post'],
      null,
    ],
    ['no new post type', worker(), { kind: 'post-change' }, ['promotion.post-change.higher-post', 'promotion.band-ceiling'], null],
    ['no years in grade needed', worker({ gradeSince: '2026-01-01' }), { kind: 'post-change', newPostType: 'deputy' }, [], 5],
  ])('%s', (_name, w, request, failures, toGrade) => {
    const result = evaluatePromotion(w, request, rules, at);
    expect(failed(result).sort()).toEqual([...failures].sort());
    expect(result.proposal?.toGrade ?? null).toBe(toGrade);
    if (toGrade !== null) expect(result.proposal?.postType).toBe(request.newPostType);
  });

  test('a new band whose ceiling is below the current grade refuses the move', () => {
    const odd: RuleSet = { ...rules, grades: { ...rules.grades, bands: { ...rules.grades.bands, general: { min: 1, max: 16 } } } };
    const result = evaluatePromotion(worker({ grade: 16 }), { kind: 'post-change', newPostType: 'deputy' }, odd, at);
    expect(failed(result)).toEqual(['promotion.band-ceiling']);
    expect(reasonOf(result, 'promotion.band-ceiling').data).toMatchObject({ toGrade: 16, bandMax: 15 });
  });

  test.each<[string, RuleSet['grades']['postChangeEffectiveFrom'], string]>([
    ['on the decision date (a secretary elected in March is a head from then)', 'decision-date', '2026-03-20'],
    ['the following 1 January, where a county so rules', 'next-january', '2027-01-01'],
  ])('a post change takes effect %s', (_name, rule, effectiveFrom) => {
    const set: RuleSet = { ...rules, grades: { ...rules.grades, postChangeEffectiveFrom: rule } };
    const result = evaluatePromotion(
      worker({ postType: 'deputy', grade: 6 }),
      { kind: 'post-change', newPostType: 'head' },
      set,
      '2026-03-20',
    );
    expect(result.proposal).toEqual({ fromGrade: 6, toGrade: 7, postType: 'head', effectiveFrom });
  });

  test("a post change does not follow the regular step's next-January rule", () => {
    expect(rules.grades.effectiveFrom).toBe('next-january');
    const moved = evaluatePromotion(worker({ grade: 2 }), { kind: 'post-change', newPostType: 'deputy' }, rules, '2026-03-20');
    expect(moved.proposal?.effectiveFrom).toBe('2026-03-20');
  });

  test('a bonus adds to the new grade', () => {
    const bonus: RuleSet = { ...rules, grades: { ...rules.grades, postChangeBonus: 1 } };
    expect(evaluatePromotion(worker({ grade: 9 }), { kind: 'post-change', newPostType: 'deputy' }, bonus, at).proposal?.toGrade).toBe(10);
  });
});

describe('recruitment', () => {
  const deputy = (o: Partial<PersonnelRecord> = {}, a: Results = {}) =>
    worker(
      { postType: 'deputy', grade: 8, postSince: '2023-06-01', birthDate: '1990-06-15', education: 'junior_college', ...o },
      { 2024: 'excellent', ...a },
    );
  const asOf = '2026-06-01';

  test.each<[string, 'civil-service' | 'public-institution', PersonnelRecord, string, string[]]>([
    ['副职, 3 years in post, civil service', 'civil-service', deputy(), asOf, []],
    [
      '副职, a day short of 3 years, civil service',
      'civil-service',
      deputy({ postSince: '2023-06-02' }),
      asOf,
      ['recruitment.years-in-post'],
    ],
    ['正职, 2 years in post, civil service', 'civil-service', deputy({ postType: 'head', postSince: '2024-06-01' }), asOf, []],
    [
      '正职, 2 years in post, public institution (needs 3)',
      'public-institution',
      deputy({ postType: 'head', postSince: '2024-06-01' }),
      asOf,
      ['recruitment.years-in-post'],
    ],
    ['一般工作人员, civil service', 'civil-service', deputy({ postType: 'general' }), asOf, ['recruitment.post-type']],
    ['一般工作人员, public institution', 'public-institution', deputy({ postType: 'general' }), asOf, ['recruitment.post-type']],
    // civil service 25–40 周岁: a person is N from the day after the N-th birthday
    ['41st birthday: still 40', 'civil-service', deputy({ birthDate: '1985-06-01' }), '2026-06-01', []],
    ['the day after the 41st birthday', 'civil-service', deputy({ birthDate: '1985-06-01' }), '2026-06-02', ['recruitment.age']],
    ['25th birthday: still 24', 'civil-service', deputy({ birthDate: '2001-06-01' }), '2026-06-01', ['recruitment.age']],
    ['the day after the 25th birthday', 'civil-service', deputy({ birthDate: '2001-06-01' }), '2026-06-02', []],
    ['45, public institution', 'public-institution', deputy({ birthDate: '1980-06-15' }), asOf, []],
    ['older than 40 but 45 is fine for a public institution', 'public-institution', deputy({ birthDate: '1983-01-01' }), asOf, []],
    ['the same age fails the civil-service limit', 'civil-service', deputy({ birthDate: '1983-01-01' }), asOf, ['recruitment.age']],
    // born 29 February: 45 on 28 February 2026, 46 on 1 March
    ['born 29 February, 28 February', 'public-institution', deputy({ birthDate: '1980-02-29', postSince: '2023-02-01' }), '2026-02-28', []],
    [
      'born 29 February, 1 March',
      'public-institution',
      deputy({ birthDate: '1980-02-29', postSince: '2023-02-01' }),
      '2026-03-01',
      ['recruitment.age'],
    ],
    ['高中', 'civil-service', deputy({ education: 'high_school' }), asOf, ['recruitment.education']],
    ['中专', 'public-institution', deputy({ education: 'secondary_vocational' }), asOf, ['recruitment.education']],
    ['硕士', 'public-institution', deputy({ education: 'master' }), asOf, []],
    ['no 优秀 in 2023–2025', 'civil-service', deputy({}, { 2024: 'competent' }), asOf, ['recruitment.assessments.excellent']],
    ['a 基本合格 in the window', 'public-institution', deputy({}, { 2023: 'basically_competent' }), asOf, ['recruitment.assessments']],
    ['a 基本合格 before the window', 'public-institution', deputy({}, { 2022: 'basically_competent' }), asOf, []],
    ['a missing year in the window', 'civil-service', without(deputy(), 2025), asOf, ['recruitment.assessments']],
    [
      'the missing 优秀 year',
      'civil-service',
      without(deputy(), 2024),
      asOf,
      ['recruitment.assessments', 'recruitment.assessments.excellent'],
    ],
    [
      'a 记过 under the contract in effect (12 months)',
      'civil-service',
      deputy({ disciplinary: [{ kind: 'contract_demerit', startDate: '2025-06-02', termEnd: null, reason: 'x' }] }),
      asOf,
      ['recruitment.discipline'],
    ],
    [
      'a 记过 under the contract, its 12 months over',
      'civil-service',
      deputy({ disciplinary: [{ kind: 'contract_demerit', startDate: '2025-06-01', termEnd: null, reason: 'x' }] }),
      asOf,
      [],
    ],
    ['already recruited', 'civil-service', deputy({ status: 'recruited' }), asOf, ['recruitment.status']],
  ])('%s', (_name, track, w, at, failures) => {
    const result = evaluateRecruitment(w, { track }, rules, at);
    expect(failed(result).sort()).toEqual([...failures].sort());
    expect(result.eligible).toBe(failures.length === 0);
  });

  describe("Jiangsu's track: a community party secretary after three consecutive full terms", () => {
    const secretary = (o: Partial<PersonnelRecord> = {}, a: Results = { 2024: 'excellent' }) =>
      worker({ postType: 'head', grade: 12, partyPost: 'secretary', secretaryFullTerms: 3, birthDate: '1975-01-01', ...o }, a);
    test.each<[string, PersonnelRecord, string[]]>([
      ['three full terms', secretary(), []],
      ['two full terms', secretary({ secretaryFullTerms: 2 }), ['recruitment.secretary-terms']],
      ['a head who is not the secretary', secretary({ partyPost: 'deputy_secretary' }), ['recruitment.secretary-terms']],
      ['aged 61: no age limit in the source', secretary({ birthDate: '1965-01-01' }), []],
      ['高中: no education threshold in the source', secretary({ education: 'high_school' }), []],
      ['a deputy', secretary({ postType: 'deputy', grade: 8 }), ['recruitment.post-type']],
      ['no 优秀 in the last three years', secretary({}, {}), ['recruitment.assessments.excellent']],
    ])('%s', (_name, w, failures) => {
      expect(failed(evaluateRecruitment(w, { track: 'jiangsu-secretary' }, rules, asOf)).sort()).toEqual([...failures].sort());
    });

    test('the other tracks are analogues, this one is sourced', () => {
      expect(rules.provenance['recruitment.jiangsu-secretary.minSecretaryFullTerms']?.status).toBe('sourced');
      expect(rules.provenance['recruitment.civil-service.minYearsInPost']?.status).toBe('analogue');
      expect(rules.provenance['recruitment.public-institution.maxAge']?.status).toBe('analogue');
    });
  });

  test('the data behind age and years in post', () => {
    const result = evaluateRecruitment(deputy({ birthDate: '2000-02-29' }), { track: 'civil-service' }, rules, '2026-03-01');
    // The age, never the birth date (it would rebuild a masked national ID number).
    expect(reasonOf(result, 'recruitment.age').data).toEqual({
      asOf: '2026-03-01',
      age: 26,
      minAge: 25,
      maxAge: 40,
    });
    expect(reasonOf(result, 'recruitment.years-in-post').data).toEqual({
      postSince: '2023-06-01',
      asOf: '2026-03-01',
      yearsInPost: 2,
      required: 3,
    });
    const missing = reasonOf(
      evaluateRecruitment(without(deputy(), 2025), { track: 'civil-service' }, rules, asOf),
      'recruitment.assessments',
    );
    expect(missing.data).toMatchObject({ years: [2023, 2024, 2025], missingYears: [2025] });
    expect(missing.detail.zh).toContain('缺少2025年度考核结果');
  });
});

describe('commendation', () => {
  const asOf = '2026-06-01';
  const measure = (kind: PersonnelRecord['disciplinary'][number]['kind'], startDate: string, termEnd: string | null = null) => ({
    disciplinary: [{ kind, startDate, termEnd, reason: 'x' }],
  });
  test.each<[string, PersonnelRecord, string[]]>([
    ['clean record', worker(), []],
    ['a 政务警告 whose 6 months ended yesterday', worker(measure('government_warning', '2025-12-01')), []],
    ['a 政务警告 on its last day', worker(measure('government_warning', '2025-12-02')), ['commendation.discipline']],
    ['a 严重警告 (18 months) from 2025-01-01', worker(measure('party_serious_warning', '2025-01-01')), ['commendation.discipline']],
    ['a 开除党籍 five years ago, to the day', worker(measure('party_expulsion', '2021-06-01')), []],
    ['a measure recorded for a later start', worker(measure('contract_warning', '2026-06-02')), []],
    ['2025 基本合格', worker({}, { 2025: 'basically_competent' }), ['commendation.latest-assessment']],
    ['2025 not recorded, 2024 优秀', without(worker({}, { 2024: 'excellent' }), 2025), ['commendation.latest-assessment']],
    ['exited', worker({ status: 'exited' }), ['commendation.status']],
  ])('%s', (_name, w, failures) => {
    expect(failed(evaluateCommendation(w, {}, rules, asOf)).sort()).toEqual([...failures].sort());
  });

  test('each kind has its own period for commendations (discipline.effects)', () => {
    const longer: RuleSet = {
      ...rules,
      discipline: { effects: { ...rules.discipline.effects, government_warning: { promotionMonths: 6, commendationMonths: 12 } } },
    };
    const w = worker(measure('government_warning', '2025-07-01'));
    expect(evaluateCommendation(w, {}, rules, asOf).eligible).toBe(true);
    const result = evaluateCommendation(w, {}, longer, asOf);
    expect(failed(result)).toEqual(['commendation.discipline']);
    expect(reasonOf(result, 'commendation.discipline').data).toMatchObject({
      purpose: 'commendation',
      inEffect: [{ kind: 'government_warning', family: 'government', startDate: '2025-07-01', effectEndsOn: '2026-07-01' }],
    });
    const promotion = evaluatePromotion(w, { kind: 'regular' }, longer, asOf);
    expect(promotion.reasons.find((r) => r.ruleId === 'promotion.discipline')?.passed).toBe(true);
  });
});

describe('eligibility by case type', () => {
  test.each([
    ['promotion', { kind: 'regular', reason: 'annual round' }, true],
    ['promotion', { kind: 'early' }, false],
    ['recruitment', { track: 'civil-service', targetOrg: 'org-1', post: '科员' }, false],
    ['commendation', { awardTitle: '优秀社区工作者', achievements: '…' }, true],
  ])('%s %j', (type, payload, eligible) => {
    const rule = eligibilityOf(type);
    expect(rule).not.toBeNull();
    expect(rule?.(worker(), payload, rules, '2026-03-01').eligible).toBe(eligible);
  });

  test('a payload the rules cannot read fails with the problem named', () => {
    const result = eligibilityOf('recruitment')?.(worker(), { track: 'army' }, rules, '2026-03-01');
    expect(result?.eligible).toBe(false);
    expect(result?.reasons[0]?.ruleId).toBe('request.payload');
    expect(JSON.stringify(result?.reasons[0]?.data)).toContain('track');
  });

  test('only own case types', () => {
    expect(CASE_TYPE_NAMES.filter((type) => eligibilityOf(type)).sort()).toEqual([
      'appeal',
      'commendation',
      'error-tolerance',
      'exit',
      'promotion',
      'recruitment',
      'secondment',
    ]);
    expect(eligibilityOf('constructor')).toBeNull();
  });
});
