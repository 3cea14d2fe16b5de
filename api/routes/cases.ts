import { z } from 'zod';
import { actionBody } from '../../domain/process/commands';
import type { AuditService } from '../../services/audit';
import { inboxQuery, listCasesQuery, type CaseQueries } from '../../services/case-queries';
import { batchApprovalBody, submitCaseBody, type CaseService } from '../../services/cases';
import type { Metrics } from '../metrics';
import { linksTo, operation } from '../operation';
import { BatchApprovalResult, CaseEventList, CasePage, CaseTypeList, CaseView, Dossier, InboxPage, errorResponses } from '../schemas';

const caseId = z.object({ id: z.string().min(1).max(100) });

/** What a client does next with a case it has: read it, its events and dossier, act on it, verify its chain. */
const CASE_NEXT = ['getCase', 'getCaseEvents', 'getCaseDossier', 'actOnCase'];
const caseLinks = (id: string) => ({
  ...linksTo(CASE_NEXT, { 'path.id': id }),
  verifyChains: { operationId: 'verifyChains', parameters: { 'query.caseId': id } },
});

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
      responses: { 200: { description: 'every case type', schema: CaseTypeList }, ...errorResponses(401) },
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
      description:
        'Checks eligibility (422 with the reasons when the worker is not eligible), starts the case workflow, and answers once the case and its first stage are recorded.',
      tags: ['cases'],
      body: submitCaseBody,
      idempotent: true,
      responses: {
        201: { description: 'the case', schema: CaseView, links: caseLinks('$response.body#/id') },
        ...errorResponses(400, 401, 403, 409, 415, 422, 429, 503),
      },
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
      responses: {
        200: {
          description: 'a page of cases',
          schema: CasePage,
          links: {
            ...caseLinks('$response.body#/items/0/id'),
            listCases: { operationId: 'listCases', parameters: { 'query.cursor': '$response.body#/nextCursor' } },
          },
        },
        ...errorResponses(400, 401),
      },
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
      responses: {
        200: {
          description: 'a page of cases, with due times and overdue flags',
          schema: InboxPage,
          links: caseLinks('$response.body#/items/0/id'),
        },
        ...errorResponses(400, 401),
      },
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
      responses: { 200: { description: 'the case', schema: CaseView }, ...errorResponses(401, 404, 410) },
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
      query: z.object({
        onBehalfOf: z
          .string()
          .min(1)
          .max(100)
          .optional()
          .describe('委托: the id of the person the caller acts for, whose delegation to the caller holds today'),
      }),
      body: actionBody(),
      idempotent: true,
      responses: {
        200: { description: 'the case after the action', schema: CaseView, links: caseLinks('$response.body#/id') },
        ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429, 503),
      },
      async handler({ caller, params, query, body, idempotencyKey }) {
        try {
          const result = { body: await cases.act(caller, params.id, body, idempotencyKey, query.onBehalfOf) };
          metrics.caseActions.inc({ action: body.action, outcome: 'accepted' });
          return result;
        } catch (err) {
          metrics.caseActions.inc({
            action: body.action,
            outcome: (err as { status?: number }).status && (err as { status: number }).status < 500 ? 'refused' : 'failed',
          });
          throw err;
        }
      },
    }),
    operation({
      method: 'post',
      path: '/cases/batch-approval',
      operationId: 'approveCases',
      summary: 'Approve several cases with one action (批量审批)',
      description:
        "Only the community stage of a yearly round's promotions: any other case (an exit, a disciplinary matter, an appeal, a later stage, a promotion outside a round) refuses the whole batch with 422 naming it, and nothing is approved. Each case is then approved as POST /cases/{id}/actions would; a case's own refusal is reported beside it.",
      tags: ['cases'],
      body: batchApprovalBody,
      idempotent: true,
      responses: {
        200: { description: 'each case, approved or refused', schema: BatchApprovalResult },
        ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429, 503),
      },
      async handler({ caller, body, idempotencyKey }) {
        const result = await cases.approveBatch(caller, body, idempotencyKey);
        for (const item of result.items) metrics.caseActions.inc({ action: 'approve', outcome: item.approved ? 'accepted' : 'refused' });
        return { body: result };
      },
    }),
    operation({
      method: 'get',
      path: '/cases/:id/events',
      operationId: 'getCaseEvents',
      summary: 'The hash-chained history of a case',
      tags: ['cases'],
      params: caseId,
      responses: { 200: { description: 'every event, oldest first', schema: CaseEventList }, ...errorResponses(401, 404, 410) },
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
      responses: { 200: { description: 'the case file', schema: Dossier }, ...errorResponses(401, 404, 410) },
      async handler({ caller, params }) {
        const dossier = await queries.dossier(caller, params.id);
        await audit.recordAccess(caller, '/cases/:id/dossier', { caseId: params.id });
        return { body: dossier };
      },
    }),
  ];
}
