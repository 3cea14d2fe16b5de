import type { Json } from '../../domain/history';
import type { RuleSet } from '../../domain/rules';
import type { Prisma } from '../../infra/prisma';

export interface OutcomeInput {
  caseId: string;
  type: string;
  outcome: string;
  subjectId: string;
  payload: Record<string, Json>;
  /** Data recorded at each stage, and who completed each stage, by stage key. */
  stageData: Record<string, Record<string, Json>>;
  stageActors: Record<string, string[]>;
  decidedAt: string | null;
  /** The rule set frozen into the case when it started. */
  rules: RuleSet;
}

/**
 * Applies a decided case to the personnel records, inside a transaction, and describes what changed (the
 * description goes into the case history). Must be idempotent: a retried activity finds its own earlier
 * write (keyed by caseId) and reports it instead of applying twice.
 */
export type OutcomeApplier = (tx: Prisma.TransactionClient, input: OutcomeInput) => Promise<Json>;

/** A date a stage recorded, or the day the case was decided. */
export function recordedDate(input: OutcomeInput, stage: string, field: string): string {
  const value = input.stageData[stage]?.[field];
  if (typeof value === 'string') return value;
  return (input.decidedAt ?? new Date().toISOString()).slice(0, 10);
}
