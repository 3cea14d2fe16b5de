import { z } from 'zod';
import { caseTypeOf } from '../domain/case-types';
import type { Json } from '../domain/history';
import { maskNationalId } from '../domain/national-id';
import { CASE_STATUSES, FINAL_STATUSES } from '../domain/process/engine';
import { storedReadModel } from '../domain/process/legacy-state';
import { policy, type Caller } from '../domain/access';
import type { Prisma, PrismaClient } from '../infra/prisma';
import { notFound } from '../services/problem';
import { orgUnitSubtree } from '../services/reference';
import { decodeCursor, encodeCursor, instantParam } from '../services/validation';
import { chainedEvent } from '../store/case-events';
import { orgUnitStore } from '../store/org-units';

/**
 * The read side of cases: search with keyset pagination, the inbox, the hash-chained history and the
 * complete case file. Everything reads the PostgreSQL projection; nothing asks Temporal.
 */

const statusList = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(CASE_STATUSES)).min(1));

export const CASE_SORTS = ['-submittedAt', 'submittedAt', 'dueAt'] as const;

export const listCasesQuery = z.object({
  type: z.string().optional(),
  status: statusList.optional().describe('one status or several, comma-separated'),
  subjectId: z.string().optional(),
  orgUnitId: z.string().optional().describe('cases in this unit and below'),
  stage: z.string().optional().describe('key of the current stage'),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  submittedFrom: instantParam.optional(),
  submittedTo: instantParam.optional().describe('exclusive'),
  decidedFrom: instantParam.optional(),
  decidedTo: instantParam.optional().describe('exclusive'),
  q: z.string().trim().min(1).max(100).optional().describe("free text: the subject's name, or the start of a case id"),
  sort: z.enum(CASE_SORTS).default('-submittedAt').describe('-submittedAt (newest first), submittedAt, or dueAt (most urgent first)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
});
export type ListCasesQuery = z.infer<typeof listCasesQuery>;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

interface Cursor {
  v: string | null;
  id: string;
}
const isCursor = (c: Record<string, unknown>) => typeof c.id === 'string' && (c.v === null || typeof c.v === 'string');

/** The current stage of a listed case, titled from its type's definition (a stage added by 加签 has none). */
const stageTitle = (type: string, id: string | null) => {
  if (!id) return null;
  const stage = caseTypeOf(type)?.stages.find((s) => s.id === id);
  return { id, title: stage?.title ?? { zh: '加签审批', en: 'Added approver' }, mode: stage?.mode ?? 'single' };
};

const SUMMARY_SELECT = {
  id: true,
  type: true,
  status: true,
  outcome: true,
  subjectId: true,
  subjectName: true,
  orgUnitId: true,
  applicantId: true,
  currentStage: true,
  dueAt: true,
  submittedAt: true,
  decidedAt: true,
  updatedAt: true,
  assignees: { select: { userId: true } },
} satisfies Prisma.CaseSelect;

type SummaryRow = Prisma.CaseGetPayload<{ select: typeof SUMMARY_SELECT }>;

function summary(row: SummaryRow, now: Date) {
  const open = !FINAL_STATUSES.includes(row.status);
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    outcome: row.outcome,
    subject: { id: row.subjectId, name: row.subjectName },
    orgUnitId: row.orgUnitId,
    applicantId: row.applicantId,
    currentStage: stageTitle(row.type, row.currentStage),
    assignees: row.assignees.map((a) => a.userId).sort(),
    dueAt: row.dueAt?.toISOString() ?? null,
    overdue: open && row.dueAt !== null && row.dueAt < now,
    submittedAt: row.submittedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type CaseSummaryView = ReturnType<typeof summary>;

/** The caller's submissions and subtrees. */
const ownAndSubtrees = (caller: Caller, scopes: string[]): Prisma.CaseWhereInput[] => [
  { applicantId: caller.id },
  ...scopes.map((path) => ({ orgPath: { startsWith: path } })),
];

/** Their work: assigned to the caller now, or holding an event the caller recorded. */
const participatedIn = (caller: Caller): Prisma.CaseWhereInput[] => [
  { assignees: { some: { userId: caller.id } } },
  { participants: { some: { userId: caller.id } } },
];

/**
 * Cases the caller may see: everything for auditors; otherwise their subtrees, their submissions, their work
 * (the cases they are asked to act on, and those they acted on: an approver added from another street keeps
 * sight of the case they decided). `participation` states "their work" another way (visibleCasesIndexed).
 */
export function visibleCases(caller: Caller, participation: Prisma.CaseWhereInput[] = participatedIn(caller)): Prisma.CaseWhereInput {
  const scopes = policy.caseScopes(caller);
  if (scopes === null) return {};
  return { OR: [...ownAndSubtrees(caller, scopes), ...participation] };
}

/** Free-text searches matching up to this many cases are paged by id (see list). */
const TEXT_MATCH_LIMIT = 2000;

/**
 * Cases whose subject name contains a one- or two-character text (a two-character Chinese name is common),
 * or null when the character index cannot answer. pg_trgm extracts no trigram from such a pattern, so the
 * name filter alone would read every case; the index on the name's characters ("Case_subjectName_chars_idx",
 * see the migration) finds the names holding all of them, and LIKE keeps those that hold the text. The
 * pattern is built as Prisma builds `contains`, so the matches are the same.
 */
async function casesNamedShort(prisma: PrismaClient, text: string): Promise<string[] | null> {
  const chars = [...text];
  if (chars.length > 2 || /[%_\\]/.test(text)) return null;
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT id FROM "Case"
    WHERE string_to_array("subjectName", NULL) @> ${[...new Set(chars)]}::text[] AND "subjectName" LIKE ('%' || ${text} || '%')
    LIMIT ${TEXT_MATCH_LIMIT + 1}`;
  return rows.length > TEXT_MATCH_LIMIT ? null : rows.map((r) => r.id);
}

/** Beyond this many assigned (or acted-on) cases, visibility falls back to the sub-query form of visibleCases. */
const ASSIGNED_INLINE_LIMIT = 500;

/**
 * visibleCases for searches over many cases. The sub-queries "assigned to me" and "acted on by me" inside an
 * OR keep PostgreSQL from combining indexes, so every search by someone other than an auditor read the whole
 * Case table (the total count most of all). With the ids of the caller's work read first — the cases assigned
 * to them (a handful: their inbox) and those they took part in outside their subtrees (a handful: approvers
 * added from elsewhere; one index, CaseParticipant's userId-orgPath-caseId) — each branch is an index
 * condition (applicant, id, subtree prefix) and the OR is a bitmap union.
 */
async function visibleCasesIndexed(prisma: PrismaClient, caller: Caller): Promise<Prisma.CaseWhereInput> {
  const scopes = policy.caseScopes(caller);
  if (scopes === null) return {};
  const [assigned, acted] = await Promise.all([
    prisma.caseAssignee.findMany({ where: { userId: caller.id }, select: { caseId: true }, take: ASSIGNED_INLINE_LIMIT + 1 }),
    prisma.caseParticipant.findMany({
      where: { userId: caller.id, NOT: { OR: scopes.map((path) => ({ orgPath: { startsWith: path } })) } },
      select: { caseId: true },
      take: ASSIGNED_INLINE_LIMIT + 1,
    }),
  ]);
  if (assigned.length > ASSIGNED_INLINE_LIMIT || acted.length > ASSIGNED_INLINE_LIMIT) return visibleCases(caller);
  const ids = [...new Set([...assigned.map((a) => a.caseId), ...acted.map((p) => p.caseId)])];
  return visibleCases(caller, ids.length ? [{ id: { in: ids } }] : []);
}

/** Keyset condition and order for a sort, after the cursor. */
function keyset(sort: (typeof CASE_SORTS)[number], cursor: Cursor | undefined): { where: Prisma.CaseWhereInput; orderBy: Prisma.CaseOrderByWithRelationInput[] } {
  if (sort === 'dueAt') {
    const orderBy: Prisma.CaseOrderByWithRelationInput[] = [{ dueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }];
    if (!cursor) return { where: {}, orderBy };
    if (cursor.v === null) return { where: { dueAt: null, id: { gt: cursor.id } }, orderBy };
    const v = new Date(cursor.v);
    return { where: { OR: [{ dueAt: { gt: v } }, { dueAt: v, id: { gt: cursor.id } }, { dueAt: null }] }, orderBy };
  }
  const direction = sort === 'submittedAt' ? 'asc' : 'desc';
  const orderBy: Prisma.CaseOrderByWithRelationInput[] = [{ submittedAt: direction }, { id: direction }];
  if (!cursor || cursor.v === null) return { where: {}, orderBy };
  const v = new Date(cursor.v);
  const beyond = direction === 'asc' ? { gt: v } : { lt: v };
  const idBeyond = direction === 'asc' ? { gt: cursor.id } : { lt: cursor.id };
  return { where: { OR: [{ submittedAt: beyond }, { submittedAt: v, id: idBeyond }] }, orderBy };
}

export function createCaseQueries({ prisma, now = () => new Date() }: { prisma: PrismaClient; now?: () => Date }) {
  async function page(where: Prisma.CaseWhereInput, sort: (typeof CASE_SORTS)[number], limit: number, rawCursor: string | undefined) {
    const cursor = rawCursor ? decodeCursor<Cursor>(rawCursor, isCursor) : undefined;
    const { where: after, orderBy } = keyset(sort, cursor);
    const [total, rows] = await Promise.all([
      prisma.case.count({ where }),
      prisma.case.findMany({ where: { AND: [where, after] }, orderBy, take: limit + 1, select: SUMMARY_SELECT }),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const nextCursor =
      rows.length > limit && last
        ? encodeCursor({ v: (sort === 'dueAt' ? last.dueAt : last.submittedAt)?.toISOString() ?? null, id: last.id })
        : null;
    const at = now();
    return { items: items.map((r) => summary(r, at)), total, nextCursor };
  }

  return {
    async list(caller: Caller, query: ListCasesQuery) {
      const filters: Prisma.CaseWhereInput[] = [await visibleCasesIndexed(prisma, caller)];
      if (query.type) filters.push({ type: query.type });
      if (query.status) filters.push({ status: { in: query.status } });
      if (query.subjectId) filters.push({ subjectId: query.subjectId });
      if (query.stage) filters.push({ currentStage: query.stage });
      if (query.orgUnitId) filters.push({ orgPath: { startsWith: await orgUnitSubtree(orgUnitStore(prisma), query.orgUnitId) } });
      if (query.overdue !== undefined) {
        const overdue: Prisma.CaseWhereInput = { dueAt: { lt: now() }, status: { notIn: [...FINAL_STATUSES] } };
        filters.push(query.overdue ? overdue : { NOT: overdue });
      }
      if (query.submittedFrom || query.submittedTo) filters.push({ submittedAt: { gte: query.submittedFrom, lt: query.submittedTo } });
      if (query.decidedFrom || query.decidedTo) filters.push({ decidedAt: { gte: query.decidedFrom, lt: query.decidedTo } });
      if (query.q) {
        // Text without upper and lower case (Chinese names) matches the same with or without case folding.
        const caseless = query.q.toLowerCase() === query.q.toUpperCase();
        const named = caseless ? await casesNamedShort(prisma, query.q) : null;
        const name: Prisma.CaseWhereInput = named
          ? { id: { in: named } }
          : { subjectName: caseless ? { contains: query.q } : { contains: query.q, mode: 'insensitive' } };
        filters.push({ OR: [name, { id: { startsWith: query.q } }, { subjectId: query.q }] });
        // Free text matches few cases, but PostgreSQL cannot estimate how few (a name pattern), and ordered by
        // submission it walks the whole submittedAt index looking for them. Unordered, the three branches
        // are index lookups (trigrams, id prefix, subject); then the page is read by id.
        const matching = await prisma.case.findMany({ where: { AND: filters }, select: { id: true }, take: TEXT_MATCH_LIMIT + 1 });
        if (matching.length <= TEXT_MATCH_LIMIT) return page({ id: { in: matching.map((m) => m.id) } }, query.sort, query.limit, query.cursor);
      }
      return page({ AND: filters }, query.sort, query.limit, query.cursor);
    },

    /** Open cases waiting for the caller, most urgent first. */
    async inbox(caller: Caller, query: z.infer<typeof pageQuery> & { type?: string; status?: (typeof CASE_STATUSES)[number][] }) {
      const where: Prisma.CaseWhereInput = {
        assignees: { some: { userId: caller.id } },
        status: { in: (query.status ?? CASE_STATUSES).filter((s) => !FINAL_STATUSES.includes(s)) },
        ...(query.type ? { type: query.type } : {}),
      };
      return page(where, 'dueAt', query.limit, query.cursor);
    },

    /** The case row, if the caller may see it (else 404, as for a case that does not exist). */
    async visibleCase(caller: Caller, caseId: string) {
      const row = await prisma.case.findFirst({ where: { AND: [{ id: caseId }, visibleCases(caller)] } });
      if (!row) throw notFound('case');
      return row;
    },

    async events(caller: Caller, caseId: string) {
      await this.visibleCase(caller, caseId);
      const rows = await prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
      return { caseId, items: rows.map(chainedEvent) };
    },

    /** The complete case file: payload, stages, every event, decisions, votes, objections, eligibility. */
    async dossier(caller: Caller, caseId: string) {
      const row = await this.visibleCase(caller, caseId);
      const [events, subject, assignees] = await Promise.all([
        prisma.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } }),
        prisma.communityWorker.findUniqueOrThrow({ where: { id: row.subjectId }, include: { orgUnit: { select: { path: true, name: true } } } }),
        prisma.caseAssignee.findMany({ where: { caseId }, select: { userId: true } }),
      ]);
      const model = storedReadModel(row);
      const history = events.map(chainedEvent);
      const submitted = history.find((e) => e.action === 'submit');
      return {
        case: summary({ ...row, assignees }, now()),
        subject: {
          id: subject.id,
          name: subject.name,
          nationalId: policy.canSeeNationalId(caller, subject.orgUnit.path) ? subject.nationalId : maskNationalId(subject.nationalId),
          orgUnit: { id: subject.orgUnitId, name: subject.orgUnit.name },
          postType: subject.postType,
          grade: subject.grade,
          status: subject.status,
        },
        payload: row.payload as Json,
        process: { ...model.process, stages: model.plan },
        stageData: model.stageData,
        decisions: history.filter((e) => ['approve', 'reject', 'return', 'close-vote', 'auto_approve', 'auto_reject', 'withdraw'].includes(e.action)),
        votes: history.filter((e) => e.action === 'vote'),
        objections: model.objections,
        suspensions: model.suspensions,
        eligibility: {
          atSubmission: (submitted?.data as { eligibility?: Json } | undefined)?.eligibility ?? null,
          rechecks: history.filter((e) => e.action === 'eligibility_rechecked').map((e) => ({ seq: e.seq, at: e.at, stage: e.stage, ...(e.data as object) })),
        },
        events: history,
        chain: { lastSeq: row.lastSeq, lastHash: row.lastHash },
      };
    },
  };
}

export type CaseQueries = ReturnType<typeof createCaseQueries>;
