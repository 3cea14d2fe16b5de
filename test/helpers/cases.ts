import { randomUUID } from 'node:crypto';
import type { ProcessSnapshot, StageSnapshot } from '../../domain/process/definition';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import type { CaseInput } from '../../domain/process/engine';
import type { PrismaClient } from '../../infra/prisma';
import { createStore } from '../../store';
import { subjectRef } from '../../store/personnel';

/** A stage for hand-made test definitions (street party committee, 或签, unless overridden). */
export const testStage = (s: Partial<StageSnapshot> & Pick<StageSnapshot, 'id'>): StageSnapshot => ({
  title: { zh: s.id, en: s.id },
  actor: { level: 'street', department: 'party_committee' },
  mode: 'any',
  ...s,
});

export function testDefinition(stages: StageSnapshot[], extra: Partial<ProcessSnapshot> = {}): ProcessSnapshot {
  // "promotion": the outcome applier that runs at completion raises the grade.
  return {
    type: 'promotion',
    version: 1,
    title: { zh: '测试流程', en: 'Test process' },
    ruleSet: BUILT_IN_RULE_SETS.demo as RuleSet,
    payloadSchema: {},
    stages,
    ...extra,
  };
}

/** Workflow input for a seeded worker, as the API builds it. */
export async function caseInputFor(
  prisma: PrismaClient,
  definition: ProcessSnapshot,
  subjectId: string,
  applicantId = 'clerk-jsl',
): Promise<CaseInput> {
  const store = createStore(prisma);
  const subject = await store.personnel.entry(subjectId);
  if (!subject) throw new Error(`no community worker ${subjectId}`);
  return {
    caseId: randomUUID(),
    type: definition.type,
    definition,
    applicantId,
    subject: subjectRef(subject),
    payload: { kind: 'regular' },
    calendar: await store.calendar.workflowCalendar(),
  };
}
