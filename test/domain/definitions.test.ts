import { CASE_TYPES, CASE_TYPE_NAMES, caseTypeProblems, definitionOf, registeredDefinitions, snapshotFor } from '../../domain/case-types';
import {
  definitionProblems,
  evaluateCondition,
  renderText,
  type ProcessDefinition,
  type ProcessSnapshot,
} from '../../domain/process/definition';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';

/** The case types' definitions: versions kept as they ran, who decides each stage, and what the rules put right. */

const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

describe('versions', () => {
  test.each(CASE_TYPE_NAMES.map((t) => [t]))('%s: the current version and every earlier one by number', (type) => {
    const { definition, previousVersions } = CASE_TYPES[type];
    for (const d of [definition, ...previousVersions]) expect(definitionOf(type, d.version)).toBe(d);
    expect(previousVersions.every((d) => d.version < definition.version)).toBe(true);
    expect(new Set([definition, ...previousVersions].map((d) => d.version)).size).toBe(previousVersions.length + 1);
    expect(definitionOf(type, definition.version + 1)).toBeUndefined();
  });

  test.each<[string, number]>([
    ['promotion', 4],
    ['recruitment', 2],
    ['error-tolerance', 3],
    ['name-clearing', 2],
    ['commendation', 2],
    ['exit', 2],
  ])('%s is at version %i', (type, version) => {
    expect(definitionOf(type, version)).toBeDefined();
    expect(CASE_TYPES[type as keyof typeof CASE_TYPES].definition.version).toBe(version);
  });

  test('earlier versions are still sound definitions, and an unknown type has none', () => {
    const earlier: ProcessDefinition[] = CASE_TYPE_NAMES.flatMap((t): ProcessDefinition[] => CASE_TYPES[t].previousVersions);
    expect(earlier.flatMap((d) => definitionProblems(d))).toEqual([]);
    expect(definitionOf('constructor', 1)).toBeUndefined();
  });

  test('the built-in rule sets fit every current definition', () => {
    expect(caseTypeProblems(rules)).toEqual([]);
    expect(caseTypeProblems(BUILT_IN_RULE_SETS.demo as RuleSet)).toEqual([]);
  });
});

describe('who decides', () => {
  test('every stage of a current definition takes its department from the approval matrix', () => {
    const literal = registeredDefinitions().flatMap((d) =>
      d.stages.filter((s) => typeof s.actor === 'object' && !('byPayload' in s.actor)).map((s) => `${d.type}.${s.id}`),
    );
    expect(literal).toEqual([]);
  });

  test.each<[string, string]>([
    ['promotion', 'street-decision'],
    ['exit', 'street-decision'],
    ['error-tolerance', 'collective-decision'],
    ['commendation', 'street-recommendation'],
    ['recruitment', 'appointment'],
  ])('%s: %s is a collective decision (集体研究决定)', (type, stage) => {
    expect(
      definitionOf(type, CASE_TYPES[type as keyof typeof CASE_TYPES].definition.version)?.stages.find((s) => s.id === stage)?.mode,
    ).toBe('collective');
  });

  test('no current definition votes one by one (the first form of collective decision)', () => {
    expect(registeredDefinitions().flatMap((d) => d.stages.filter((s) => s.mode === 'vote').map((s) => s.id))).toEqual([]);
  });

  const snapshot = (definition: ProcessDefinition, payload: Record<string, unknown>, set: RuleSet = rules): ProcessSnapshot =>
    snapshotFor(definition, set, payload);

  test('a collective stage freezes the rule set’s quorum and passing share', () => {
    const frozen = snapshot(CASE_TYPES.promotion.definition, { kind: 'regular' });
    expect(frozen.stages.find((s) => s.id === 'street-decision')).toMatchObject({
      mode: 'collective',
      actor: { level: 'street', department: 'party_committee' },
      collective: rules.collectiveDecision,
    });
    expect(frozen.stages.find((s) => s.id === 'community-recommendation')).toMatchObject({
      actor: { level: 'community', department: 'party_organisation' },
      escalateTo: { level: 'street', department: 'party_committee' },
    });
  });

  test.each<[string, { level: string; department: string }]>([
    ['street-discipline', { level: 'street', department: 'discipline' }],
    ['county-discipline', { level: 'county', department: 'discipline' }],
    ['county-organisation', { level: 'county', department: 'organisation_hr' }],
  ])('name clearing verified by %s: that body handles it (谁核实谁澄清)', (verifiedBy, body) => {
    const frozen = snapshot(CASE_TYPES['name-clearing'].definition, { verifiedBy, initiatedBy: 'department-proposal' });
    for (const id of ['assessment', 'wishes', 'clearance', 'referral', 'return-visit', 'archive', 'approval']) {
      expect([id, frozen.stages.find((s) => s.id === id)?.actor]).toEqual([id, body]);
    }
  });

  const context = (payload: Record<string, unknown>) => ({ payload, subject: {}, stageData: {} });
  test.each<[string, string[], string]>([
    ['county', ['county-decision'], 'county'],
    ['city', ['county-recommendation', 'city-decision'], 'city'],
    ['province', ['county-recommendation', 'city-recommendation', 'province-decision'], 'province'],
    ['national', ['county-recommendation', 'city-recommendation', 'province-recommendation', 'national-decision'], 'province'],
  ])('a %s award is recommended level by level and decided at its level', (level, runs, decidedAt) => {
    const frozen = snapshot(CASE_TYPES.commendation.definition, { level });
    const upward = frozen.stages.filter((s) => /-(recommendation|decision)$/.test(s.id) && s.id !== 'street-recommendation');
    const running = upward.filter((s) => !s.when || evaluateCondition(s.when, context({ level })));
    expect(running.map((s) => s.id)).toEqual(runs);
    expect(running.at(-1)?.actor.level).toBe(decidedAt);
  });

  test('a county variant changes the matrix without code', () => {
    const county: RuleSet = {
      ...rules,
      approvals: { ...rules.approvals, 'exit.street-decision': { level: 'county', department: 'social_work' } },
    };
    const frozen = snapshot(CASE_TYPES.exit.definition, { reason: 'dereliction', detail: 'x' }, county);
    expect(frozen.stages.find((s) => s.id === 'street-decision')?.actor).toEqual({ level: 'county', department: 'social_work' });
  });
});

