import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { canonicalJson, verifyCaseChain, type ChainBreak, type ChainedEvent, type ChainedEventBody } from '../domain/history';
import type { Prisma, PrismaClient } from '../infra/prisma';
import type { Caller } from './auth';
import { eventView, visibleCases } from './case-queries';
import { notFound } from './problem';
import { decodeCursor, encodeCursor, instantParam } from './validation';

/**
 * The auditors' view: every event of every case, as JSON pages or one CSV stream, and verification of the
 * hash chains. Every read of these routes is itself recorded (AuditAccess).
 */

export const auditEventsQuery = z.object({
  from: instantParam.optional().describe('events at or after'),
  to: instantParam.optional().describe('events before'),
  actorId: z.string().optional(),
  caseId: z.string().optional(),
  action: z.string().optional(),
  format: z.enum(['json', 'csv']).default('json').describe('csv streams every matching event; json pages them'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(500).optional(),
});

export const verifyQuery = z.object({ caseId: z.string().optional().describe('one case; omit to verify every case') });

const CSV_COLUMNS = ['caseId', 'seq', 'at', 'actorId', 'action', 'fromStatus', 'toStatus', 'stage', 'comment', 'data', 'prevHash', 'hash'] as const;
const BATCH = 1000;
/** Cases per round trip when verifying every chain (a few thousand events). */
const VERIFY_BATCH = 500;

/** The chain's SHA-256 with Node's native hash: the same digest as hashEvent, several times faster. */
const nativeHash = (body: ChainedEventBody) => createHash('sha256').update(canonicalJson(body)).digest('hex');

type EventRow = Parameters<typeof eventView>[0];

type EventCursor = { at: string; caseId: string; seq: number };

function eventFilter(query: z.infer<typeof auditEventsQuery>): Prisma.CaseEventWhereInput {
  return {
    ...(query.from || query.to ? { at: { gte: query.from, lt: query.to } } : {}),
    ...(query.actorId ? { actorId: query.actorId } : {}),
    ...(query.caseId ? { caseId: query.caseId } : {}),
    ...(query.action ? { action: query.action } : {}),
  };
}

function after(cursor: EventCursor | undefined): Prisma.CaseEventWhereInput {
  if (!cursor) return {};
  const at = new Date(cursor.at);
  return { OR: [{ at: { gt: at } }, { at, caseId: { gt: cursor.caseId } }, { at, caseId: cursor.caseId, seq: { gt: cursor.seq } }] };
}

const ORDER: Prisma.CaseEventOrderByWithRelationInput[] = [{ at: 'asc' }, { caseId: 'asc' }, { seq: 'asc' }];

const isEventCursor = (c: Record<string, unknown>) => typeof c.at === 'string' && typeof c.caseId === 'string' && Number.isInteger(c.seq);

export function createAuditService({ prisma }: { prisma: PrismaClient }) {
  async function recordAccess(caller: Caller, route: string, query: Record<string, unknown>) {
    await prisma.auditAccess.create({ data: { userId: caller.id, route, query: JSON.parse(JSON.stringify(query)) as Prisma.InputJsonValue } });
  }

  return {
    recordAccess,

    async events(caller: Caller, query: z.infer<typeof auditEventsQuery>) {
      await recordAccess(caller, '/audit/events', query);
      const where = eventFilter(query);
      const cursor = query.cursor ? decodeCursor<EventCursor>(query.cursor, isEventCursor) : undefined;
      const rows = await prisma.caseEvent.findMany({ where: { AND: [where, after(cursor)] }, orderBy: ORDER, take: query.limit + 1 });
      const items = rows.slice(0, query.limit);
      const last = items[items.length - 1];
      const nextCursor =
        rows.length > query.limit && last ? encodeCursor({ at: last.at.toISOString(), caseId: last.caseId, seq: last.seq }) : null;
      return { items: items.map(eventView), nextCursor };
    },

    /** Streams every matching event as CSV, in batches, so memory stays flat however long the history. */
    async streamCsv(caller: Caller, query: z.infer<typeof auditEventsQuery>, res: Response) {
      await recordAccess(caller, '/audit/events', query);
      const where = eventFilter(query);
      res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="case-events.csv"');
      // Free text (comments) opened in a spreadsheet must not run as a formula: a cell starting with =, +, -, @,
      // tab or carriage return is written with a leading single quote.
      const csv = stringify({ header: true, columns: [...CSV_COLUMNS], escape_formulas: true });
      csv.pipe(res);
      let cursor: EventCursor | undefined;
      for (;;) {
        const rows = await prisma.caseEvent.findMany({ where: { AND: [where, after(cursor)] }, orderBy: ORDER, take: BATCH });
        for (const row of rows) {
          const e = eventView(row);
          const ok = csv.write({ ...e, data: JSON.stringify(e.data) });
          if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
        }
        const last = rows[rows.length - 1];
        if (rows.length < BATCH || !last) break;
        cursor = { at: last.at.toISOString(), caseId: last.caseId, seq: last.seq };
      }
      csv.end();
      await new Promise((resolve) => res.once('finish', resolve));
    },

    /**
     * Walks the hash chain of one case, or of every case (auditors), and reports the first broken link.
     * Callers who may see a case may verify it; verifying everything is for auditors. Every case goes
     * through in batches, the next batch read from PostgreSQL while the current one is hashed.
     */
    async verify(caller: Caller, caseId?: string): Promise<{ ok: boolean; checked: number; cases: number; firstBroken?: ChainBreak }> {
      await recordAccess(caller, '/audit/verify', caseId ? { caseId } : {});
      const load = async (where: Prisma.CaseWhereInput) => {
        const batch = await prisma.case.findMany({ where, orderBy: { id: 'asc' }, take: VERIFY_BATCH, select: { id: true, lastSeq: true, lastHash: true } });
        if (batch.length === 0) return null;
        const ids = batch.map((c) => c.id);
        // Raw rows: the model mapping of findMany costs more than the query over a whole chain.
        const rows = await prisma.$queryRaw<EventRow[]>`
          SELECT "caseId", seq, at, "actorId", action, "fromStatus"::text AS "fromStatus", "toStatus"::text AS "toStatus", stage, comment,
            data, "prevHash", hash
          FROM "CaseEvent" WHERE "caseId" = ANY(${ids}::text[]) ORDER BY "caseId", seq`;
        return { batch, rows };
      };
      let checked = 0;
      let cases = 0;
      let next = load(caseId ? { AND: [{ id: caseId }, visibleCases(caller)] } : {});
      for (;;) {
        const current = await next;
        if (!current) {
          if (caseId) throw notFound('case');
          break;
        }
        const last = current.batch[current.batch.length - 1] as { id: string };
        next = caseId ? Promise.resolve(null) : load({ id: { gt: last.id } });
        const byCase = new Map<string, ChainedEvent[]>();
        for (const e of current.rows) {
          const list = byCase.get(e.caseId) ?? [];
          list.push(eventView(e) as ChainedEvent);
          byCase.set(e.caseId, list);
        }
        for (const c of current.batch) {
          const result = verifyCaseChain(c.id, byCase.get(c.id) ?? [], { lastSeq: c.lastSeq, lastHash: c.lastHash }, nativeHash);
          checked += result.checked;
          cases += 1;
          if (!result.ok) {
            await next.catch(() => undefined);
            return { ok: false, checked, cases, firstBroken: result.firstBroken };
          }
        }
        if (caseId) return { ok: true, checked, cases };
      }
      return { ok: true, checked, cases };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
