import { policy, type Caller } from '../domain/access';
import { formatCaseNumber, parseCaseNumber, type CaseNumberParts } from '../domain/case-numbers';
import type { CaseGroupKind } from '../domain/case-groups';
import type { ChainedEvent, Json } from '../domain/history';
import { storedReadModel } from '../domain/process/legacy-state';
import type { CaseReadModel } from '../domain/process/read-model';
import { FINAL_STATUSES, type CaseStatus } from '../domain/process/vocabulary';
import type { Prisma, PrismaClient } from '../infra/prisma';
import { chainedEvent } from './case-events';

/**
 * The cases as the projection wrote them (Case, CaseAssignee, CaseParticipant, CaseEvent): who may see which,
 * search with keyset pagination, the inbox, a case's history. Rows go out as plain values with the versioned
 * read model (domain/process/read-model.ts), never the engine's state; the projection activity writes them.
 */

export const CASE_SORTS = ['-submittedAt', 'submittedAt', 'dueAt'] as const;
export type CaseSort = (typeof CASE_SORTS)[number];

/** A case as lists show it: the row's columns, with the subject's name as it was at submission. */
export interface CaseSummaryRow {
  id: string;
  /** The short case number (晋升-2026-0012); null until the row's first write assigned it. */
  number: string | null;
  type: string;
  status: CaseStatus;
  outcome: string | null;
  subjectId: string;
  subjectName: string;
  orgUnitId: string;
  applicantId: string;
  /** Id of the current stage, or null. */
  currentStage: string | null;
  /** Users the case is waiting for, by id. */
  assignees: string[];
  /** The case group it is a member of (a yearly round, an annual assessment), or null for a case on its own. */
  group: { id: string; kind: CaseGroupKind } | null;
  dueAt: Date | null;
  submittedAt: Date;
  decidedAt: Date | null;
  updatedAt: Date;
}

/** A case with everything the API answers about it. */
export interface StoredCase extends CaseSummaryRow {
  /** The subject as their personnel record names them now. */
  subject: { id: string; name: string };
  payload: Record<string, Json>;
  ruleSet: { id: string; version: number };
  definitionVersion: number;
  lastSeq: number;
  lastHash: string;
  readModel: CaseReadModel;
}

/** A case named by its short number, type and subject (晋升-2026-0012 · 王芳), where another page refers to it. */
export interface CaseBrief {
  id: string;
  number: string | null;
  type: string;
  subject: { id: string; name: string };
}

/** Narrows a search; every field is optional and they combine with AND. */
export interface CaseFilter {
  type?: string;
  statuses?: CaseStatus[];
  subjectId?: string;
  /** Id of the current stage. */
  stage?: string;
  /** Cases in this org path and below. */
  orgPath?: string;
  /** Open and past their due time (true), or not (false), at `now`. */
  overdue?: { overdue: boolean; now: Date };
  submitted?: { from?: Date; to?: Date };
  decided?: { from?: Date; to?: Date };
  /** The short case number. */
  number?: CaseNumberParts;
  /** The subject's name contains it, or the case id starts with it, or it is the subject's id or the case's short number. */
  text?: string;
  /** Only the cases a stage's copy (抄送) went to this user (抄送我). */
  copiedTo?: string;
  /** Cases this user submitted (我发起的). */
  submittedBy?: string;
  /** Cases this user recorded an event on other than submitting them (已办). */
  handledBy?: string;
}

/** Where a page ends in its sort: the sort key's value (an ISO instant; null for a case without a due time) and the id. */
export interface CasePosition {
  v: string | null;
  id: string;
}

export interface CasePage {
  rows: CaseSummaryRow[];
  /** Cases matching across all pages. */
  total: number;
  /** Where the next page starts, or null on the last page. */
  next: CasePosition | null;
}

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
  numberYear: true,
  numberSeq: true,
  groupId: true,
  groupKind: true,
  assignees: { select: { userId: true } },
} satisfies Prisma.CaseSelect;

type SummarySelected = Prisma.CaseGetPayload<{ select: typeof SUMMARY_SELECT }>;

