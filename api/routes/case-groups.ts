import { z } from 'zod';
import { openRoundBody, roundDecisionBody, roundRecommendationBody, type CaseGroupService } from '../../services/case-groups';
import { operation } from '../operation';
import { BatchApprovalResult, RoundDecisionResult, RoundView, WorkerRounds, errorResponses } from '../schemas';

const roundId = z.object({ id: z.string().min(1).max(200) });
const workerId = z.object({ id: z.string().min(1).max(100) });

/** The yearly promotion round (年度晋升): open it, read it, recommend its list, decide it. */
export function caseGroupOperations(groups: CaseGroupService) {
  return [
    operation({
      method: 'post',
      path: '/rounds',
      operationId: 'openRound',
      summary: "Open a street's yearly promotion round (年度晋升) with a promotion case per person",
      description:
        "Checks each person's eligibility and the street's quota (promotionRounds: 422 naming the rule and the figures), then starts the round's parent workflow, which starts each person's case.",
      tags: ['rounds'],
      body: openRoundBody,
      responses: { 201: { description: 'the round', schema: RoundView }, ...errorResponses(400, 401, 403, 409, 415, 422, 503) },
      async handler({ caller, body }) {
        const round = await groups.openRound(caller, body);
        return { status: 201, body: round, headers: { Location: `/api/v1/rounds/${round.id}` } };
      },
    }),
    operation({
      method: 'get',
      path: '/rounds/:id',
      operationId: 'getRound',
      summary: 'A promotion round with its members and the state of each one’s case',
      tags: ['rounds'],
      params: roundId,
      responses: { 200: { description: 'the round', schema: RoundView }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await groups.get(caller, params.id) };
      },
    }),
    operation({
      method: 'post',
      path: '/rounds/:id/recommendation',
      operationId: 'recommendRound',
      summary: "The community stage of the round's cases with one action (batch approval of the round's members only)",
      tags: ['rounds'],
      params: roundId,
      body: roundRecommendationBody,
      idempotent: true,
      responses: {
        200: { description: 'each case approved, or its own refusal', schema: BatchApprovalResult },
        ...errorResponses(400, 401, 403, 404, 409, 415, 422, 503),
      },
      async handler({ caller, params, body, idempotencyKey }) {
        return { body: await groups.recommend(caller, params.id, body, idempotencyKey) };
      },
    }),
    operation({
      method: 'post',
      path: '/rounds/:id/decision',
      operationId: 'decideRound',
      summary: "The street committee's one meeting on the whole list (集体研究决定), forwarded to each case",
      description:
        'Recorded once on the round; the round delivers it to each case, whose meeting record names the round’s decision (a case returned for amendment gets it once it is back at the street decision: pending). The same meeting sent again answers as the first.',
      tags: ['rounds'],
      params: roundId,
      body: roundDecisionBody,
      responses: {
        200: { description: 'the round and each case', schema: RoundDecisionResult },
        ...errorResponses(400, 401, 403, 404, 409, 415, 503),
      },
      async handler({ caller, params, body }) {
        return { body: await groups.decide(caller, params.id, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/workers/:id/rounds',
      operationId: 'getWorkerRounds',
      summary: 'The promotion rounds a worker was proposed in, with their case',
      tags: ['records'],
      params: workerId,
      responses: { 200: { description: 'the rounds', schema: WorkerRounds }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: { items: await groups.ofWorker(caller, params.id) } };
      },
    }),
  ];
}
