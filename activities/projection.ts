import { ApplicationFailure } from '@temporalio/common';
import type { Store } from '../store';
import { CHAIN_ERRORS, type EventBatch, type FencedBatch, type Recorded } from '../store/projection';

/** A batch of the case workflow: fenced since replay-stable events (v5), without a fence from older runs. */
export type RecordEventsInput = EventBatch | FencedBatch;

/**
 * Projects a batch of case events into PostgreSQL (store/projection.ts): appends them to the hash-chained
 * history and updates the case row, its assignees and its participants (who recorded an event), in one round
 * trip, on the hot path of every action (the Update that caused the events returns only after this). A fenced
 * batch answers the stored head, which the workflow records as what the read model holds.
 */
export function createProjectionActivities({ store }: { store: Pick<Store, 'projection'> }) {
  return {
    async recordEvents(input: RecordEventsInput): Promise<Recorded | null> {
      if (!('fence' in input)) {
        await store.projection.recordUnfenced(input);
        return null;
      }
      try {
        return await store.projection.record(input);
      } catch (err) {
        throw refusedContent(err) ?? err;
      }
    },

    /**
     * Confirms a case's events up to `head` (store/projection.ts confirm), which enters them in the ledger. The
     * case workflow schedules it as a regular activity right after a timer-driven write: a regular activity runs
     * only once the workflow task that scheduled it has completed, and that task wrote `head`, so running here
     * proves the events final. Answers whether the stored history holds `head` (false: a newer attempt replaced it).
     */
    async confirmEvents({ caseId, head }: { caseId: string; head: { seq: number; hash: string } }): Promise<boolean> {
      return (await store.projection.confirm(caseId, head)).held;
    },

    /** The projection gave up on a case's write: noted, so /readyz and the metrics show its read model behind. */
    async noteProjectionBehind({ caseId, seq, reason }: { caseId: string; seq: number; reason: string }): Promise<void> {
      await store.projection.noteBehind(caseId, seq, reason);
    },

    /** A run of the case keeps the digest of what it carries into its next run. */
    async handOver({ caseId, digest }: { caseId: string; digest: string }): Promise<void> {
      await store.projection.handOver(caseId, digest);
    },

    /** The next run takes over only what the previous one handed over; anything else is a forged input. */
    async takeOver({ caseId, digest }: { caseId: string; digest: string }): Promise<void> {
      if (!(await store.projection.takeOver(caseId, digest))) {
        throw ApplicationFailure.create({
          type: 'forbidden',
          message: `case ${caseId}: the continued state is not the one its previous run handed over`,
          nonRetryable: true,
        });
      }
    },
  };
}

/**
 * Errors of PostgreSQL about the content of a write rather than its reach: SQLSTATE class 22 (data exceptions: a
 * NUL character, a lone surrogate, a value out of range), class 23 (a constraint) and the chain's own checks.
 * Retrying them cannot succeed, so the activity fails at once instead of spending its attempts.
 */
function refusedContent(err: unknown): ApplicationFailure | null {
  const code = sqlState(err);
  if (code === undefined || (!/^(22|23)/.test(code) && !Object.values(CHAIN_ERRORS).includes(code as never))) return null;
  return ApplicationFailure.create({
    type: 'projection-refused',
    message: `PostgreSQL refused the write (SQLSTATE ${code}): ${(err as Error).message.split('\n').slice(-1)[0]}`,
    nonRetryable: true,
  });
}

/** The SQLSTATE of a failed raw query, as Prisma reports it: P2010 ("Raw query failed") with PostgreSQL's code. */
function sqlState(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const meta = 'meta' in err ? (err.meta as { code?: unknown } | undefined) : undefined;
  if (typeof meta?.code === 'string') return meta.code;
  return /Raw query failed\. Code: `([0-9A-Z]{5})`/.exec(err.message)?.[1];
}
