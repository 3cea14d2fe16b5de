import { readModelOf, READ_MODEL_VERSION, type CaseReadModel } from './read-model';
import type { OpenStage, RecordedCaseState } from './state';

/**
 * Case rows projected before the read model had a shape of its own (migration 20261201000000_case_read_model)
 * have no read model, only `state`: the engine's state as that code wrote it, which is today's state with the
 * open stage's id under `key` (every plan entry also carried `key` beside its `id`). Such a row gets its read
 * model with its case's next event; until then it is read through here. test/domain/read-model.test.ts keeps a
 * state written by that code (test/fixtures/legacy-case-state.json): a change to the engine's state that this
 * adapter does not follow fails there.
 */
export type LegacyCaseState = Omit<RecordedCaseState, 'current'> & { current: (Omit<OpenStage, 'stageId'> & { key: string }) | null };

export function readModelOfLegacyState(legacy: LegacyCaseState): CaseReadModel {
  const { current, ...state } = legacy;
  if (!current) return readModelOf({ ...state, current: null });
  const { key, ...open } = current;
  return readModelOf({ ...state, current: { ...open, stageId: key } });
}

/** The read model of a stored case row: its own, or one read from the engine state an older projection stored. */
export function storedReadModel(row: { readModel: unknown; state: unknown }): CaseReadModel {
  if (row.readModel === null || row.readModel === undefined) return readModelOfLegacyState(row.state as LegacyCaseState);
  const model = row.readModel as CaseReadModel;
  // Written by a newer projection than this code (during a rolling upgrade): refuse rather than misread it.
  if (model.version !== READ_MODEL_VERSION) throw new Error(`case read model version ${String(model.version)} is not one this code reads`);
  return model;
}