describe('what the rules put right', () => {
  test('exit: the worker is heard before the committee decides; 免职 and 罢免 are stages of their own bodies', () => {
    const { stages } = CASE_TYPES.exit.definition;
    const order = stages.map((s) => s.id);
    expect(order.indexOf('hearing')).toBeLessThan(order.indexOf('street-decision'));
    expect(order).toEqual(['verification', 'hearing', 'street-decision', 'party-post-removal', 'recall', 'contract-termination']);
    const frozen = snapshotFor(CASE_TYPES.exit.definition, rules, { reason: 'dereliction', detail: 'x' });
    expect(frozen.stages.find((s) => s.id === 'party-post-removal')).toMatchObject({
      actor: { department: 'party_committee' },
      when: { path: 'subject.partyPost', exists: true },
    });
    expect(frozen.stages.find((s) => s.id === 'recall')).toMatchObject({
      headcountVote: true,
      headcount: rules.residentsMeeting,
      when: { path: 'subject.residentsCommitteePost', exists: true },
    });
    // The first version heard the worker after the street's decision.
    const v1 = definitionOf('exit', 1)?.stages.map((s) => s.id) ?? [];
    expect(v1.indexOf('hearing')).toBeGreaterThan(v1.indexOf('street-review'));
  });

  test('recruitment: the exam scores take the rule set’s range', () => {
    const county: RuleSet = { ...rules, scales: { 'recruitment.examScore': { min: 0, max: 150 } } };
    const frozen = snapshotFor(CASE_TYPES.recruitment.definition, county, { track: 'civil-service' });
    expect(frozen.stages.find((s) => s.id === 'exam-results')?.fields?.find((f) => f.name === 'writtenScore')).toMatchObject({
      min: 0,
      max: 150,
    });
  });

  test('the notice freezes whether objections pause it', () => {
    const frozen = snapshotFor(CASE_TYPES.promotion.definition, { ...rules, notice: { objectionsPause: false } }, { kind: 'regular' });
    expect(frozen.publicNotice).toEqual({ afterStage: 'street-decision', period: { workingDays: 5 }, objectionsPause: false });
  });

  test('error tolerance: the five conditions are findings, each with its source mark', () => {
    const definition: ProcessDefinition = CASE_TYPES['error-tolerance'].definition;
    const verification = definition.stages.find((s) => s.id === 'verification');
    const conditions = verification?.fields?.filter((f) => f.provenance) ?? [];
    expect(conditions.map((f) => f.name)).toEqual(['lawful', 'diligentWithoutIntent', 'publicInterest', 'dueProcess', 'corrected']);
    expect(conditions.every((f) => f.type === 'boolean' && f.required && f.provenance?.source)).toBe(true);
  });
});

describe('no description states a period: it is rendered from the value in force', () => {
  const period = /\d+\s*(个)?(工作)?日|\d+\s*(working\s+)?days?/;
  test.each(registeredDefinitions().map((d) => [d.type, d] as const))('%s', (_type, definition) => {
    const unrendered = {
      zh: definition.description.zh.replace(/\{period:[^}]+\}/g, ''),
      en: definition.description.en.replace(/\{period:[^}]+\}/g, ''),
    };
    expect(unrendered.zh).not.toMatch(period);
    expect(unrendered.en).not.toMatch(period);
  });

  test('a county with a 7-day promotion notice reads 7 days', () => {
    const county: RuleSet = { ...rules, periods: { ...rules.periods, 'promotion.notice': { workingDays: 7 } } };
    expect(renderText(CASE_TYPES.promotion.definition.description, county)).toMatchObject({
      zh: expect.stringContaining('公示7个工作日'),
      en: expect.stringContaining('7 working days'),
    });
    expect(renderText(CASE_TYPES.promotion.definition.description, rules).zh).toContain('公示5个工作日');
  });
});
