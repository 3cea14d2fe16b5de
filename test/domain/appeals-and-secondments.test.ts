import { evaluateAppeal } from '../../domain/case-types/appeal/eligibility';
import { evaluateSecondment, secondmentNotices } from '../../domain/case-types/secondment/eligibility';
import type { DecisionEntry, PersonnelRecord, SecondmentEntry } from '../../domain/personnel';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { approve, CALENDAR, definition, Harness, stage } from './engine-harness';
import { aWorker } from './worker-fixture';

/** Appeals (复核/申诉) and secondments (借调): their eligibility at the limits, and the engine's recusal of the original deciders. */

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

function worker(overrides: Partial<PersonnelRecord> = {}): PersonnelRecord {
  return aWorker({}, { qualification: { level: 'assistant', obtainedOn: '2019-06-01', eligibility: null }, ...overrides });
}

const failedRules = (r: { reasons: { ruleId: string; passed: boolean }[] }) => r.reasons.filter((x) => !x.passed).map((x) => x.ruleId);

describe('appeal eligibility: the decision on the records, its kind, the filing period (30 days from the decision)', () => {
  const decisions: DecisionEntry[] = [
    { id: 'case-exit', kind: 'exit', decidedOn: '2026-11-01', outcome: 'approved' },
    { id: 'disc-1', kind: 'discipline', decidedOn: '2026-10-15', outcome: 'contract_warning' },
    { id: 'case-assessment', kind: 'assessment', decidedOn: '2026-11-10', outcome: 'competent', appealUntil: '2026-11-20T16:00:00.000Z' },
  ];
  const w = worker({ decisions });
  test.each([
    ['on the day of the decision', 'case-exit', 'exit', '2026-11-01', []],
    ['on the last day (30 days after)', 'case-exit', 'exit', '2026-12-01', []],
    ['a day late', 'case-exit', 'exit', '2026-12-02', ['appeal.filing-period']],
    ['the wrong ground', 'case-exit', 'discipline', '2026-11-05', ['appeal.ground']],
    ['a disciplinary measure in time', 'disc-1', 'discipline', '2026-11-14', []],
    ['a disciplinary measure out of time', 'disc-1', 'discipline', '2026-11-15', ['appeal.filing-period']],
    ['a decision not on these records', 'case-other', 'exit', '2026-11-05', ['appeal.original']],
    // An assessment's review period ends at the start of 2026-11-21 (China Standard Time): the 20th is its last day.
    ['an assessment within its own review period', 'case-assessment', 'assessment', '2026-11-20', []],
    [
      'an assessment after its review period, though within filingDays',
      'case-assessment',
      'assessment',
      '2026-11-21',
      ['appeal.filing-period'],
    ],
  ] as const)('%s', (_name, appealOf, ground, asOf, failed) => {
    expect(failedRules(evaluateAppeal(w, { appealOf, ground }, rules, asOf))).toEqual(failed);
  });

  // The refusal screen shows the detail as it is: the kinds in words in both languages, never as their codes.
  test.each([
    ['disc-1', 'discipline', '原决定为处分', 'The original decision: disciplinary measure'],
    ['case-exit', 'exit', '原决定为退出决定', 'The original decision: exit decision'],
    [
      'case-exit',
      'discipline',
      '原决定为退出决定，与申请复核事项（处分）不符',
      'The original decision (exit decision) is not what the appeal names (disciplinary measure)',
    ],
  ] as const)('the ground of %s appealed as %s in words', (appealOf, ground, zh, en) => {
    const result = evaluateAppeal(w, { appealOf, ground }, rules, '2026-11-05');
    expect(result.reasons.find((r) => r.ruleId === 'appeal.ground')?.detail).toEqual({ zh, en });
  });

  test('the last day follows the rule set (a county that allows 15 days)', () => {
    const county = { ...rules, appeal: { ...rules.appeal, filingDays: 15 } };
    const late = evaluateAppeal(w, { appealOf: 'case-exit', ground: 'exit' }, county, '2026-11-17');
    expect(late.reasons.find((r) => r.ruleId === 'appeal.filing-period')).toMatchObject({
      passed: false,
      data: { lastDay: '2026-11-16', filingDays: 15 },
    });
  });
});

