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

/** A case row's head and the facts it shows (stageData is null on rows not projected since the read model). */
interface CaseHeadRow extends Omit<CaseFacts, 'stageData'> {
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
     * The chains of one case, or of up to `take` cases by id after `afterId`; empty when there is no such case
     * (or none after).
     */
    async chains(scope: { caseId: string } | { afterId?: string }, take: number): Promise<CaseChain[]> {
      const cases = await db.$queryRaw<CaseHeadRow[]>`
        SELECT id, "lastSeq", "lastHash", type, "subjectId", "orgUnitId", "orgPath", "applicantId", payload, status::text AS status, outcome,
          "readModel" -> 'stageData' AS "stageData"
        FROM "Case"
        WHERE ${'caseId' in scope ? Prisma.sql`id = ${scope.caseId}` : scope.afterId ? Prisma.sql`id > ${scope.afterId}` : Prisma.sql`TRUE`}
        ORDER BY id LIMIT ${take}`;
      if (cases.length === 0) return [];
      // Raw rows: the model mapping of findMany costs more than the query over a whole chain.
      const rows = await db.$queryRaw<CaseEventRow[]>`
        SELECT "caseId", seq, at, "actorId", action, "fromStatus"::text AS "fromStatus", "toStatus"::text AS "toStatus", stage, comment,
          data, "prevHash", hash, "caseDigest"
        FROM "CaseEvent" WHERE "caseId" = ANY(${cases.map((c) => c.id)}::text[]) ORDER BY "caseId", seq`;
      const byCase = new Map<string, ChainedEvent[]>(cases.map((c) => [c.id, []]));
      for (const row of rows) byCase.get(row.caseId)?.push(chainedEvent(row));
      return cases.map((c) => ({
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
        events: byCase.get(c.id) ?? [],
      }));
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
