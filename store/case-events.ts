import type { ChainedEvent, Json } from '../domain/history';

/** A CaseEvent row, as the table and raw queries over it return it: the chain's event with a Date and raw JSON. */
export type CaseEventRow = Omit<ChainedEvent, 'at' | 'data' | 'caseDigest'> & { at: Date; data: unknown; caseDigest?: string | null };

/** A stored case event as the hash chain's event (domain/history): what the chain is verified over and the API shows. */
export function chainedEvent(e: CaseEventRow): ChainedEvent {
  return {
    caseId: e.caseId,
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    stage: e.stage,
    comment: e.comment,
    data: e.data as Json,
    prevHash: e.prevHash,
    hash: e.hash,
    // Only events of cases started since the ledger have one; the others hash without the field.
    ...(e.caseDigest ? { caseDigest: e.caseDigest } : {}),
  };
}
