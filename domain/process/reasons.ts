import type { ChainedEvent, Json } from '../history';
import { emit } from './events';
import type { CaseState } from './state';
import { isFinal } from './vocabulary';

/** A further exit situation the records show for a worker whose exit case is open. */
/** A further exit situation; `at` is when the records check found it (the case's event time since v5). */
export type JoinedReason = { reason: string; detail: string; by: string; at?: string };

/** The exit situations a case stands on: its reason and those that joined it. */
export function reasonsOf(payload: Record<string, unknown>): string[] {
  const joined = Array.isArray(payload.additionalReasons) ? (payload.additionalReasons as { reason?: unknown }[]) : [];
  return [payload.reason, ...joined.map((r) => r.reason)].filter((r): r is string => typeof r === 'string');
}

/**
 * A worker has one open exit case at a time: a further situation joins it (additionalReasons) rather than starting
 * a second case. Nothing happens for a situation the case already stands on, or when the case is no longer open to
 * it (decided, or its outcome being applied): the records check then sees no open case and proposes a new one.
 */
export function joinReason(state: CaseState, joined: JoinedReason, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  if (state.type !== 'exit' || isFinal(state.status) || state.pendingOutcome) return out;
  if (reasonsOf(state.payload).includes(joined.reason)) return out;
  const additional = Array.isArray(state.payload.additionalReasons) ? state.payload.additionalReasons : [];
  const entry: Json = { reason: joined.reason, detail: joined.detail };
  state.payload = { ...state.payload, additionalReasons: [...additional, entry] };
  emit(state, now, out, 'reason_joined', { actorId: joined.by, data: entry });
  return out;
}
