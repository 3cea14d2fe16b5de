import type { ChainedEvent } from '../history';
import type { CommandOf } from './commands';
import { currentStage, type CaseState, type RecordedCaseState, type Refusal } from './state';
import type { CaseAction } from './vocabulary';

/**
 * One action in one place: who may take it now, what content is valid in the case's state (beyond its
 * schema in commands.ts), and what it changes.
 */
export interface ActionRule<A extends CaseAction> {
  /** Refuses the actor, regardless of what they send (after the checks every action shares, refuseClosed). */
  who: (state: RecordedCaseState, actorId: string) => Refusal | null;
  /** Refuses what was sent, in this state: a stage that does not exist, a user who may not be assigned, ... */
  content?: (state: CaseState, command: CommandOf<A>) => Refusal | null;
  /** Applies a command that passed both, recording what happened in `out`. */
  apply: (state: CaseState, command: CommandOf<A>, now: Date, out: ChainedEvent[]) => void;
}

export type ActionRules<A extends CaseAction = CaseAction> = { [K in A]: ActionRule<K> };

/** Who acted (and who for them, 委托) and at which stage, for the event an action records. */
export function byActor(state: CaseState, command: { actorId: string; delegate?: { userId: string; name: string } }) {
  return {
    actorId: command.actorId,
    stage: currentStage(state)?.id ?? null,
    ...(command.delegate ? { delegate: { userId: command.delegate.userId, name: command.delegate.name } } : {}),
  };
}
