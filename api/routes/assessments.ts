import { z } from 'zod';
import {
  confirmationBody,
  correctionBody,
  openAssessmentBody,
  proposalBody,
  reviewRequestBody,
  scoresBody,
  selfReportBody,
  type AssessmentService,
} from '../../services/assessments';
import { operation } from '../operation';
import { AssessmentCorrection, AssessmentStepResult, AssessmentView, CaseView, WorkerAssessments, errorResponses } from '../schemas';

const assessmentId = z.object({ id: z.string().min(1).max(200) });
const workerId = z.object({ id: z.string().min(1).max(100) });

/** The annual assessment (年度考核) of a community: open it, read it, take each step, ask for a review. */
export function assessmentOperations(assessments: AssessmentService) {
  const step = <Body extends z.ZodType>(
    path: string,
    operationId: string,
    summary: string,
    body: Body,
    run: (caller: Parameters<AssessmentService['get']>[0], id: string, body: z.output<Body>) => Promise<unknown>,
    description?: string,
  ) =>
    operation({
      method: 'post',
      path: `/assessments/:id/${path}`,
      operationId,
      summary,
      ...(description ? { description } : {}),
      tags: ['assessments'],
      params: assessmentId,
      body,
      responses: {
        200: { description: 'the assessment and each case', schema: AssessmentStepResult },
        ...errorResponses(400, 401, 403, 404, 409, 415, 422, 503),
      },
      async handler({ caller, params, body: b }) {
        return { body: await run(caller, params.id, b) };
      },
    });
  return [
    operation({
      method: 'post',
      path: '/assessments',
      operationId: 'openAssessment',
      summary: "Open a community's annual assessment (年度考核) for a year, with an assessment case per worker",
      tags: ['assessments'],
      body: openAssessmentBody,
      responses: { 201: { description: 'the assessment', schema: AssessmentView }, ...errorResponses(400, 401, 403, 409, 415, 503) },
      async handler({ caller, body }) {
        const view = await assessments.open(caller, body);
        return { status: 201, body: view, headers: { Location: `/api/v1/assessments/${view.id}` } };
      },
    }),
    operation({
      method: 'get',
      path: '/assessments/:id',
      operationId: 'getAssessment',
      summary: 'An annual assessment with each worker’s case, scores and result',
      tags: ['assessments'],
      params: assessmentId,
      responses: { 200: { description: 'the assessment', schema: AssessmentView }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await assessments.get(caller, params.id) };
      },
    }),
    operation({
      method: 'post',
      path: '/assessments/:id/self-reports',
      operationId: 'recordSelfReport',
      summary: "A worker's self-report (述职), recorded at their case's first stage",
      tags: ['assessments'],
      params: assessmentId,
      body: selfReportBody,
      idempotent: true,
      responses: { 200: { description: 'the assessment', schema: AssessmentView }, ...errorResponses(400, 401, 403, 404, 409, 415, 503) },
      async handler({ caller, params, body, idempotencyKey }) {
        return { body: await assessments.selfReport(caller, params.id, body, idempotencyKey) };
      },
    }),
    operation({
      method: 'post',
      path: '/assessments/:id/scores',
      operationId: 'recordAssessmentScores',
      summary: '民主测评 scores for a worker, each with who gave it (residents’ representatives or colleagues)',
      tags: ['assessments'],
      params: assessmentId,
      body: scoresBody,
      idempotent: true,
      responses: { 200: { description: 'the assessment', schema: AssessmentView }, ...errorResponses(400, 401, 403, 404, 409, 415, 503) },
      async handler({ caller, params, body, idempotencyKey }) {
        return { body: await assessments.scores(caller, params.id, body, idempotencyKey) };
      },
    }),
    step(
      'proposal',
      'proposeAssessment',
      "The evaluation group's proposed result for every worker",
      proposalBody,
      (caller, id, b) => assessments.propose(caller, id, b),
      'Checked against the rule set: 优秀 within annualAssessment.excellentShare, a written reason for the results in annualAssessment.reasonRequired (422 naming the rule and the figures). Recorded once on the assessment, then forwarded to each case; sent again, it finishes forwarding.',
    ),
    step(
      'confirmation',
      'confirmAssessment',
      'The street party committee confirms the proposed results',
      confirmationBody,
      (caller, id, b) => assessments.confirm(caller, id, b),
    ),
    step(
      'notification',
      'notifyAssessment',
      'Each worker is told of their result in writing; the review period (periods.assessment.review) starts',
      z.object({}),
      (caller, id) => assessments.notify(caller, id),
    ),
    operation({
      method: 'post',
      path: '/assessments/:id/reviews',
      operationId: 'requestAssessmentReview',
      summary: 'A review (复核) of a worker’s result: opens an appeal linked to their assessment case',
      description:
        'Within the review period only: after it, 422 naming the period’s end. While the review is open the worker’s result stays off the records.',
      tags: ['assessments'],
      params: assessmentId,
      body: reviewRequestBody,
      idempotent: true,
      responses: { 201: { description: 'the appeal case', schema: CaseView }, ...errorResponses(400, 401, 403, 404, 409, 415, 422, 503) },
      async handler({ caller, params, body, idempotencyKey }) {
        const appeal = await assessments.requestReview(caller, params.id, body, idempotencyKey);
        return { status: 201, body: appeal, headers: { Location: `/api/v1/cases/${appeal.id}` } };
      },
    }),
    operation({
      method: 'post',
      path: '/assessments/:id/corrections',
      operationId: 'correctAssessment',
      summary: 'After an upheld review, the street’s corrected result: a new records entry naming the review',
      tags: ['assessments'],
      params: assessmentId,
      body: correctionBody,
      responses: {
        200: { description: 'the corrected entry', schema: AssessmentCorrection },
        ...errorResponses(400, 401, 403, 404, 409, 415, 422),
      },
      async handler({ caller, params, body }) {
        return { body: await assessments.correct(caller, params.id, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/workers/:id/assessments',
      operationId: 'getWorkerAssessments',
      summary: 'The annual assessments a worker was in: their case, the confirmed result, the review period and the records entry',
      tags: ['records'],
      params: workerId,
      responses: { 200: { description: 'the assessments', schema: WorkerAssessments }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: { items: await assessments.ofWorker(caller, params.id) } };
      },
    }),
  ];
}
