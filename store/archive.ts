import type { ChainedEvent, Json } from '../domain/history';
import type { LedgerEntry } from '../domain/ledger';
import type { PrismaClient } from '../infra/prisma';
import { chainedEvent } from './case-events';

/** Dates as ISO strings and big integers as numbers: a row as the bundle's JSON holds it. */
function plain(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) throw new Error('bytes are not plain JSON');
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value as Json;
}

export interface ArchiveSnapshot {
  case: { id: string; lastSeq: number; lastHash: string; status: string; [key: string]: Json };
  events: ChainedEvent[];
  /** Each attachment's row, and whether PostgreSQL holds its bytes (read them with contentChunks). */
  attachments: { row: Record<string, Json> & { id: string; storage: string; state: string }; inDatabase: boolean }[];
  ledgerEntries: LedgerEntry[];
  related: Record<string, Json[]>;
}

/** What archive_case_rows records about the bundle (migration 20261231800000_case_archive). */
export interface ArchivalRecord {
  lastSeq: number;
  lastHash: string;
  bundleLocation: string;
  bundleSha256: string;
  bundleSize: number;
  checkpointSize: number | null;
  archivedBy: string;
}

/** How much of an attachment's bytes is read, or written back, at a time. */
const CONTENT_CHUNK_BYTES = 4 * 1024 * 1024;

export type ArchivedCaseRow = NonNullable<Awaited<ReturnType<PrismaClient['archivedCase']['findUnique']>>>;

/**
 * The rows archival reads and the one path that removes them (archive_case_rows): services/archive.ts makes the
 * bundle, writes and verifies it, and only then calls remove().
 */
