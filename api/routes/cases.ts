import { z } from 'zod';
import { actionBody } from '../../domain/process/commands';
import { CASE_STATUSES } from '../../domain/process/engine';
import type { AuditService } from '../../services/audit';
import { inboxQuery, listCasesQuery, type CaseQueries } from '../../services/case-queries';
import { submitCaseBody, type CaseService } from '../../services/cases';
import type { Metrics } from '../metrics';
import { operation } from '../operation';
import { CaseView, Localized, Page, errorResponses } from '../schemas';

const caseId = z.object({ id: z.string().min(1).max(100) });

const CaseSummary = CaseView.omit({ payload: true, ruleSet: true, definitionVersion: true, lastSeq: true, allowedActions: true }).meta({ id: 'CaseSummary' });

export const CaseEvent = z
  .object({
    caseId: z.string(),
    seq: z.number().int(),
    at: z.string(),
    actorId: z.string().nullable(),
    action: z.string(),
    fromStatus: z.enum(CASE_STATUSES).nullable(),
    toStatus: z.enum(CASE_STATUSES),
    stage: z.string().nullable(),
    comment: z.string().nullable(),
    data: z.unknown(),
    prevHash: z.string().describe('hash of the previous event of the case (64 zeros for the first)'),
    hash: z.string().describe('SHA-256 over the canonical JSON of every other field'),
  })
  .meta({ id: 'CaseEvent' });

const CaseType = z
  .object({
    type: z.string(),
    version: z.number().int(),
    title: Localized,
    description: Localized,
    payloadSchema: z.record(z.string(), z.unknown()).describe('JSON Schema (2020-12) of the payload'),
    stages: z.array(
      z.object({
        id: z.string(),
        title: Localized,
        kind: z.enum(['decision', 'record', 'follow_up']),
        mode: z.enum(['single', 'any', 'all', 'vote']),
        actor: z.object({ level: z.string(), department: z.string(), role: z.string() }),
        deadline: z.string().nullable().describe('rule-set period key'),
        condition: z.unknown().nullable(),
        dataSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of the data recorded at the stage'),
      }),
    ),
    publicNotice: z.object({ afterStage: z.string(), period: z.unknown() }).nullable(),
  })
  .meta({ id: 'CaseType' });

const Dossier = z
  .object({
    case: CaseSummary,
    subject: z.object({ id: z.string(), name: z.string(), nationalId: z.string(), orgUnit: z.object({ id: z.string(), name: z.string() }), postType: z.string(), grade: z.number(), status: z.string() }),
    payload: z.unknown(),
    process: z.object({
      type: z.string(),
      version: z.number(),
      title: Localized,
      ruleSet: z.object({ id: z.string(), version: z.number() }),
      stages: z
        .array(z.object({ id: z.string(), title: Localized, kind: z.enum(['decision', 'record', 'follow_up']), mode: z.enum(['single', 'any', 'all', 'vote']), deadline: z.unknown() }))
        .describe("the case's plan: its type's stages and those added by 加签 (add-approver)"),
      publicNotice: z.object({ afterStage: z.string(), period: z.unknown() }).nullable(),
    }),
    stageData: z.record(z.string(), z.unknown()),
    decisions: z.array(CaseEvent),
    votes: z.array(CaseEvent),
    objections: z.array(z.unknown()),
    suspensions: z.array(z.object({ from: z.string(), to: z.string().nullable() })),
    eligibility: z.object({ atSubmission: z.unknown(), rechecks: z.array(z.unknown()) }),
    events: z.array(CaseEvent),
    chain: z.object({ lastSeq: z.number().int(), lastHash: z.string() }),
  })
  .meta({ id: 'Dossier' });

