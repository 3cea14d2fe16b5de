import type { LedgerCheckpoint, LedgerEntry } from '../domain/ledger';
import type { PrismaClient } from '../infra/prisma';
import { GENESIS_HASH } from '../domain/history';

const checkpointOf = (c: { size: bigint; headHash: string; at: Date; keyId: string; signature: string }): LedgerCheckpoint => ({
  ...c,
  size: Number(c.size),
  at: c.at.toISOString(),
});

/**
 * The event ledger's rows (migration 20261230000000_event_ledger). Entries are appended by the database itself
 * when a case's confirmedSeq moves; this module only reads them and appends signed checkpoints.
 */
export function ledgerStore(prisma: PrismaClient) {
  return {
    /** The ledger's size and head hash (0 and null when empty). */
    async head(): Promise<{ size: number; headHash: string | null }> {
      const last = await prisma.ledgerEntry.findFirst({ orderBy: { ledgerSeq: 'desc' }, select: { ledgerSeq: true, hash: true } });
      return last ? { size: Number(last.ledgerSeq), headHash: last.hash } : { size: 0, headHash: null };
    },

    /**
     * One page of the export, read in one repeatable-read snapshot (so a checkpoint signed meanwhile cannot lie
     * beyond the entries read): the hash of entry `after` (null when there is no such entry), the entries after it
     * (at most `take`), whether more follow, the checkpoints whose size falls in the page (on the last page, every
     * one beyond `after`), and the earliest checkpoint covering its last entry.
     */
    async page(
      after: number,
      take: number,
    ): Promise<{
      prevHash: string | null;
      entries: LedgerEntry[];
      more: boolean;
      checkpoints: LedgerCheckpoint[];
      coveredBy: LedgerCheckpoint | null;
    }> {
      return prisma.$transaction(
        async (tx) => {
          const prev = after === 0 ? null : await tx.ledgerEntry.findUnique({ where: { ledgerSeq: after }, select: { hash: true } });
          const rows = await tx.ledgerEntry.findMany({
            where: { ledgerSeq: { gt: after } },
            orderBy: { ledgerSeq: 'asc' },
            take: take + 1,
          });
          const more = rows.length > take;
          const entries = rows.slice(0, take).map(({ appendedAt: _appendedAt, ...r }) => ({ ...r, ledgerSeq: Number(r.ledgerSeq) }));
          const lastSeq = entries.length ? entries[entries.length - 1]!.ledgerSeq : after;
          const checkpoints = await tx.ledgerCheckpoint.findMany({
            where: { size: more ? { gt: after, lte: lastSeq } : { gt: after } },
            orderBy: { size: 'asc' },
          });
          const coveredBy = await tx.ledgerCheckpoint.findFirst({
            where: { size: { gte: Math.max(lastSeq, 1) } },
            orderBy: { size: 'asc' },
          });
          return {
            prevHash: after === 0 ? GENESIS_HASH : (prev?.hash ?? null),
            entries,
            more,
            checkpoints: checkpoints.map(checkpointOf),
            coveredBy: coveredBy ? checkpointOf(coveredBy) : null,
          };
        },
        { isolationLevel: 'RepeatableRead' },
      );
    },

    /**
     * Where the ledger and the stored chains disagree, oldest case first: a ledger entry whose event is gone
     * (a deleted event or case; an archived case's entries up to its recorded head are not), a confirmed event the ledger lacks, or an event whose hash is not the one the
     * ledger took (a rewritten chain). Reads every confirmed event: an auditor's check, not a hot path.
     */
    async mismatches(
      take = 1000,
    ): Promise<{ caseId: string; seq: number; problem: 'event-missing' | 'not-in-ledger' | 'event-rewritten' }[]> {
      return prisma.$queryRaw`
        SELECT coalesce(l."caseId", e."caseId") AS "caseId", coalesce(l.seq, e.seq) AS seq,
          CASE WHEN e."caseId" IS NULL THEN 'event-missing' WHEN l."caseId" IS NULL THEN 'not-in-ledger' ELSE 'event-rewritten' END AS problem
        FROM "LedgerEntry" l
        FULL JOIN (
          SELECT ce."caseId", ce.seq, ce.hash FROM "CaseEvent" ce JOIN "Case" c ON c.id = ce."caseId" WHERE ce.seq <= c."confirmedSeq"
        ) e ON l."caseId" = e."caseId" AND l.seq = e.seq
        WHERE (e."caseId" IS NULL AND NOT EXISTS (
            -- An archived case's events are in its bundle (checked against these entries before its rows left):
            -- its entries stand, up to the head the archival recorded, whose hash must be the one the ledger took.
            SELECT 1 FROM "ArchivedCase" a
            WHERE a.id = l."caseId" AND (l.seq < a."lastSeq" OR (l.seq = a."lastSeq" AND l."eventHash" = a."lastHash"))
          ))
          OR l."caseId" IS NULL OR l."eventHash" <> e.hash
        ORDER BY 1, 2
        LIMIT ${take}::int`;
    },

    async latestCheckpoint(): Promise<LedgerCheckpoint | null> {
      const c = await prisma.ledgerCheckpoint.findFirst({ orderBy: { size: 'desc' } });
      return c ? checkpointOf(c) : null;
    },

    /** Appends a checkpoint; false when one of that size exists already (another process signed it first). */
    async addCheckpoint(c: LedgerCheckpoint): Promise<boolean> {
      const { count } = await prisma.ledgerCheckpoint.createMany({
        data: [{ ...c, size: BigInt(c.size), at: new Date(c.at) }],
        skipDuplicates: true,
      });
      return count === 1;
    },
  };
}

export type LedgerStore = ReturnType<typeof ledgerStore>;