describe('secondment limits: 6 months at a time, extension 10 working days before the end, 1 year in total, 2 years apart', () => {
  const running: SecondmentEntry = {
    caseId: 's-1',
    borrowingBody: '区委社会工作部',
    from: '2026-09-01',
    to: '2027-02-28',
    extensionOf: null,
  };
  const w = worker({ secondments: [running] });
  const evaluate = (record: PersonnelRecord, request: { from: string; to: string; extensionOf?: string }, asOf: string) =>
    failedRules(evaluateSecondment(record, request, rules, asOf, CALENDAR));

  test.each([
    ['six months less a day', { from: '2026-12-01', to: '2027-05-31' }, []],
    ['a day longer than six months', { from: '2026-12-01', to: '2027-06-01' }, ['secondment.term']],
    ['from 31 August, to the end of February', { from: '2026-08-31', to: '2027-02-28' }, []],
    ['already over', { from: '2026-05-01', to: '2026-06-30' }, ['secondment.dates']],
  ] as const)('a first secondment: %s', (_name, request, failed) => {
    expect(evaluate(worker(), request, '2026-11-20')).toEqual(failed);
  });

  test('a new secondment beside a running one is refused: ask for an extension', () => {
    expect(evaluate(w, { from: '2027-01-01', to: '2027-03-31' }, '2026-11-20')).toEqual(['secondment.overlap']);
  });

  test('an extension follows without a gap, in time, within a year in total', () => {
    expect(evaluate(w, { from: '2027-03-01', to: '2027-08-31', extensionOf: 's-1' }, '2026-12-01')).toEqual([]);
    // A chain that started on 1 June: a year ends on 31 May.
    const first: SecondmentEntry = { ...running, caseId: 's-0', from: '2026-06-01', to: '2026-08-31' };
    const chain = worker({ secondments: [first, { ...running, extensionOf: 's-0' }] });
    expect(evaluate(chain, { from: '2027-03-01', to: '2027-05-31', extensionOf: 's-1' }, '2026-12-01')).toEqual([]);
    expect(evaluate(chain, { from: '2027-03-01', to: '2027-06-01', extensionOf: 's-1' }, '2026-12-01')).toEqual(['secondment.total']);
    expect(evaluate(chain, { from: '2026-09-01', to: '2026-12-31', extensionOf: 's-0' }, '2026-08-01')).toEqual([
      'secondment.extension-follows',
    ]);
    expect(evaluate(w, { from: '2027-03-02', to: '2027-05-31', extensionOf: 's-1' }, '2026-12-01')).toEqual([
      'secondment.extension-follows',
    ]);
    expect(evaluate(w, { from: '2027-03-01', to: '2027-05-31', extensionOf: 's-9' }, '2026-12-01')).toEqual(['secondment.extension-of']);
  });

  test('an extension asked fewer than 10 working days before the end is refused with the count', () => {
    // 2027-02-28 is a Sunday; the calendar the test uses has no 2027 holidays. After Friday 12 February: 15–19 and
    // 22–26 February, ten working days, just in time; after Monday the 15th only nine are left.
    const inTime = evaluateSecondment(w, { from: '2027-03-01', to: '2027-05-31', extensionOf: 's-1' }, rules, '2027-02-12', CALENDAR);
    expect(inTime.reasons.find((r) => r.ruleId === 'secondment.extension-notice')).toMatchObject({
      passed: true,
      data: { workingDaysLeft: 10 },
    });
    const late = evaluateSecondment(w, { from: '2027-03-01', to: '2027-05-31', extensionOf: 's-1' }, rules, '2027-02-15', CALENDAR);
    expect(late.reasons.find((r) => r.ruleId === 'secondment.extension-notice')).toMatchObject({
      passed: false,
      data: { workingDaysLeft: 9 },
    });
    const early = evaluateSecondment(w, { from: '2027-03-01', to: '2027-05-31', extensionOf: 's-1' }, rules, '2027-01-15', CALENDAR);
    expect(early.reasons.find((r) => r.ruleId === 'secondment.extension-notice')?.passed).toBe(true);
  });

  test('the same worker is not seconded again within 24 months of the last secondment’s end', () => {
    const ended = worker({ secondments: [{ ...running, from: '2024-01-01', to: '2024-06-30' }] });
    expect(evaluate(ended, { from: '2026-06-30', to: '2026-09-30' }, '2026-06-01')).toEqual(['secondment.cooling-off']);
    expect(evaluate(ended, { from: '2026-07-01', to: '2026-09-30' }, '2026-06-01')).toEqual([]);
  });

  test('the records check reminds before the end and finds the worker back at post after it', () => {
    expect(secondmentNotices([running], rules, '2027-01-04', CALENDAR)).toEqual([]);
    expect(secondmentNotices([running], rules, '2027-02-20', CALENDAR)).toEqual([
      expect.objectContaining({ kind: 'secondment-ending', caseId: 's-1', to: '2027-02-28' }),
    ]);
    expect(secondmentNotices([running], rules, '2027-03-01', CALENDAR)).toEqual([
      { kind: 'secondment-returned', caseId: 's-1', to: '2027-02-28', backOn: '2027-03-01' },
    ]);
    const extended: SecondmentEntry = {
      caseId: 's-2',
      borrowingBody: running.borrowingBody,
      from: '2027-03-01',
      to: '2027-05-31',
      extensionOf: 's-1',
    };
    expect(secondmentNotices([running, extended], rules, '2027-03-01', CALENDAR)).toEqual([]);
  });
});

describe('an appeal is never decided by the people who decided the original (recused)', () => {
  test('they are not assigned, cannot act, and cannot be transferred or added to it', () => {
    // s1 decided the original; s2 and s3 hold the reviewing role too.
    const h = new Harness(definition([stage({ id: 'review', mode: 'single' })]), { type: 'appeal', recused: ['s1'] });
    expect(h.state.current?.assignees).toEqual(['s2']);
    expect(h.refusal(approve('s1'))).toEqual({
      code: 'forbidden',
      message: 'you took part in the decision this case reviews; an appeal is never decided by the same people (回避)',
    });
    expect(h.refusal({ action: 'transfer', actorId: 's2', toUserId: 's1' })?.message).toMatch(/recused/);
    expect(h.events[0]?.data).toMatchObject({ recused: ['s1'] });
    h.act(approve('s2'));
    expect(h.state.status).toBe('completed');
  });

  test('a case that recuses nobody beyond the usual keeps its state and first event as before', () => {
    const h = new Harness(definition([stage({ id: 'review', mode: 'any' })]));
    expect('recused' in h.state).toBe(false);
    expect(h.events[0]?.data).not.toHaveProperty('recused');
  });
});