const summaryRow = ({ assignees, numberYear, numberSeq, groupId, groupKind, ...row }: SummarySelected): CaseSummaryRow => ({
  ...row,
  number: formatCaseNumber({ type: row.type, year: numberYear, seq: numberSeq }),
  assignees: assignees.map((a) => a.userId).sort(),
  group: groupId !== null && groupKind !== null ? { id: groupId, kind: groupKind as CaseGroupKind } : null,
});

const numberIs = (n: CaseNumberParts): Prisma.CaseWhereInput => ({ type: n.type, numberYear: n.year, numberSeq: n.seq });

/** The caller's submissions and subtrees. */
const ownAndSubtrees = (caller: Caller, scopes: string[]): Prisma.CaseWhereInput[] => [
  { applicantId: caller.id },
  ...scopes.map((path) => ({ orgPath: { startsWith: path } })),
];

/** Their work: assigned to the caller now, holding an event the caller recorded, or copied to them (抄送). */
const participatedIn = (caller: Caller): Prisma.CaseWhereInput[] => [
  { assignees: { some: { userId: caller.id } } },
  { participants: { some: { userId: caller.id } } },
  { observers: { some: { userId: caller.id } } },
];

/**
 * Cases the caller may see (policy.caseScopes): everything for auditors; otherwise their subtrees, their
 * submissions, their work (the cases they are asked to act on, and those they acted on: an approver added from
 * another street keeps sight of the case they decided). `participation` states "their work" another way
 * (visibleCasesIndexed).
 */
function visibleCases(caller: Caller, participation: Prisma.CaseWhereInput[] = participatedIn(caller)): Prisma.CaseWhereInput {
  const scopes = policy.caseScopes(caller);
  if (scopes === null) return {};
  return { OR: [...ownAndSubtrees(caller, scopes), ...participation] };
}

/** Free-text searches matching up to this many cases are paged by id (see search). */
const TEXT_MATCH_LIMIT = 2000;

/** Beyond this many assigned (or acted-on) cases, visibility falls back to the sub-query form of visibleCases. */
const ASSIGNED_INLINE_LIMIT = 500;

/** Keyset condition and order for a sort, after a position. */
function keyset(
  sort: CaseSort,
  after: CasePosition | undefined,
): { where: Prisma.CaseWhereInput; orderBy: Prisma.CaseOrderByWithRelationInput[] } {
  if (sort === 'dueAt') {
    const orderBy: Prisma.CaseOrderByWithRelationInput[] = [{ dueAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }];
    if (!after) return { where: {}, orderBy };
    if (after.v === null) return { where: { dueAt: null, id: { gt: after.id } }, orderBy };
    const v = new Date(after.v);
    return { where: { OR: [{ dueAt: { gt: v } }, { dueAt: v, id: { gt: after.id } }, { dueAt: null }] }, orderBy };
  }
  const direction = sort === 'submittedAt' ? 'asc' : 'desc';
  const orderBy: Prisma.CaseOrderByWithRelationInput[] = [{ submittedAt: direction }, { id: direction }];
  if (!after || after.v === null) return { where: {}, orderBy };
  const v = new Date(after.v);
  const beyond = direction === 'asc' ? { gt: v } : { lt: v };
  const idBeyond = direction === 'asc' ? { gt: after.id } : { lt: after.id };
  return { where: { OR: [{ submittedAt: beyond }, { submittedAt: v, id: idBeyond }] }, orderBy };
}

/** Open and past its due time at `now`. */
const overdueAt = (now: Date): Prisma.CaseWhereInput => ({ dueAt: { lt: now }, status: { notIn: [...FINAL_STATUSES] } });

