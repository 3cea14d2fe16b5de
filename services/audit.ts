import { createHash } from 'node:crypto';
import type { Response } from 'express';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import type { Caller } from '../domain/access';
import { canonicalJson, verifyCaseChain, type ChainBreak, type ChainedEventBody } from '../domain/history';
import type { Store } from '../store';
import type { AuditStore, ChainRange, EventPosition } from '../store/audit';
import { caseFactsDigest } from '../domain/process/facts';
import { notFound } from './problem';
import { cursorId, cursorInstant, decodeCursor, encodeCursor, instantParam } from './validation';

/**
 * The auditors' view: every event of every case, as JSON pages or one CSV stream, and verification of the
 * hash chains. Every read of these routes is itself recorded (AuditAccess).
 */

export const auditEventsQuery = z.object({
  from: instantParam.optional().describe('events at or after'),
  to: instantParam.optional().describe('events before'),
  actorId: z.string().optional(),
  caseId: z.string().optional(),
  q: z.string().trim().min(1).max(100).optional().describe("the subject's name, or the start of a case id"),
  action: z.string().optional(),
  format: z.enum(['json', 'csv']).default('json').describe('csv streams every matching event; json pages them'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(500).optional(),
});

export const verifyQuery = z.object({ caseId: z.string().optional().describe('one case; omit to verify every case') });

const CSV_COLUMNS = [
  'caseId',
  'seq',
  'at',
  'actorId',
  'action',
  'fromStatus',
  'toStatus',
  'stage',
  'comment',
  'data',
  'prevHash',
  'hash',
  // Empty on events of cases started before the ledger.
  'caseDigest',
] as const;
const BATCH = 1000;
/** Case id ranges walked at once when verifying every chain (bench/verify.ts measures 1, 2 and 4). */
const VERIFY_PARTS = 2;

/** The chain's SHA-256 with Node's native hash: the same digest as hashEvent, several times faster. */
const nativeHash = (body: ChainedEventBody) => createHash('sha256').update(canonicalJson(body)).digest('hex');

const eventCursor = z.object({
  at: cursorInstant,
  caseId: cursorId,
  seq: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
});

export interface AuditDeps {
  store: Pick<Store, 'audit'>;
  /** Resolves when the caller may see the case, else fails with a 404 problem (the case queries' visibility rule). */
  assertVisible: (caller: Caller, caseId: string) => Promise<void>;
}

export function createAuditService({ store, assertVisible }: AuditDeps) {
  const { audit } = store;
  async function recordAccess(caller: Caller, route: string, query: Record<string, unknown>) {
    await audit.recordAccess(caller.id, route, query);
  }

  return {
    recordAccess,

    async events(caller: Caller, query: z.infer<typeof auditEventsQuery>) {
      await recordAccess(caller, '/audit/events', query);
      const cursor = query.cursor ? decodeCursor(query.cursor, eventCursor) : undefined;
      const rows = await audit.events(query, cursor, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > query.limit && last ? encodeCursor({ at: last.at, caseId: last.caseId, seq: last.seq }) : null;
      // Each row names its case's type and subject, so an auditor reads "晋升 · 王芳", not "f2e7860a #3".
      const labels = new Map((await audit.caseLabels([...new Set(page.map((e) => e.caseId))])).map((c) => [c.id, c]));
      const items = page.map((e) => {
        const label = labels.get(e.caseId);
        return { ...e, case: label ? { type: label.type, subjectName: label.subjectName } : null };
      });
      return { items, nextCursor };
    },

    /** Streams every matching event as CSV, in batches, so memory stays flat however long the history. */
    async streamCsv(caller: Caller, query: z.infer<typeof auditEventsQuery>, res: Response) {
      await recordAccess(caller, '/audit/events', query);
      res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="case-events.csv"');
      // Free text (comments) opened in a spreadsheet must not run as a formula: a cell starting with =, +, -, @,
      // tab or carriage return is written with a leading single quote.
      const csv = stringify({ header: true, columns: [...CSV_COLUMNS], escape_formulas: true });
      csv.pipe(res);
      let position: EventPosition | undefined;
      for (;;) {
        const events = await audit.events(query, position, BATCH);
        for (const e of events) {
          const ok = csv.write({ ...e, data: JSON.stringify(e.data) });
          if (!ok) await new Promise((resolve) => csv.once('drain', resolve));
        }
        const last = events[events.length - 1];
        if (events.length < BATCH || !last) break;
        position = { at: last.at, caseId: last.caseId, seq: last.seq };
      }
      csv.end();
      await new Promise((resolve) => res.once('finish', resolve));
    },

    /**
     * Walks the hash chain of one case, or of every case (auditors), and reports every broken case (its first
     * broken link each). Callers who may see a case may verify it; verifying everything is for auditors.
     */
    async verify(caller: Caller, caseId?: string): Promise<ChainsVerification> {
      await recordAccess(caller, '/audit/verify', caseId ? { caseId } : {});
      if (caseId) await assertVisible(caller, caseId);
      const result = await verifyChains(audit, caseId);
      if (caseId && result.cases === 0) throw notFound('case');
      return result;
    },
  };
}

export interface ChainsVerification {
  ok: boolean;
  checked: number;
  cases: number;
  /** Every broken case, at its first broken link, in case order. */
  broken: ChainBreak[];
  /** The first of them (kept for clients of the first release). */
  firstBroken?: ChainBreak;
}

/**
 * Verifies the chains of one case or of every case: each event's hash and link, each case row's head, and the facts
 * the row shows against its newest event. Every case is walked as a stream (store scanChains: one case in memory
 * at a time), the cases split into `parts` id ranges walked at once, each on its own connection, so PostgreSQL
 * reads one range while this process hashes another. A broken case does not stop the walk.
 */
export async function verifyChains(
  audit: Pick<AuditStore, 'scanChains' | 'splitCases'>,
  caseId?: string,
  parts = VERIFY_PARTS,
): Promise<ChainsVerification> {
  const bounds = caseId ? [] : await audit.splitCases(parts);
  const ranges: ChainRange[] = caseId ? [{ caseId }] : [...bounds, undefined].map((upTo, i) => ({ after: bounds[i - 1], upTo }));
  const walks = await Promise.all(
    ranges.map(async (range) => {
      const walk = { checked: 0, cases: 0, broken: [] as ChainBreak[] };
      await audit.scanChains(range, (chain) => {
        const expected = {
          lastSeq: chain.lastSeq,
          lastHash: chain.lastHash,
          ...(chain.facts ? { caseDigest: caseFactsDigest(chain.facts) } : {}),
        };
        const result = verifyCaseChain(chain.caseId, chain.events, expected, nativeHash);
        walk.checked += result.checked;
        walk.cases += 1;
        if (result.firstBroken) walk.broken.push(result.firstBroken);
      });
      return walk;
    }),
  );
  // The ranges are in id order, so the broken cases are too.
  const broken = walks.flatMap((w) => w.broken);
  return {
    ok: broken.length === 0,
    checked: walks.reduce((n, w) => n + w.checked, 0),
    cases: walks.reduce((n, w) => n + w.cases, 0),
    broken,
    ...(broken[0] ? { firstBroken: broken[0] } : {}),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
