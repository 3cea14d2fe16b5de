import { hashEvent, type ChainedEvent, type Json } from '../history';
import { caseFacts, caseFactsDigest } from './facts';
import type { CaseState } from './state';
import type { CaseEventName, CaseStatus } from './vocabulary';

/** What an event says besides its name: who, at which stage, why, with what data, into which status. */
export interface EventFields {
  actorId?: string | null;
  stage?: string | null;
  comment?: string | null;
  data?: Json;
  status?: CaseStatus;
  /** The submission: no status before it. */
  first?: boolean;
  /** 委托: who acted on the actor's behalf; recorded in the event's data beside what the action records. */
  delegate?: { userId: string; name: string };
}

/**
 * Appends the next event of the case's hash chain to `out`, moving the case to `fields.status` if given. Every
 * change the engine makes is recorded through here, so the chain holds the case's whole history. A change to
 * the facts the digest covers is made before the event that records it, never after it in the same step.
 */
export function emit(state: CaseState, now: Date, out: ChainedEvent[], action: CaseEventName, fields: EventFields = {}): void {
  const fromStatus = fields.first ? null : state.status;
  if (fields.status) state.status = fields.status;
  const body = {
    caseId: state.caseId,
    seq: state.seq + 1,
    at: now.toISOString(),
    actorId: fields.actorId ?? null,
    action,
    fromStatus,
    toStatus: state.status,
    stage: fields.stage ?? null,
    comment: fields.comment ?? null,
    // A copy: the event must not change when the state it was taken from changes later.
    data: JSON.parse(
      JSON.stringify(fields.delegate ? { ...(fields.data as object | undefined), delegate: fields.delegate } : (fields.data ?? {})),
    ) as Json,
    prevHash: state.lastHash,
    // Events of cases started since the ledger also cover the facts the case row shows (facts.ts).
    ...(state.eventFormat === 2 ? { caseDigest: caseFactsDigest(caseFacts(state)) } : {}),
  };
  const event = { ...body, hash: hashEvent(body) };
  state.seq = event.seq;
  state.lastHash = event.hash;
  state.lastAt = event.at;
  out.push(event);
}
