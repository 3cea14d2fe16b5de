import { z } from 'zod';
import type { Caller } from '../domain/access';
import { parseCaseNumber } from '../domain/case-numbers';
import { localDate } from '../domain/calendar';
import { caseTypeOf } from '../domain/case-types';
import type { Json } from '../domain/history';
import { maskNationalId } from '../domain/national-id';
import { CASE_STATUSES, FINAL_STATUSES } from '../domain/process/vocabulary';
import type { Store } from '../store';
import { CASE_SORTS, type CasePage, type CasePosition, type CaseSummaryRow } from '../store/cases';
import { missingCase } from './archived-cases';
import { caseReferences } from './case-references';
import { orgUnitSubtree } from './reference';
import { cursorId, cursorInstant, decodeCursor, encodeCursor, instantParam } from './validation';

/**
 * The read side of cases: search with keyset pagination, the inbox, the hash-chained history and the
 * complete case file. Everything reads the PostgreSQL projection (store/cases.ts); nothing asks Temporal.
 */

const statusList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(CASE_STATUSES)).min(1));

export const listCasesQuery = z.object({
  type: z.string().optional(),
  status: statusList.optional().describe('one status or several, comma-separated'),
  subjectId: z.string().optional(),
  orgUnitId: z.string().optional().describe('cases in this unit and below'),
  stage: z.string().optional().describe('key of the current stage'),
  overdue: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  submittedFrom: instantParam.optional(),
  submittedTo: instantParam.optional().describe('exclusive'),
  decidedFrom: instantParam.optional(),
  decidedTo: instantParam.optional().describe('exclusive'),
  number: z
    .string()
    .trim()
    .max(40)
    .transform((text, ctx) => {
      const parts = parseCaseNumber(text);
      if (!parts) {
        ctx.addIssue({ code: 'custom', message: 'not a case number: type, year and sequence, e.g. 晋升-2026-0012' });
        return z.NEVER;
      }
      return parts;
    })
    .optional()
    .describe('the short case number, e.g. 晋升-2026-0012'),
  q: z.string().trim().min(1).max(100).optional().describe("free text: the subject's name, the start of a case id, or a short case number"),
  copiedToMe: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional()
    .describe('true: only the cases a copy (抄送) was sent to the caller'),
  mine: z
    .enum(['submitted', 'handled'])
    .optional()
    .describe('submitted: the cases the caller submitted (我发起的); handled: those the caller acted on and did not submit (已办)'),
  sort: z.enum(CASE_SORTS).default('-submittedAt').describe('-submittedAt (newest first), submittedAt, or dueAt (most urgent first)'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional().describe('nextCursor of the previous page'),
});

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const inboxQuery = pageQuery.extend({
  type: z.string().optional(),
  q: z.string().trim().min(1).max(100).optional().describe("free text: the subject's name, or the start of a case id"),
  status: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(CASE_STATUSES)))
    .optional(),
});

const casePosition = z.object({ v: cursorInstant.nullable(), id: cursorId });
const positionOf = (cursor: string | undefined): CasePosition | undefined => (cursor ? decodeCursor(cursor, casePosition) : undefined);

/** The current stage of a listed case, titled from its type's definition (a stage added by 加签 has none). */
const stageTitle = (type: string, id: string | null) => {
  if (!id) return null;
  const stage = caseTypeOf(type)?.stages.find((s) => s.id === id);
  return { id, title: stage?.title ?? { zh: '加签审批', en: 'Added approver' }, mode: stage?.mode ?? 'single' };
};

