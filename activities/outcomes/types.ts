import type { Json } from '../../domain/history';
import type { Prisma } from '../../infra/prisma';

export interface OutcomeInput {
  caseId: string;
  type: string;
  outcome: string;
  subjectId: string;
  payload: Record<string, Json>;
  stageData: Record<string, Record<string, Json>>;
  decidedAt: string | null;
}

/**
 * Applies a decided case to the personnel records, inside a transaction, and describes what changed (the
 * description goes into the case history). Must be idempotent: a retried activity finds its own earlier
 * write (keyed by caseId) and reports it instead of applying twice.
 */
export type OutcomeApplier = (tx: Prisma.TransactionClient, input: OutcomeInput) => Promise<Json>;
