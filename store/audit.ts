import type { ChainedEvent } from '../domain/history';
import type { CaseFacts } from '../domain/process/facts';
import { Prisma, type PrismaClient } from '../infra/prisma';
import { chainedEvent, type CaseEventRow } from './case-events';

/** The auditors' reads: every case event by filter, the hash chains case by case, and the record of each read. */

export interface CaseEventFilter {
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  actorId?: string;
  caseId?: string;
  /** The subject's name, or the start of the case's id: finds a case without pasting its UUID. */
  q?: string;
  action?: string;
}

/** What an audit row says about the case of an event: its type and subject. */
export interface CaseLabel {
  id: string;
  type: string;
  subjectName: string;
}

/** Where a page of events ends, in their order (time, case, sequence). */
export interface EventPosition {
  at: string;
  caseId: string;
  seq: number;
}

/** A case's chain head (from the case row) with its events in sequence order. */
export interface CaseChain {
  caseId: string;
  lastSeq: number;
  lastHash: string;
  /** The facts the case row shows (null on rows not projected since the read model; domain/process/facts.ts). */
  facts: CaseFacts | null;
  events: ChainedEvent[];
}

/** One case, or the case ids after `after` (exclusive) up to `upTo` (inclusive); an end left out is open. */
export type ChainRange = { caseId: string } | { after?: string; upTo?: string };

/** A case row's head and the facts it shows (stageData is null on rows not projected since the read model). */
export interface CaseHeadRow extends Omit<CaseFacts, 'stageData'> {
  id: string;
  lastSeq: number;
  lastHash: string;
  stageData: CaseFacts['stageData'] | null;
}

const ORDER: Prisma.CaseEventOrderByWithRelationInput[] = [{ at: 'asc' }, { caseId: 'asc' }, { seq: 'asc' }];

function eventFilter(filter: CaseEventFilter): Prisma.CaseEventWhereInput {
  return {
    ...(filter.from || filter.to ? { at: { gte: filter.from, lt: filter.to } } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.caseId ? { caseId: filter.caseId } : {}),
    ...(filter.q
      ? { case: { OR: [{ subjectName: { contains: filter.q, mode: 'insensitive' as const } }, { id: { startsWith: filter.q } }] } }
      : {}),
    ...(filter.action ? { action: filter.action } : {}),
  };
}

function after(position: EventPosition | undefined): Prisma.CaseEventWhereInput {
  if (!position) return {};
  const at = new Date(position.at);
  return { OR: [{ at: { gt: at } }, { at, caseId: { gt: position.caseId } }, { at, caseId: position.caseId, seq: { gt: position.seq } }] };
}

/** A case row and its events as a chain to verify. */
export function caseChain(c: CaseHeadRow, events: ChainedEvent[]): CaseChain {
  return {
    caseId: c.id,
    lastSeq: c.lastSeq,
    lastHash: c.lastHash,
    facts: c.stageData
      ? {
          type: c.type,
          subjectId: c.subjectId,
          orgUnitId: c.orgUnitId,
          orgPath: c.orgPath,
          applicantId: c.applicantId,
          payload: c.payload,
          status: c.status,
          outcome: c.outcome,
          stageData: c.stageData,
        }
      : null,
    events,
  };
}

