import type { LedgerCheckpoint, LedgerEntry } from '../domain/ledger';
import type { PrismaClient } from '../infra/prisma';

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

    /** Entries from ledgerSeq `after` (exclusive), oldest first, at most `take`. */
    async entries(after: number, take: number): Promise<LedgerEntry[]> {
      const rows = await prisma.ledgerEntry.findMany({ where: { ledgerSeq: { gt: after } }, orderBy: { ledgerSeq: 'asc' }, take });
      return rows.map(({ appendedAt: _appendedAt, ...r }) => ({ ...r, ledgerSeq: Number(r.ledgerSeq) }));
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

    async checkpoints(): Promise<LedgerCheckpoint[]> {
      const rows = await prisma.ledgerCheckpoint.findMany({ orderBy: { size: 'asc' } });
      return rows.map((c) => ({ ...c, size: Number(c.size), at: c.at.toISOString() }));
    },

    async latestCheckpoint(): Promise<LedgerCheckpoint | null> {
      const c = await prisma.ledgerCheckpoint.findFirst({ orderBy: { size: 'desc' } });
      return c ? { ...c, size: Number(c.size), at: c.at.toISOString() } : null;
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
