import { jsonDigest, type Json } from '../history';
import { progressOf } from './progress';
import type { RecordedCaseState } from './state';
import type { CaseStatus } from './vocabulary';

/**
 * The facts of a case that its read-model row shows and that decisions and visibility depend on: whose case it
 * is and where (the org path decides who sees it), what was applied for, where it stands, and the data recorded
 * at its stages. Each event of a case started since the ledger carries the digest of these facts as the event
 * leaves them (caseDigest), so the chain covers the row: an edited payload, status, stage data or org path in
 * the row no longer matches its newest event (services/audit.ts).
 */
export interface CaseFacts {
  type: string;
  subjectId: string;
  orgUnitId: string;
  orgPath: string;
  applicantId: string;
  payload: Record<string, Json>;
  status: CaseStatus;
  outcome: string | null;
  stageData: Record<string, Record<string, Json>>;
}

export function caseFacts(state: RecordedCaseState): CaseFacts {
  const progress = progressOf(state);
  return {
    type: state.type,
    subjectId: state.subject.id,
    orgUnitId: state.subject.orgUnitId,
    orgPath: state.subject.orgPath,
    applicantId: state.applicantId,
    payload: state.payload,
    status: progress.status,
    outcome: progress.outcome,
    stageData: state.stageData,
  };
}

/** SHA-256 (hex) of the facts' canonical JSON, as the chain records it. */
export function caseFactsDigest(facts: CaseFacts): string {
  return jsonDigest(facts);
}