export function auditStore(db: PrismaClient) {
  return {
    /** Records who read the audit trail, where and with which filter (AuditAccess). */
    async recordAccess(userId: string, route: string, query: Record<string, unknown>): Promise<void> {
      await db.auditAccess.create({ data: { userId, route, query: JSON.parse(JSON.stringify(query)) as Prisma.InputJsonValue } });
    },

    /** Up to `take` events matching the filter after a position, oldest first. */
    async events(filter: CaseEventFilter, from: EventPosition | undefined, take: number): Promise<ChainedEvent[]> {
      const rows = await db.caseEvent.findMany({ where: { AND: [eventFilter(filter), after(from)] }, orderBy: ORDER, take });
      return rows.map(chainedEvent);
    },

    /** The type and subject of each of these cases (those that exist). */
    async caseLabels(ids: string[]): Promise<CaseLabel[]> {
      return db.case.findMany({ where: { id: { in: ids } }, select: { id: true, type: true, subjectName: true } });
    },

    /**
     * Hands the chain of one case, or of every case whose id is in the range, to `onChain`, in id order, one case
     * in memory at a time: two server-side cursors (cases, and their events by case and sequence) read in one
     * repeatable-read snapshot and merged, `fetch` rows a round trip. So a case's row and its events are seen as
     * of the same instant however long the walk takes, and memory stays flat however many events there are.
     */
    async scanChains(range: ChainRange, onChain: (chain: CaseChain) => void, fetch = 2000): Promise<void> {
      const where = (column: Prisma.Sql) =>
        'caseId' in range
          ? Prisma.sql`${column} = ${range.caseId}`
          : Prisma.join(
              [
                range.after === undefined ? Prisma.sql`TRUE` : Prisma.sql`${column} > ${range.after}`,
                range.upTo === undefined ? Prisma.sql`TRUE` : Prisma.sql`${column} <= ${range.upTo}`,
              ],
              ' AND ',
            );
      await db.$transaction(
        async (tx) => {
          await tx.$executeRaw`DECLARE verify_cases NO SCROLL CURSOR FOR
            SELECT id, "lastSeq", "lastHash", type, "subjectId", "orgUnitId", "orgPath", "applicantId", payload, status::text AS status, outcome,
              "readModel" -> 'stageData' AS "stageData"
            FROM "Case" WHERE ${where(Prisma.sql`id`)} ORDER BY id`;
          await tx.$executeRaw`DECLARE verify_events NO SCROLL CURSOR FOR
            SELECT "caseId", seq, at, "actorId", action, "fromStatus"::text AS "fromStatus", "toStatus"::text AS "toStatus", stage, comment,
              data, "prevHash", hash, "caseDigest"
            FROM "CaseEvent" WHERE ${where(Prisma.sql`"caseId"`)} ORDER BY "caseId", seq`;
          const fetchCases = () => tx.$queryRawUnsafe<CaseHeadRow[]>(`FETCH ${fetch} FROM verify_cases`);
          const fetchEvents = () => tx.$queryRawUnsafe<CaseEventRow[]>(`FETCH ${fetch} FROM verify_events`);
          let events = await fetchEvents();
          let e = 0;
          for (let cases = await fetchCases(); cases.length > 0; cases = await fetchCases()) {
            for (const c of cases) {
              const chain: ChainedEvent[] = [];
              for (;;) {
                if (e === events.length) {
                  if (events.length === 0) break;
                  events = await fetchEvents();
                  e = 0;
                  continue;
                }
                const row = events[e]!;
                // Events of a case without a row (none exist: the foreign key) would sort before; skip them.
                if (row.caseId < c.id) e += 1;
                else if (row.caseId === c.id) {
                  chain.push(chainedEvent(row));
                  e += 1;
                } else break;
              }
              onChain(caseChain(c, chain));
            }
          }
        },
        // One walk over a million events takes seconds to minutes: the transaction lives as long as the walk.
        { isolationLevel: 'RepeatableRead', timeout: 3_600_000, maxWait: 60_000 },
      );
    },

    /** The case ids that split the cases into `parts` ranges of about equal size: parts − 1 ids, in order. */
    async splitCases(parts: number): Promise<string[]> {
      const [{ count }] = await db.$queryRaw<[{ count: number }]>`SELECT count(*)::int AS count FROM "Case"`;
      const bounds: string[] = [];
      for (let i = 1; i < parts; i += 1) {
        const [row] = await db.$queryRaw<
          { id: string }[]
        >`SELECT id FROM "Case" ORDER BY id OFFSET ${Math.floor((count * i) / parts)}::int LIMIT 1`;
        if (row && row.id !== bounds[bounds.length - 1]) bounds.push(row.id);
      }
      return bounds;
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