/** Case types, submitting cases, reading them, the inbox, and acting on them. */
export function caseOperations(deps: { cases: CaseService; queries: CaseQueries; audit: AuditService; metrics: Metrics }) {
  const { cases, queries, audit, metrics } = deps;
  return [
    operation({
      method: 'get',
      path: '/case-types',
      operationId: 'listCaseTypes',
      summary: 'The case types, with their stages, roles and payload schema',
      tags: ['cases'],
      responses: { 200: { description: 'every case type', schema: z.object({ items: z.array(CaseType) }) }, ...errorResponses(401) },
      async handler() {
        const items = cases.types();
        return { body: { items } };
      },
    }),
    operation({
      method: 'post',
      path: '/cases',
      operationId: 'submitCase',
      summary: 'Submit a case',
      description: 'Checks eligibility (422 with the reasons when the worker is not eligible), starts the case workflow, and answers once the case and its first stage are recorded.',
      tags: ['cases'],
      body: submitCaseBody,
      idempotent: true,
      responses: { 201: { description: 'the case', schema: CaseView }, ...errorResponses(400, 401, 403, 415, 422, 429, 503) },
      async handler({ caller, body, idempotencyKey }) {
        const view = await cases.submit(caller, body, idempotencyKey);
        metrics.caseStarts.inc({ type: view.type });
        return { status: 201, body: view, headers: { Location: `/api/v1/cases/${view.id}` } };
      },
    }),
    operation({
      method: 'get',
      path: '/cases',
      operationId: 'listCases',
      summary: 'Search cases (filters, free text, keyset pagination with a total)',
      tags: ['cases'],
      query: listCasesQuery,
      responses: { 200: { description: 'a page of cases', schema: Page(CaseSummary, 'CasePage') }, ...errorResponses(400, 401) },
      async handler({ caller, query }) {
        return { body: await queries.list(caller, query) };
      },
    }),
    operation({
      method: 'get',
      path: '/inbox',
      operationId: 'getInbox',
      summary: 'Cases waiting for the caller, most urgent first',
      tags: ['cases'],
      query: inboxQuery,
      responses: { 200: { description: 'a page of cases, with due times and overdue flags', schema: Page(CaseSummary, 'InboxPage') }, ...errorResponses(400, 401) },
      async handler({ caller, query }) {
        return { body: await queries.inbox(caller, query) };
      },
    }),
    operation({
      method: 'get',
      path: '/cases/:id',
      operationId: 'getCase',
      summary: 'A case, with the actions the caller may take now',
      tags: ['cases'],
      params: caseId,
      responses: { 200: { description: 'the case', schema: CaseView }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await cases.get(caller, params.id) };
      },
    }),
    operation({
      method: 'post',
      path: '/cases/:id/actions',
      operationId: 'actOnCase',
      summary: 'Act on a case (approve, reject, return, vote, object, ...)',
      description: 'Delivered to the case workflow as a Temporal Update; answers with the case once the action is recorded.',
      tags: ['cases'],
      params: caseId,
      body: actionBody,
      idempotent: true,
      responses: { 200: { description: 'the case after the action', schema: CaseView }, ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429, 503) },
      async handler({ caller, params, body, idempotencyKey }) {
        try {
          const result = { body: await cases.act(caller, params.id, body, idempotencyKey) };
          metrics.caseActions.inc({ action: body.action, outcome: 'accepted' });
          return result;
        } catch (err) {
          metrics.caseActions.inc({ action: body.action, outcome: (err as { status?: number }).status && (err as { status: number }).status < 500 ? 'refused' : 'failed' });
          throw err;
        }
      },
    }),
    operation({
      method: 'get',
      path: '/cases/:id/events',
      operationId: 'getCaseEvents',
      summary: 'The hash-chained history of a case',
      tags: ['cases'],
      params: caseId,
      responses: { 200: { description: 'every event, oldest first', schema: z.object({ caseId: z.string(), items: z.array(CaseEvent) }) }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await queries.events(caller, params.id) };
      },
    }),
    operation({
      method: 'get',
      path: '/cases/:id/dossier',
      operationId: 'getCaseDossier',
      summary: 'The complete case file: payload, stages, every event, decisions, votes, objections, eligibility with its data',
      tags: ['audit'],
      params: caseId,
      responses: { 200: { description: 'the case file', schema: Dossier }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        const dossier = await queries.dossier(caller, params.id);
        await audit.recordAccess(caller, '/cases/:id/dossier', { caseId: params.id });
        return { body: dossier };
      },
    }),
  ];
}
