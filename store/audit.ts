import type { ChainedEvent } from '../domain/history';
import type { Prisma, PrismaClient } from '../infra/prisma';
import { chainedEvent, type CaseEventRow } from './case-events';

/** The auditors' reads: every case event by filter, the hash chains case by case, and the record of each read. */

export interface CaseEventFilter {
  /** At or after. */
  from?: Date;
  /** Before. */
  to?: Date;
  actorId?: string;
  caseId?: string;
  action?: string;
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
  events: ChainedEvent[];
}

const ORDER: Prisma.CaseEventOrderByWithRelationInput[] = [{ at: 'asc' }, { caseId: 'asc' }, { seq: 'asc' }];

function eventFilter(filter: CaseEventFilter): Prisma.CaseEventWhereInput {
  return {
    ...(filter.from || filter.to ? { at: { gte: filter.from, lt: filter.to } } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.caseId ? { caseId: filter.caseId } : {}),
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

    /**
     * The chains of one case, or of up to `take` cases by id after `afterId`; empty when there is no such case
     * (or none after).
     */
    async chains(scope: { caseId: string } | { afterId?: string }, take: number): Promise<CaseChain[]> {
      const where: Prisma.CaseWhereInput = 'caseId' in scope ? { id: scope.caseId } : scope.afterId ? { id: { gt: scope.afterId } } : {};
      const cases = await db.case.findMany({ where, orderBy: { id: 'asc' }, take, select: { id: true, lastSeq: true, lastHash: true } });
      if (cases.length === 0) return [];
      // Raw rows: the model mapping of findMany costs more than the query over a whole chain.
      const rows = await db.$queryRaw<CaseEventRow[]>`
        SELECT "caseId", seq, at, "actorId", action, "fromStatus"::text AS "fromStatus", "toStatus"::text AS "toStatus", stage, comment,
          data, "prevHash", hash
        FROM "CaseEvent" WHERE "caseId" = ANY(${cases.map((c) => c.id)}::text[]) ORDER BY "caseId", seq`;
      const byCase = new Map<string, ChainedEvent[]>(cases.map((c) => [c.id, []]));
      for (const row of rows) byCase.get(row.caseId)?.push(chainedEvent(row));
      return cases.map((c) => ({ caseId: c.id, lastSeq: c.lastSeq, lastHash: c.lastHash, events: byCase.get(c.id) ?? [] }));
    },
  };
}

export type AuditStore = ReturnType<typeof auditStore>;