/** A case as lists show it. */
function summary(row: CaseSummaryRow, now: Date) {
  const open = !FINAL_STATUSES.includes(row.status);
  return {
    id: row.id,
    number: row.number,
    type: row.type,
    status: row.status,
    outcome: row.outcome,
    subject: { id: row.subjectId, name: row.subjectName },
    orgUnitId: row.orgUnitId,
    applicantId: row.applicantId,
    currentStage: stageTitle(row.type, row.currentStage),
    assignees: row.assignees,
    group: row.group,
    dueAt: row.dueAt?.toISOString() ?? null,
    overdue: open && row.dueAt !== null && row.dueAt < now,
    submittedAt: row.submittedAt.toISOString(),
    decidedAt: row.decidedAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Events that decide a stage or the case, for the dossier. */
const DECISIONS = [
  'approve',
  'reject',
  'return',
  'close-vote',
  'record-meeting',
  'decided_by_data',
  'auto_approve',
  'auto_reject',
  'withdraw',
];

export function createCaseQueries({
  store,
  now = () => new Date(),
  today = () => localDate(now()),
}: {
  store: Pick<Store, 'cases' | 'orgUnits' | 'personnel' | 'archive' | 'delegations'>;
  now?: () => Date;
  /** Today's date in China (YYYY-MM-DD), the day delegations are checked on; tests pin it. */
  today?: () => string;
}) {
  const { cases } = store;

  function pageOf(result: CasePage) {
    const at = now();
    return {
      items: result.rows.map((r) => summary(r, at)),
      total: result.total,
      nextCursor: result.next ? encodeCursor(result.next) : null,
    };
  }

  async function visibleCase(caller: Caller, caseId: string) {
    const row = await cases.visible(caller, caseId);
    if (!row) throw await missingCase(store, caller, caseId);
    return row;
  }

  /** Resolves when the caller may see the case; else a 404 problem, as for a case that does not exist. */
  async function assertVisible(caller: Caller, caseId: string): Promise<void> {
    if (!(await cases.isVisible(caller, caseId))) throw await missingCase(store, caller, caseId);
  }

  return {
    async list(caller: Caller, query: z.infer<typeof listCasesQuery>) {
      const { submittedFrom, submittedTo, decidedFrom, decidedTo } = query;
      const filter = {
        type: query.type,
        statuses: query.status,
        subjectId: query.subjectId,
        stage: query.stage,
        orgPath: query.orgUnitId ? await orgUnitSubtree(store.orgUnits, query.orgUnitId) : undefined,
        overdue: query.overdue === undefined ? undefined : { overdue: query.overdue, now: now() },
        submitted: submittedFrom || submittedTo ? { from: submittedFrom, to: submittedTo } : undefined,
        decided: decidedFrom || decidedTo ? { from: decidedFrom, to: decidedTo } : undefined,
        number: query.number,
        text: query.q,
        copiedTo: query.copiedToMe ? caller.id : undefined,
        submittedBy: query.mine === 'submitted' ? caller.id : undefined,
        handledBy: query.mine === 'handled' ? caller.id : undefined,
      };
      return pageOf(await cases.search(caller, filter, query.sort, positionOf(query.cursor), query.limit));
    },

    /**
     * Open cases waiting for the caller, most urgent first; with those waiting for whoever delegated to the caller
     * today (委托, within each delegation's case types), each marked with whom it is for (onBehalfOf: 代…审批).
     */
    async inbox(caller: Caller, query: z.infer<typeof inboxQuery>) {
      const statuses = (query.status ?? CASE_STATUSES).filter((s) => !FINAL_STATUSES.includes(s));
      const held = await store.delegations.heldOn(caller.id, today());
      const page = pageOf(
        await cases.waitingFor(
          caller.id,
          { type: query.type, statuses, text: query.q },
          positionOf(query.cursor),
          query.limit,
          held.map((d) => ({ userId: d.delegatorId, caseTypes: d.caseTypes })),
        ),
      );
      return {
        ...page,
        items: page.items.map((item) => {
          if (item.assignees.includes(caller.id)) return item;
          const d = held.find(
            (h) => item.assignees.includes(h.delegatorId) && (h.caseTypes.length === 0 || h.caseTypes.includes(item.type)),
          );
          return d ? { ...item, onBehalfOf: { id: d.delegatorId, name: d.delegatorName } } : item;
        }),
      };
    },

    assertVisible,

    async events(caller: Caller, caseId: string) {
      await visibleCase(caller, caseId);
      return { caseId, items: await cases.events(caseId) };
    },

    /** The complete case file: payload, stages, every event, decisions, votes, objections, eligibility. */
    async dossier(caller: Caller, caseId: string) {
      const row = await visibleCase(caller, caseId);
      const [history, subject] = await Promise.all([cases.events(caseId), store.personnel.entry(row.subjectId)]);
      if (!subject) throw new Error(`community worker ${row.subjectId} of case ${caseId} no longer exists`);
      const model = row.readModel;
      const submitted = history.find((e) => e.action === 'submit');
      return {
        case: summary(row, now()),
        subject: {
          id: subject.id,
          name: subject.name,
          // Masked for everyone: the full number only by an explicit, recorded reveal (POST /workers/:id/national-id/reveal).
          nationalId: maskNationalId(subject.nationalId),
          orgUnit: { id: subject.orgUnitId, name: subject.orgUnitName },
          postType: subject.postType,
          grade: subject.grade,
          status: subject.status,
        },
        payload: row.payload as Json,
        references: await caseReferences(store, caller, row),
        process: { ...model.process, stages: model.plan },
        stageData: model.stageData,
        decisions: history.filter((e) => DECISIONS.includes(e.action)),
        votes: history.filter((e) => e.action === 'vote'),
        objections: model.objections,
        suspensions: model.suspensions,
        eligibility: {
          atSubmission: (submitted?.data as { eligibility?: Json } | undefined)?.eligibility ?? null,
          rechecks: history
            .filter((e) => e.action === 'eligibility_rechecked')
            .map((e) => ({ seq: e.seq, at: e.at, stage: e.stage, ...(e.data as object) })),
        },
        events: history,
        chain: { lastSeq: row.lastSeq, lastHash: row.lastHash },
      };
    },
  };
}

export type CaseQueries = ReturnType<typeof createCaseQueries>;