export function caseStore(db: PrismaClient) {
  /**
   * Cases whose subject name contains a one- or two-character text (a two-character Chinese name is common),
   * or null when the character index cannot answer. pg_trgm extracts no trigram from such a pattern, so the
   * name filter alone would read every case; the index on the name's characters ("Case_subjectName_chars_idx",
   * see the migration) finds the names holding all of them, and LIKE keeps those that hold the text. The
   * pattern is built as Prisma builds `contains`, so the matches are the same.
   */
  async function casesNamedShort(text: string): Promise<string[] | null> {
    const chars = [...text];
    if (chars.length > 2 || /[%_\\]/.test(text)) return null;
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT id FROM "Case"
      WHERE string_to_array("subjectName", NULL) @> ${[...new Set(chars)]}::text[] AND "subjectName" LIKE ('%' || ${text} || '%')
      LIMIT ${TEXT_MATCH_LIMIT + 1}`;
    return rows.length > TEXT_MATCH_LIMIT ? null : rows.map((r) => r.id);
  }

  /**
   * visibleCases for searches over many cases. The sub-queries "assigned to me" and "acted on by me" inside an
   * OR keep PostgreSQL from combining indexes, so every search by someone other than an auditor read the whole
   * Case table (the total count most of all). With the ids of the caller's work read first — the cases assigned
   * to them (a handful: their inbox) and those they took part in outside their subtrees (a handful: approvers
   * added from elsewhere; one index, CaseParticipant's userId-orgPath-caseId) — each branch is an index
   * condition (applicant, id, subtree prefix) and the OR is a bitmap union.
   */
  async function visibleCasesIndexed(caller: Caller): Promise<Prisma.CaseWhereInput> {
    const scopes = policy.caseScopes(caller);
    if (scopes === null) return {};
    const [assigned, acted, copied] = await Promise.all([
      db.caseAssignee.findMany({ where: { userId: caller.id }, select: { caseId: true }, take: ASSIGNED_INLINE_LIMIT + 1 }),
      db.caseParticipant.findMany({
        where: { userId: caller.id, NOT: { OR: scopes.map((path) => ({ orgPath: { startsWith: path } })) } },
        select: { caseId: true },
        take: ASSIGNED_INLINE_LIMIT + 1,
      }),
      db.caseObserver.findMany({ where: { userId: caller.id }, select: { caseId: true }, take: ASSIGNED_INLINE_LIMIT + 1 }),
    ]);
    if ([assigned, acted, copied].some((rows) => rows.length > ASSIGNED_INLINE_LIMIT)) return visibleCases(caller);
    const ids = [...new Set([...assigned, ...acted, ...copied].map((r) => r.caseId))];
    return visibleCases(caller, ids.length ? [{ id: { in: ids } }] : []);
  }

  async function page(where: Prisma.CaseWhereInput, sort: CaseSort, after: CasePosition | undefined, limit: number): Promise<CasePage> {
    const { where: beyond, orderBy } = keyset(sort, after);
    const [total, rows] = await Promise.all([
      db.case.count({ where }),
      db.case.findMany({ where: { AND: [where, beyond] }, orderBy, take: limit + 1, select: SUMMARY_SELECT }),
    ]);
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    const next =
      rows.length > limit && last ? { v: (sort === 'dueAt' ? last.dueAt : last.submittedAt)?.toISOString() ?? null, id: last.id } : null;
    return { rows: items.map(summaryRow), total, next };
  }

  return {
    /** Open cases whose current stage is past its due time. */
    async countOverdue(now: Date): Promise<number> {
      return db.case.count({ where: overdueAt(now) });
    },

    /** Whether a case with this id has been projected. */
    async exists(caseId: string): Promise<boolean> {
      return (await db.case.findUnique({ where: { id: caseId }, select: { id: true } })) !== null;
    },

    /** A case's payload as last projected, or null when there is no such case. */
    async payloadOf(caseId: string): Promise<Json | null> {
      const row = await db.case.findUnique({ where: { id: caseId }, select: { payload: true } });
      return row ? (row.payload as Json) : null;
    },

    /** The open case of a type about a worker (the oldest, should there be several), with its payload, or null. */
    async openCaseOf(subjectId: string, type: string): Promise<{ id: string; payload: Json } | null> {
      const row = await db.case.findFirst({
        where: { subjectId, type, status: { notIn: [...FINAL_STATUSES] } },
        orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
        select: { id: true, payload: true },
      });
      return row ? { id: row.id, payload: row.payload as Json } : null;
    },

    /** The appeals of a case (or disciplinary record), oldest first. */
    async appealsOf(appealOf: string): Promise<{ id: string; status: CaseStatus; outcome: string | null }[]> {
      return db.case.findMany({
        where: { type: 'appeal', payload: { path: ['appealOf'], equals: appealOf } },
        orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
        select: { id: true, status: true, outcome: true },
      });
    },

    /** The id of the open appeal of a decision (a case or disciplinary record id), or null. */
    async openAppealOf(appealOf: string): Promise<string | null> {
      const row = await db.case.findFirst({
        where: { type: 'appeal', status: { notIn: [...FINAL_STATUSES] }, payload: { path: ['appealOf'], equals: appealOf } },
        select: { id: true },
      });
      return row?.id ?? null;
    },

    /**
     * Who took part in deciding a case: whoever approved, rejected, voted or recorded a decision at one of its
     * stages or ruled on an objection, the members present at a committee's meeting, and whoever did any of that
     * on someone's behalf (委托, data.delegate). An appeal of the case is never decided by them (recused in the appeal).
     */
    async decidersOf(caseId: string): Promise<string[]> {
      const events = await db.caseEvent.findMany({
        where: { caseId, action: { in: ['approve', 'reject', 'vote', 'close-vote', 'record-meeting', 'resolve-objection'] } },
        select: { actorId: true, data: true },
      });
      const people = new Set<string>();
      for (const e of events) {
        if (e.actorId) people.add(e.actorId);
        const data = e.data as {
          meeting?: { members?: { userId?: unknown; attendance?: unknown }[] };
          delegate?: { userId?: unknown };
        } | null;
        if (typeof data?.delegate?.userId === 'string') people.add(data.delegate.userId);
        const meeting = data?.meeting;
        for (const m of meeting?.members ?? []) if (m.attendance === 'present' && typeof m.userId === 'string') people.add(m.userId);
      }
      return [...people].sort();
    },

    /**
     * How people name cases they are shown beside something else (an appeal's original, a delivery's case): the
     * short number, the type and the subject, by id; ids without a row (archived, or never a case) are left out.
     */
    async briefs(caseIds: string[]): Promise<Map<string, CaseBrief>> {
      const ids = [...new Set(caseIds)];
      if (ids.length === 0) return new Map();
      const rows = await db.case.findMany({
        where: { id: { in: ids } },
        select: { id: true, type: true, numberYear: true, numberSeq: true, subject: { select: { id: true, name: true } } },
      });
      return new Map(
        rows.map((r) => [
          r.id,
          { id: r.id, number: formatCaseNumber({ type: r.type, year: r.numberYear, seq: r.numberSeq }), type: r.type, subject: r.subject },
        ]),
      );
    },

    /** The case's short number, once its row is written. */
    async numberOf(caseId: string): Promise<string | null> {
      const row = await db.case.findUnique({ where: { id: caseId }, select: { type: true, numberYear: true, numberSeq: true } });
      return row ? formatCaseNumber({ type: row.type, year: row.numberYear, seq: row.numberSeq }) : null;
    },

    /** Whether the caller may see the case (false also when there is no such case). */
    async isVisible(caller: Caller, caseId: string): Promise<boolean> {
      return (await db.case.findFirst({ where: { AND: [{ id: caseId }, visibleCases(caller)] }, select: { id: true } })) !== null;
    },

    /** The case, if the caller may see it; null as for a case that does not exist. */
    async visible(caller: Caller, caseId: string): Promise<StoredCase | null> {
      const row = await db.case.findFirst({
        where: { AND: [{ id: caseId }, visibleCases(caller)] },
        include: { subject: { select: { id: true, name: true } }, assignees: { select: { userId: true } } },
      });
      if (!row) return null;
      return {
        ...summaryRow(row),
        subject: row.subject,
        payload: row.payload as Record<string, Json>,
        ruleSet: { id: row.ruleSetId, version: row.ruleSetVersion },
        definitionVersion: row.definitionVersion,
        lastSeq: row.lastSeq,
        lastHash: row.lastHash,
        readModel: storedReadModel(row),
      };
    },

    /** A page of the cases the caller may see that match the filter, in a sort, after a position. */
    async search(caller: Caller, filter: CaseFilter, sort: CaseSort, after: CasePosition | undefined, limit: number): Promise<CasePage> {
      const filters: Prisma.CaseWhereInput[] = [await visibleCasesIndexed(caller)];
      if (filter.type) filters.push({ type: filter.type });
      if (filter.statuses) filters.push({ status: { in: filter.statuses } });
      if (filter.subjectId) filters.push({ subjectId: filter.subjectId });
      if (filter.stage) filters.push({ currentStage: filter.stage });
      if (filter.orgPath) filters.push({ orgPath: { startsWith: filter.orgPath } });
      if (filter.overdue) filters.push(filter.overdue.overdue ? overdueAt(filter.overdue.now) : { NOT: overdueAt(filter.overdue.now) });
      if (filter.submitted) filters.push({ submittedAt: { gte: filter.submitted.from, lt: filter.submitted.to } });
      if (filter.decided) filters.push({ decidedAt: { gte: filter.decided.from, lt: filter.decided.to } });
      if (filter.copiedTo) filters.push({ observers: { some: { userId: filter.copiedTo } } });
      if (filter.number) filters.push(numberIs(filter.number));
      if (filter.submittedBy) filters.push({ applicantId: filter.submittedBy });
      if (filter.handledBy) filters.push({ participants: { some: { userId: filter.handledBy } }, NOT: { applicantId: filter.handledBy } });
      if (filter.text) {
        const text = filter.text;
        // Text without upper and lower case (Chinese names) matches the same with or without case folding.
        const caseless = text.toLowerCase() === text.toUpperCase();
        const named = caseless ? await casesNamedShort(text) : null;
        const name: Prisma.CaseWhereInput = named
          ? { id: { in: named } }
          : { subjectName: caseless ? { contains: text } : { contains: text, mode: 'insensitive' } };
        const number = parseCaseNumber(text);
        filters.push({ OR: [name, { id: { startsWith: text } }, { subjectId: text }, ...(number ? [numberIs(number)] : [])] });
        // Free text matches few cases, but PostgreSQL cannot estimate how few (a name pattern), and ordered by
        // submission it walks the whole submittedAt index looking for them. Unordered, the three branches
        // are index lookups (trigrams, id prefix, subject); then the page is read by id.
        const matching = await db.case.findMany({ where: { AND: filters }, select: { id: true }, take: TEXT_MATCH_LIMIT + 1 });
        if (matching.length <= TEXT_MATCH_LIMIT) return page({ id: { in: matching.map((m) => m.id) } }, sort, after, limit);
      }
      return page({ AND: filters }, sort, after, limit);
    },

    /** A page of the cases in these statuses waiting for a user, most urgent first. */
    async waitingFor(
      userId: string,
      filter: { type?: string; statuses: CaseStatus[]; text?: string },
      after: CasePosition | undefined,
      limit: number,
      /** 委托: also the cases waiting for these people, of these types (none: every type). */
      alsoFor: { userId: string; caseTypes: string[] }[] = [],
    ): Promise<CasePage> {
      const forOthers = alsoFor.map((d): Prisma.CaseWhereInput => ({
        assignees: { some: { userId: d.userId } },
        ...(d.caseTypes.length ? { type: { in: d.caseTypes } } : {}),
      }));
      const where: Prisma.CaseWhereInput = {
        ...(forOthers.length
          ? { AND: [{ OR: [{ assignees: { some: { userId } } }, ...forOthers] }] }
          : { assignees: { some: { userId } } }),
        status: { in: filter.statuses },
        ...(filter.type ? { type: filter.type } : {}),
        // A person's inbox is short: the name or id prefix is matched among the cases waiting for them.
        ...(filter.text
          ? { OR: [{ subjectName: { contains: filter.text, mode: 'insensitive' } }, { id: { startsWith: filter.text } }] }
          : {}),
      };
      return page(where, 'dueAt', after, limit);
    },

    /** A case's hash-chained history, oldest first. */
    async events(caseId: string): Promise<ChainedEvent[]> {
      const rows = await db.caseEvent.findMany({ where: { caseId }, orderBy: { seq: 'asc' } });
      return rows.map(chainedEvent);
    },
  };
}

export type CaseStore = ReturnType<typeof caseStore>;
