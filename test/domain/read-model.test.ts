import legacyStates from '../fixtures/legacy-case-states.json';
import * as engine from '../../domain/process/engine';
import { allowedActions, type RecordedCaseState } from '../../domain/process/engine';
import { readModelOfLegacyState, storedReadModel, type LegacyCaseState } from '../../domain/process/legacy-state';
import { actionsOf, readModelOf } from '../../domain/process/read-model';
import { runScenario, type EngineFunctions } from './read-model-scenario';

/**
 * The read model the projection stores and the API answers from: what it says at two points of a case, that
 * it answers "who may do what" exactly as the engine would, and that rows an older projection wrote (the
 * engine state of commit 36892fc, test/fixtures/legacy-case-states.json) read the same.
 */

const states: Record<string, RecordedCaseState> = {};
runScenario(engine as unknown as EngineFunctions, (point, recorded) => (states[point] = recorded as RecordedCaseState));
const POINTS = ['at-stage', 'objection-review'] as const;
const USERS = ['clerk', 'sec', 'dep', 'expert', 's1', 's2', 'w-1-user', 'resident', 'stranger'];

test.each(POINTS)('%s: the read model allows each user exactly what the engine allows', (point) => {
  const state = states[point] as RecordedCaseState;
  const model = readModelOf(state);
  for (const user of USERS) expect([user, actionsOf(model, user)]).toEqual([user, allowedActions(state, user)]);
});

test('at a stage: the stage, the plan with the added approver, the suspension, who may act', () => {
  const model = readModelOf(states['at-stage'] as RecordedCaseState);
  expect(model.stage).toEqual({ id: 'street', title: { zh: 'street', en: 'street' }, mode: 'any' });
  expect(model.plan.map((s) => s.id)).toEqual(['added-1', 'community', 'street']);
  expect(model.suspensions).toEqual([{ from: expect.any(String), to: expect.any(String) }]);
  expect(model.actions.byUser).toMatchObject({
    s1: expect.arrayContaining(['approve', 'reject', 'return']),
    clerk: ['withdraw', 'comment', 'remind'],
  });
  expect(model.actions.byUser['w-1-user']).toEqual([]);
  expect(model.actions.anyoneElse).toEqual([]);
  expect(model.process).toEqual({
    type: 'promotion',
    version: 2,
    title: { zh: '岗位等级晋升', en: 'Post-grade promotion' },
    ruleSet: { id: 'demo', version: 1 },
    publicNotice: { afterStage: 'street', period: { workingDays: 5 } },
  });
});

test('in objection review: the notice stage, stage data, the objection, and anyone may object', () => {
  const model = readModelOf(states['objection-review'] as RecordedCaseState);
  expect(model.stage?.id).toBe('street');
  expect(model.stageData.street).toEqual({ opinion: '同意' });
  expect(model.objections).toEqual([expect.objectContaining({ id: 'objection-1', by: 'resident', status: 'open' })]);
  expect(model.actions.anyoneElse).toEqual(['object']);
  expect(model.actions.byUser.s1).toEqual(['comment', 'object', 'resolve-objection']);
  expect(model.actions.byUser['w-1-user']).toEqual([]);
});

test.each(POINTS)('%s: a row an older projection wrote (engine state only) reads as the same read model', (point) => {
  const legacy = (legacyStates as Record<string, unknown>)[point] as LegacyCaseState;
  // That engine kept the open stage's id under `key`.
  expect(legacy.current?.key ?? null).toBe(point === 'at-stage' ? 'street' : null);
  expect(readModelOfLegacyState(legacy)).toEqual(readModelOf(states[point] as RecordedCaseState));
  expect(storedReadModel({ readModel: null, state: legacy })).toEqual(readModelOf(states[point] as RecordedCaseState));
});

test('a stored read model is read as it is, and one of an unknown version is refused', () => {
  const model = readModelOf(states['at-stage'] as RecordedCaseState);
  expect(storedReadModel({ readModel: model, state: null })).toBe(model);
  expect(() => storedReadModel({ readModel: { ...model, version: 2 }, state: null })).toThrow(/version 2/);
});
