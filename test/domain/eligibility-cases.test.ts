import { eligibilityOf } from '../../domain/case-types';
import type { PersonnelRecord } from '../../domain/personnel';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { aWorker } from './worker-fixture';

/** Eligibility of the exit and error-tolerance case types, through the registry the API and workflow use. */

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

const exit = (w: PersonnelRecord, reason: string, asOf = '2026-06-01') => eligibilityOf('exit')?.(w, { reason, detail: 'x' }, rules, asOf);
const failed = (r: ReturnType<typeof exit>) => r?.reasons.filter((x) => !x.passed).map((x) => x.ruleId);

describe('exit', () => {
  const twoIncompetent = aWorker({ 2023: 'competent', 2024: 'incompetent', 2025: 'incompetent' });

  test.each<[string, PersonnelRecord, string, boolean, string[]]>([
    ['the records show 连续两年不合格', twoIncompetent, 'consecutive-incompetent', true, []],
    [
      'the records do not show it',
      aWorker({ 2024: 'competent', 2025: 'incompetent' }),
      'consecutive-incompetent',
      false,
      ['exit.records-show-situation'],
    ],
    ['a situation the records cannot show (失职)', aWorker({ 2025: 'competent' }), 'dereliction', true, []],
    ['an unknown situation', twoIncompetent, 'bad-luck', false, ['exit.reason-known']],
    ['a worker who has already exited', aWorker({}, { status: 'exited' }), 'dereliction', false, ['exit.status']],
    [
      'an elected member with no post on record: 免职 and 罢免 need to know which posts end',
      aWorker({ 2025: 'competent' }, { employmentType: 'elected' }),
      'dereliction',
      false,
      ['exit.elected-posts'],
    ],
    [
      'an elected member with a residents’ committee post',
      aWorker({ 2025: 'competent' }, { employmentType: 'elected', residentsCommitteePost: 'member' }),
      'dereliction',
      true,
      [],
    ],
  ])('%s', (_name, w, reason, eligible, failedRules) => {
    const result = exit(w, reason);
    expect(result?.eligible).toBe(eligible);
    expect(failed(result)).toEqual(failedRules);
  });

  test('each reason names its rule and the data it used', () => {
    const shown = exit(twoIncompetent, 'consecutive-incompetent')?.reasons.find((r) => r.ruleId === 'exit.records-show-situation');
    expect(shown?.data).toMatchObject({ years: [2024, 2025], asOf: '2026-06-01' });
    expect(shown?.detail.zh).toMatch(/连续2年考核不合格/);
  });

  test('an overdue certificate is a situation the records show', () => {
    const code = rules.exit.qualification.reasonCode as string;
    const noCertificate = aWorker(
      { 2025: 'competent' },
      {
        hireDate: '2025-01-15',
        qualification: {
          level: 'none',
          obtainedOn: null,
          eligibility: { since: '2022-06-01', basis: 'other_college_4y', evidence: '证明' },
        },
      },
    );
    // Eligible to sit the exam from 2022-06-01: the certificate was due by 2025-06-01 (that day still counts).
    expect(exit(noCertificate, code, '2025-06-01')?.eligible).toBe(false);
    expect(exit(noCertificate, code, '2025-06-02')?.eligible).toBe(true);
  });
});

describe('error tolerance', () => {
  const check = (incidentDate: string) => eligibilityOf('error-tolerance')?.(aWorker({}), { incidentDate }, rules, '2026-06-01');
  const timing = (accountabilityStartedOn: string, accountabilityDecidedOn?: string) =>
    eligibilityOf('error-tolerance')?.(
      aWorker({}),
      { incidentDate: '2026-03-01', accountabilityStartedOn, ...(accountabilityDecidedOn ? { accountabilityDecidedOn } : {}) },
      rules,
      '2026-06-01',
    );
  test.each<[string, string, string | undefined, boolean]>([
    ['accountability started the day before, not decided', '2026-05-31', undefined, true],
    ['accountability starting the same day', '2026-06-01', undefined, true],
    ['accountability not started yet', '2026-06-02', undefined, false],
    ['decided later (not yet)', '2026-05-01', '2026-06-02', true],
    ['decided the same day: too late', '2026-05-01', '2026-06-01', false],
    ['decided before', '2026-05-01', '2026-05-20', false],
  ])('timing: %s', (_name, started, decided, eligible) => {
    const result = timing(started, decided);
    expect(result?.eligible).toBe(eligible);
    expect(result?.reasons.find((r) => r.ruleId === 'error-tolerance.timing')?.passed).toBe(eligible);
  });

  test.each([
    ['2026-05-31', true],
    ['2026-06-01', true],
    ['2026-06-02', false],
  ])('an incident on %s, applied for on 2026-06-01 → eligible %s', (incidentDate, eligible) => {
    expect(check(incidentDate)?.eligible).toBe(eligible);
  });
  test('a payload without the date fails with a readable reason instead of throwing', () => {
    expect(eligibilityOf('error-tolerance')?.(aWorker({}), {}, rules, '2026-06-01')).toMatchObject({
      eligible: false,
      reasons: [{ ruleId: 'request.payload' }],
    });
  });
});
