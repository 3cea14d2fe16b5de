import { z } from 'zod';
import {
  addAssessmentBody,
  addDisciplinaryBody,
  createWorkerBody,
  eligibilityCheckBody,
  linkAccountBody,
  listWorkersQuery,
  placementsQuery,
  qualificationEligibilityBody,
  revealLogQuery,
  revealNationalIdBody,
  type PersonnelService,
} from '../../services/personnel';
import { linksTo, operation } from '../operation';
import {
  Eligibility,
  NationalIdReveal,
  NationalIdRevealLog,
  PlacementPage,
  WorkerDetail,
  WorkerEligibility,
  WorkerPage,
  errorResponses,
} from '../schemas';

const communityWorkerParams = z.object({ id: z.string().min(1).max(100) });

/** What a client does next with a worker it has found: read the record and eligibility, maintain it, reveal the ID. */
const workerLinks = (id: string) =>
  linksTo(['getWorker', 'getWorkerEligibility', 'revealNationalId', 'linkWorkerAccount', 'addAssessment', 'addDisciplinaryRecord'], {
    'path.id': id,
  });
/**
 * Personnel records of community workers (the paths keep the API's word, /workers): search, read, add, record
 * assessments and discipline, and evaluate eligibility.
 */
export function personnelOperations(personnel: PersonnelService) {
  return [
    operation({
      method: 'get',
      path: '/placements',
      operationId: 'listPlacements',
      summary: 'Where every worker serves on a date: at post or seconded (借调), from the records',
      tags: ['records'],
      query: placementsQuery,
      responses: {
        200: { description: 'a page of workers with their placement on the date', schema: PlacementPage },
        ...errorResponses(400, 401),
      },
      async handler({ caller, query }) {
        return { body: await personnel.placements(caller, query) };
      },
    }),
    operation({
      method: 'get',
      path: '/workers',
      operationId: 'listWorkers',
      summary: 'Search community workers (national ID numbers masked)',
      tags: ['records'],
      query: listWorkersQuery,
      responses: {
        200: {
          description: 'a page of workers',
          schema: WorkerPage,
          links: {
            ...workerLinks('$response.body#/items/0/id'),
            listWorkers: { operationId: 'listWorkers', parameters: { 'query.cursor': '$response.body#/nextCursor' } },
          },
        },
        ...errorResponses(400, 401),
      },
      async handler({ caller, query }) {
        return { body: await personnel.list(caller, query) };
      },
    }),
    operation({
      method: 'post',
      path: '/workers',
      operationId: 'createWorker',
      summary: 'Add a community worker',
      tags: ['records'],
      body: createWorkerBody,
      responses: {
        201: { description: 'the new record', schema: WorkerDetail, links: workerLinks('$response.body#/id') },
        ...errorResponses(400, 401, 403, 409, 415),
      },
      async handler({ caller, body }) {
        return { status: 201, body: await personnel.create(caller, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/workers/:id',
      operationId: 'getWorker',
      summary: "A worker's record: assessments, discipline, grade history, awards, rulings, clearances",
      tags: ['records'],
      params: communityWorkerParams,
      responses: { 200: { description: 'the record', schema: WorkerDetail }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await personnel.get(caller, params.id) };
      },
    }),
    operation({
      method: 'get',
      path: '/workers/:id/eligibility',
      operationId: 'getWorkerEligibility',
      summary: 'Eligibility of a worker for promotion, recruitment and commendation, with the reasons',
      tags: ['records'],
      params: communityWorkerParams,
      responses: {
        200: {
          description: 'the evaluations, each with its rule reasons',
          schema: WorkerEligibility,
        },
        ...errorResponses(401, 404),
      },
      async handler({ caller, params }) {
        return { body: await personnel.eligibilitySummary(caller, params.id) };
      },
    }),
    operation({
      method: 'post',
      path: '/eligibility-checks',
      operationId: 'checkEligibility',
      summary: 'Evaluate eligibility for a case before submitting it',
      tags: ['records'],
      body: eligibilityCheckBody,
      responses: { 200: { description: 'the evaluation', schema: Eligibility }, ...errorResponses(400, 401, 404, 415) },
      async handler({ caller, body }) {
        return { body: await personnel.evaluate(caller, body.type, body.subjectId, body.payload) };
      },
    }),
    operation({
      method: 'put',
      path: '/workers/:id/account',
      operationId: 'linkWorkerAccount',
      summary: "Link a worker's record to their own staff account",
      description:
        'Community staff (clerks, members of the community party organisation and residents’ committee) are community workers: their account must be linked to their record before they submit or act on cases, so that they are recused from their own. Administrators and personnel officers of the unit.',
      tags: ['records'],
      params: communityWorkerParams,
      body: linkAccountBody,
      responses: { 200: { description: 'the updated record', schema: WorkerDetail }, ...errorResponses(400, 401, 403, 404, 409, 415) },
      async handler({ caller, params, body }) {
        return { body: await personnel.linkAccount(caller, params.id, body) };
      },
    }),
    operation({
      method: 'post',
      path: '/workers/:id/national-id/reveal',
      operationId: 'revealNationalId',
      summary: "Reveal one worker's full national ID number, with a reason (recorded)",
      description:
        'National ID numbers are masked everywhere (GB/T 35273 minimisation); administrators and personnel officers of the unit reveal one record at a time, giving a reason. Every reveal is recorded (who, when, which record, why) in the access log auditors read at GET /audit/national-id-reveals.',
      tags: ['records'],
      params: communityWorkerParams,
      body: revealNationalIdBody,
      responses: { 200: { description: 'the full number', schema: NationalIdReveal }, ...errorResponses(400, 401, 403, 404, 415) },
      async handler({ caller, params, body }) {
        return { body: await personnel.revealNationalId(caller, params.id, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/audit/national-id-reveals',
      operationId: 'listNationalIdReveals',
      summary: 'The access log of national ID numbers revealed: who, when, which record, why (auditors)',
      tags: ['audit'],
      query: revealLogQuery,
      responses: {
        200: {
          description: 'reveals, oldest first',
          schema: NationalIdRevealLog,
          links: {
            listNationalIdReveals: {
              operationId: 'listNationalIdReveals',
              parameters: { 'query.cursor': '$response.body#/nextCursor' },
            },
          },
        },
        ...errorResponses(400, 401, 403),
      },
      async handler({ caller, query }) {
        return { body: await personnel.revealLog(caller, query) };
      },
    }),
    operation({
      method: 'post',
      path: '/workers/:id/assessments',
      operationId: 'addAssessment',
      summary: 'Record an annual assessment (年度考核)',
      tags: ['records'],
      params: communityWorkerParams,
      body: addAssessmentBody,
      responses: { 201: { description: 'the updated record', schema: WorkerDetail }, ...errorResponses(400, 401, 403, 404, 409, 415) },
      async handler({ caller, params, body }) {
        return { status: 201, body: await personnel.addAssessment(caller, params.id, body) };
      },
    }),
    operation({
      method: 'post',
      path: '/workers/:id/disciplinary-records',
      operationId: 'addDisciplinaryRecord',
      summary: 'Record a disciplinary measure (处分): a 政务处分, a 党纪处分 or a measure under the labour contract',
      tags: ['records'],
      params: communityWorkerParams,
      body: addDisciplinaryBody,
      responses: { 201: { description: 'the updated record', schema: WorkerDetail }, ...errorResponses(400, 401, 403, 404, 415) },
      async handler({ caller, params, body }) {
        return { status: 201, body: await personnel.addDisciplinary(caller, params.id, body) };
      },
    }),
    operation({
      method: 'put',
      path: '/workers/:id/qualification-eligibility',
      operationId: 'setQualificationEligibility',
      summary: 'Record when the worker became eligible for the social-work exam, on what basis and with what evidence',
      tags: ['records'],
      params: communityWorkerParams,
      body: qualificationEligibilityBody,
      responses: { 200: { description: 'the updated record', schema: WorkerDetail }, ...errorResponses(400, 401, 403, 404, 415) },
      async handler({ caller, params, body }) {
        return { body: await personnel.setQualificationEligibility(caller, params.id, body) };
      },
    }),
  ];
}
