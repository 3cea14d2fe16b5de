import type { WorkingCalendar } from '../../domain/calendar';
import type { ProcessSnapshot, StageSnapshot } from '../../domain/process/definition';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';

/**
 * A case driven through a return, a resubmission, 加签, stage data, a public notice and an objection, for the
 * read-model tests. Written against the engine's exported functions only, so the engine of an older commit
 * can run it too: test/fixtures/legacy-case-states.json holds the states the engine of commit 36892fc (before
 * the read model had its own shape) recorded at the two points `snapshot` names.
 */

/** The few engine functions the scenario uses, as any version of the engine exports them. */
export interface EngineFunctions {
  startCase: (input: unknown, now: Date) => { state: unknown };
  pendingWork: (
    state: unknown,
  ) => { kind: string; actor?: { level: string; department: string } | null; fixedAssignee?: string | null } | null;
  assigneesResolved: (state: unknown, work: unknown, result: { eligible: string[] }, now: Date) => unknown;
  applyCommand: (state: unknown, command: Record<string, unknown>, now: Date) => unknown;
  recordedState: (state: unknown) => unknown;
}

const CALENDAR: WorkingCalendar = { holidays: [], makeUpWorkdays: [], years: [2026] };
const HOLDERS: Record<string, string[]> = { 'community/party_organisation': ['sec', 'dep'], 'street/party_committee': ['s1', 's2'] };
const stage = (s: Partial<StageSnapshot> & Pick<StageSnapshot, 'id'>): StageSnapshot => ({
  title: { zh: s.id, en: s.id },
  mode: 'any',
  actor: { level: 'street', department: 'party_committee' },
  ...s,
});

const DEFINITION: ProcessSnapshot = {
  type: 'promotion',
  version: 2,
  title: { zh: '岗位等级晋升', en: 'Post-grade promotion' },
  // The rule set's version as that engine froze it (the built-in rules have moved on since).
  ruleSet: { ...(BUILT_IN_RULE_SETS.demo as RuleSet), version: 1 },
  payloadSchema: {},
  stages: [
    stage({ id: 'community', actor: { level: 'community', department: 'party_organisation' }, deadline: { workingDays: 5 } }),
    stage({ id: 'street', fields: [{ name: 'opinion', title: { zh: '意见', en: 'Opinion' }, type: 'string' }] }),
  ],
  publicNotice: { afterStage: 'street', period: { workingDays: 5 } },
};

export function runScenario(engine: EngineFunctions, snapshot: (point: 'at-stage' | 'objection-review', recorded: unknown) => void): void {
  let now = new Date('2026-09-28T02:00:00.000Z');
  const later = () => (now = new Date(now.getTime() + 3_600_000));
  const { state } = engine.startCase(
    {
      caseId: 'case-legacy',
      type: 'promotion',
      definition: DEFINITION,
      applicantId: 'clerk',
      subject: { id: 'w-1', name: '王五', userId: 'w-1-user', orgUnitId: 'c-1', orgPath: '/s/c-1/', attributes: {} },
      payload: { kind: 'regular' },
      calendar: CALENDAR,
    },
    now,
  );
  const settle = () => {
    for (let work = engine.pendingWork(state); work; work = engine.pendingWork(state)) {
      if (work.kind !== 'resolve-assignees') throw new Error(`unexpected work ${work.kind}`);
      const eligible = work.fixedAssignee ? [work.fixedAssignee] : (HOLDERS[`${work.actor?.level}/${work.actor?.department}`] ?? []);
      engine.assigneesResolved(state, work, { eligible }, later());
    }
  };
  const act = (command: Record<string, unknown>) => {
    engine.applyCommand(state, command, later());
    settle();
  };
  settle();
  act({ action: 'return', actorId: 'sec', comment: '请补充', to: 'applicant' });
  act({ action: 'resubmit', actorId: 'clerk', payload: { kind: 'regular', reason: '已补充' } });
  act({ action: 'add-approver', actorId: 'sec', userId: 'expert', position: 'before', comment: '请专家把关' });
  act({ action: 'approve', actorId: 'expert' });
  act({ action: 'approve', actorId: 'dep' });
  snapshot('at-stage', JSON.parse(JSON.stringify(engine.recordedState(state))));
  act({ action: 'approve', actorId: 's1', data: { opinion: '同意' } });
  act({ action: 'object', actorId: 'resident', comment: '群众反映考勤问题' });
  snapshot('objection-review', JSON.parse(JSON.stringify(engine.recordedState(state))));
}
