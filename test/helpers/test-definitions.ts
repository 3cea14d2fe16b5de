import type { ProcessSnapshot, StageSnapshot } from '../../domain/process/definition';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';

/**
 * Hand-made definitions for the workflow tests, to run engine features (each mode, escalation, auto-approval, a
 * notice after the only stage) on short plans no registered case type has. A case never takes its definition
 * from its input, so these are registered in the tests' own workflow bundle (workflows.ts) as versions of the
 * promotion (whose outcome raises the grade), from 901 on, and the tests' worker starts a case on the version
 * its test asked for (caseRequestFor in cases.ts).
 */

/** A stage for hand-made test definitions (street party committee, 或签, unless overridden). */
export const testStage = (s: Partial<StageSnapshot> & Pick<StageSnapshot, 'id'>): StageSnapshot => ({
  title: { zh: s.id, en: s.id },
  actor: { level: 'street', department: 'party_committee' },
  mode: 'any',
  ...s,
});

function testDefinition(version: number, stages: StageSnapshot[], extra: Partial<ProcessSnapshot> = {}): ProcessSnapshot {
  return {
    type: 'promotion',
    version,
    title: { zh: '测试流程', en: 'Test process' },
    ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
    payloadSchema: {},
    stages,
    ...extra,
  };
}

export const TEST_DEFINITIONS = {
  /** One street stage, no clock. */
  street: testDefinition(901, [testStage({ id: 'street' })]),
  /** Reminders after one and two working days, escalation to the county after three. */
  escalation: testDefinition(902, [
    testStage({
      id: 'street',
      deadline: { workingDays: 3 },
      reminders: [{ workingDays: 1 }, { workingDays: 2 }],
      onExpiry: 'escalate',
      escalateTo: { level: 'county', department: 'social_work' },
    }),
  ]),
  /** A street decision and a public notice of five working days after it. */
  notice: testDefinition(903, [testStage({ id: 'street' })], { publicNotice: { afterStage: 'street', period: { workingDays: 5 } } }),
  /** 会签 approved on expiry, a collective vote, a single officer. */
  modes: testDefinition(904, [
    testStage({ id: 'joint', mode: 'all', deadline: { workingDays: 1 }, onExpiry: 'auto-approve' }),
    testStage({
      id: 'meeting',
      mode: 'vote',
      vote: { quorum: 2 / 3, passShare: 0.5 },
      actor: { level: 'county', department: 'discipline' },
      deadline: { workingDays: 5 },
      onExpiry: 'none',
    }),
    testStage({ id: 'sign', mode: 'single', actor: { level: 'county', department: 'social_work' } }),
  ]),
  /** The community, then the street within three working days. */
  calendar: testDefinition(905, [
    testStage({ id: 'community', actor: { level: 'community', department: 'party_organisation' } }),
    testStage({ id: 'street', deadline: { workingDays: 3 }, onExpiry: 'none' }),
  ]),
  /** A street stage of ten working days that never expires. */
  suspended: testDefinition(906, [testStage({ id: 'street', deadline: { workingDays: 10 }, onExpiry: 'none' })]),
} satisfies Record<string, ProcessSnapshot>;

export type TestDefinitionName = keyof typeof TEST_DEFINITIONS;
