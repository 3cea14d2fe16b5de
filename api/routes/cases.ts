import { z } from 'zod';
import { actionBody, submitCaseBody, type CaseService } from '../cases';
import { operation } from '../operation';
import { CaseView, errorResponses } from '../schemas';

const caseId = z.object({ id: z.string().min(1).max(100) });

function idempotencyKey(header: string | string[] | undefined): string | undefined {
  const key = Array.isArray(header) ? header[0] : header;
  return key && key.trim() ? key.trim().slice(0, 200) : undefined;
}

/** Submitting cases, reading them, and acting on them. */
export function caseOperations(cases: CaseService) {
  return [
    operation({
      method: 'post',
      path: '/cases',
      operationId: 'submitCase',
      summary: 'Submit a case',
      description: 'Starts the case workflow; answers once the case and its first stage are recorded.',
      tags: ['cases'],
      body: submitCaseBody,
      idempotent: true,
      responses: { 201: { description: 'the case', schema: CaseView }, ...errorResponses(400, 401, 403, 415, 422, 503) },
      async handler({ req, caller, body }) {
        const view = await cases.submit(caller, body, idempotencyKey(req.headers['idempotency-key']));
        return { status: 201, body: view, headers: { Location: `/api/v1/cases/${view.id}` } };
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
      description: 'Delivered to the case workflow as a Temporal Update; answers with the case after the action is recorded.',
      tags: ['cases'],
      params: caseId,
      body: actionBody,
      idempotent: true,
      responses: { 200: { description: 'the case after the action', schema: CaseView }, ...errorResponses(400, 401, 403, 404, 409, 415, 422, 503) },
      async handler({ req, caller, params, body }) {
        return { body: await cases.act(caller, params.id, body, idempotencyKey(req.headers['idempotency-key'])) };
      },
    }),
  ];
}