export function archiveStore(prisma: PrismaClient) {
  const ledgerEntriesOf = async (caseId: string): Promise<LedgerEntry[]> =>
    (await prisma.ledgerEntry.findMany({ where: { caseId }, orderBy: { ledgerSeq: 'asc' } })).map(({ appendedAt: _appendedAt, ...e }) => ({
      ...e,
      ledgerSeq: Number(e.ledgerSeq),
    }));
  return {
    /** The case's entries of the event ledger (which keeps them when the case is archived), ledgerSeq order. */
    ledgerEntriesOf,

    /**
     * Closed cases decided before `before`, oldest first, at most `take`; not one restored from its bundle (its
     * "ArchivedCase" record, append-only, already names that bundle: it stays in the database for good).
     */
    async candidates(before: Date, take: number): Promise<string[]> {
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        SELECT c.id FROM "Case" c
        WHERE c.status IN ('completed', 'rejected', 'withdrawn') AND c."decidedAt" < ${before}
          AND NOT EXISTS (SELECT 1 FROM "ArchivedCase" a WHERE a.id = c.id)
        ORDER BY c."decidedAt", c.id
        LIMIT ${take}`;
      return rows.map((r) => r.id);
    },

    /** Everything the database holds about a case, for its bundle; null when there is no such case. */
    async snapshot(caseId: string): Promise<ArchiveSnapshot | null> {
      const row = await prisma.case.findUnique({ where: { id: caseId } });
      if (!row) return null;
      const [events, attachments, ledgerEntries, notifications, deliveries, discarded, notices, objections, participants, assignees] =
        await Promise.all([
          prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } }),
          prisma.attachment.findMany({
            where: { caseId },
            orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
            include: { content: { select: { attachmentId: true } } },
          }),
          ledgerEntriesOf(caseId),
          prisma.notification.findMany({ where: { caseId }, orderBy: [{ seq: 'asc' }, { id: 'asc' }] }),
          prisma.notificationDelivery.findMany({
            where: { caseId },
            orderBy: [{ seq: 'asc' }, { id: 'asc' }],
            include: { log: { orderBy: { id: 'asc' } } },
          }),
          prisma.discardedCaseEvent.findMany({ where: { caseId }, orderBy: { id: 'asc' } }),
          prisma.publicNotice.findMany({ where: { caseId }, orderBy: { startedAt: 'asc' } }),
          prisma.publicObjection.findMany({ where: { caseId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
          prisma.caseParticipant.findMany({ where: { caseId }, orderBy: { userId: 'asc' } }),
          prisma.caseAssignee.findMany({ where: { caseId }, orderBy: { userId: 'asc' } }),
        ]);
      return {
        case: plain(row) as ArchiveSnapshot['case'],
        events: events.map(chainedEvent),
        attachments: attachments.map(({ content, ...a }) => ({
          row: plain(a) as ArchiveSnapshot['attachments'][number]['row'],
          inDatabase: content !== null,
        })),
        ledgerEntries,
        related: {
          notifications: notifications.map(plain),
          notificationDeliveries: deliveries.map(plain),
          discardedEvents: discarded.map(plain),
          publicNotices: notices.map(plain),
          publicObjections: objections.map(plain),
          participants: participants.map((p) => p.userId),
          assignees: assignees.map((a) => a.userId),
        },
      };
    },

    /** The bytes PostgreSQL holds of an attachment, a slice at a time (archival streams them into the bundle). */
    async *contentChunks(attachmentId: string): AsyncGenerator<Uint8Array> {
      for (let offset = 0; ; offset += CONTENT_CHUNK_BYTES) {
        const [row] = await prisma.$queryRaw<{ part: Uint8Array }[]>`
          SELECT substring(bytes FROM ${offset + 1}::int FOR ${CONTENT_CHUNK_BYTES}::int) AS part
          FROM "AttachmentContent" WHERE "attachmentId" = ${attachmentId}`;
        if (!row) throw new Error(`attachment ${attachmentId} has no bytes in the database`);
        if (row.part.length > 0) yield row.part;
        if (row.part.length < CONTENT_CHUNK_BYTES) return;
      }
    },

    /**
     * Removes the case's rows and records the archival, in one transaction (archive_case_rows): refused, and
     * nothing removed, when the case moved on since its bundle was made or is not ready to leave (see the migration).
     */
    async remove(caseId: string, record: ArchivalRecord): Promise<void> {
      await prisma.$executeRaw`SELECT archive_case_rows(${caseId}, ${JSON.stringify(record)}::jsonb)`;
    },

    /**
     * Puts an archived case's rows back from its verified bundle (services/archive.ts restoreCase), in one
     * transaction: the case row, its events (inserts: the history stays append-only), attachments, and the related
     * rows; then `fill` writes the bytes of those kept in PostgreSQL, through `append`, as it reads them from the
     * bundle, in the same transaction. Its ledger entries never left; the case row's insert appends nothing to the
     * ledger, which already holds each event. Participants get the case's org path, as the projection gives them
     * (the bundle lists their ids). Rows come back through jsonb_populate_record(set), so every column is the
     * table's own type again (ISO dates to timestamps, arrays, jsonb).
     */
    async restore(
      bundle: { case: Record<string, Json>; events: ChainedEvent[]; attachments: Record<string, Json>[]; related: Record<string, Json[]> },
      fill: (append: (attachmentId: string, bytes: AsyncIterable<Uint8Array>) => Promise<void>) => Promise<void>,
    ): Promise<void> {
      const caseId = bundle.case.id as string;
      const rows = (name: string) => JSON.stringify(bundle.related[name] ?? []);
      const deliveries = (bundle.related.notificationDeliveries ?? []) as Record<string, Json>[];
      await prisma.$transaction(
        async (tx) => {
          await tx.$executeRaw`INSERT INTO "Case" SELECT * FROM jsonb_populate_record(NULL::"Case", ${JSON.stringify(bundle.case)}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "CaseEvent" SELECT * FROM jsonb_populate_recordset(NULL::"CaseEvent", ${JSON.stringify(bundle.events)}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "Attachment" SELECT * FROM jsonb_populate_recordset(NULL::"Attachment", ${JSON.stringify(bundle.attachments)}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "Notification" SELECT * FROM jsonb_populate_recordset(NULL::"Notification", ${rows('notifications')}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "NotificationDelivery" SELECT * FROM jsonb_populate_recordset(NULL::"NotificationDelivery", ${JSON.stringify(deliveries.map(({ log: _log, ...d }) => d))}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "NotificationAttempt" SELECT * FROM jsonb_populate_recordset(NULL::"NotificationAttempt", ${JSON.stringify(deliveries.flatMap((d) => (d.log ?? []) as Json[]))}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "DiscardedCaseEvent" SELECT * FROM jsonb_populate_recordset(NULL::"DiscardedCaseEvent", ${rows('discardedEvents')}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "PublicNotice" SELECT * FROM jsonb_populate_recordset(NULL::"PublicNotice", ${rows('publicNotices')}::jsonb)`;
          await tx.$executeRaw`INSERT INTO "PublicObjection" SELECT * FROM jsonb_populate_recordset(NULL::"PublicObjection", ${rows('publicObjections')}::jsonb)`;
          const orgPath = bundle.case.orgPath as string;
          await tx.caseParticipant.createMany({
            data: (bundle.related.participants ?? []).map((userId) => ({ caseId, userId: userId as string, orgPath })),
          });
          await tx.caseAssignee.createMany({
            data: (bundle.related.assignees ?? []).map((userId) => ({ caseId, userId: userId as string })),
          });
          await fill(async (attachmentId, bytes) => {
            await tx.$executeRaw`INSERT INTO "AttachmentContent" ("attachmentId", bytes) VALUES (${attachmentId}, ''::bytea)`;
            // A few slices of a few MiB each, appended: never the whole file in this process.
            let slice: Buffer[] = [];
            let sliced = 0;
            const flush = async () => {
              const part = Buffer.concat(slice);
              [slice, sliced] = [[], 0];
              await tx.$executeRaw`UPDATE "AttachmentContent" SET bytes = bytes || ${part} WHERE "attachmentId" = ${attachmentId}`;
            };
            for await (const chunk of bytes) {
              slice.push(Buffer.from(chunk));
              sliced += chunk.length;
              if (sliced >= CONTENT_CHUNK_BYTES) await flush();
            }
            if (sliced > 0) await flush();
          });
        },
        // The bytes come from the bundle's store as the transaction runs: a large case takes longer than Prisma's 5 s.
        { timeout: 10 * 60_000, maxWait: 30_000 },
      );
    },

    async archived(caseId: string): Promise<ArchivedCaseRow | null> {
      return prisma.archivedCase.findUnique({ where: { id: caseId } });
    },
  };
}

export type ArchiveStore = ReturnType<typeof archiveStore>;
