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
  attachments: { row: Record<string, Json> & { id: string; storage: string; state: string }; bytes: Uint8Array | null }[];
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

export type ArchivedCaseRow = NonNullable<Awaited<ReturnType<PrismaClient['archivedCase']['findUnique']>>>;

/**
 * The rows archival reads and the one path that removes them (archive_case_rows): services/archive.ts makes the
 * bundle, writes and verifies it, and only then calls remove().
 */
export function archiveStore(prisma: PrismaClient) {
  return {
    /** Closed cases decided before `before`, oldest first, at most `take`. */
    async candidates(before: Date, take: number): Promise<string[]> {
      const rows = await prisma.case.findMany({
        where: { status: { in: ['completed', 'rejected', 'withdrawn'] }, decidedAt: { lt: before } },
        orderBy: [{ decidedAt: 'asc' }, { id: 'asc' }],
        select: { id: true },
        take,
      });
      return rows.map((r) => r.id);
    },

    /** Everything the database holds about a case, for its bundle; null when there is no such case. */
    async snapshot(caseId: string): Promise<ArchiveSnapshot | null> {
      const row = await prisma.case.findUnique({ where: { id: caseId } });
      if (!row) return null;
      const [events, attachments, ledgerEntries, notifications, deliveries, discarded, notices, objections, participants, assignees] =
        await Promise.all([
          prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } }),
          prisma.attachment.findMany({ where: { caseId }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], include: { content: true } }),
          prisma.ledgerEntry.findMany({ where: { caseId }, orderBy: { ledgerSeq: 'asc' } }),
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
          bytes: content ? new Uint8Array(content.bytes) : null,
        })),
        ledgerEntries: ledgerEntries.map(({ appendedAt: _appendedAt, ...e }) => ({ ...e, ledgerSeq: Number(e.ledgerSeq) })),
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

    /**
     * Removes the case's rows and records the archival, in one transaction (archive_case_rows): refused, and
     * nothing removed, when the case moved on since its bundle was made or is not ready to leave (see the migration).
     */
    async remove(caseId: string, record: ArchivalRecord): Promise<void> {
      await prisma.$executeRaw`SELECT archive_case_rows(${caseId}, ${JSON.stringify(record)}::jsonb)`;
    },

    async archived(caseId: string): Promise<ArchivedCaseRow | null> {
      return prisma.archivedCase.findUnique({ where: { id: caseId } });
    },
  };
}

export type ArchiveStore = ReturnType<typeof archiveStore>;
