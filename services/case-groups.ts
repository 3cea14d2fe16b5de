import { WithStartWorkflowOperation } from '@temporalio/client';
import { z } from 'zod';
import { policy, type Caller } from '../domain/access';
import { caseGroupId, decisionReference, type CaseGroupDecision, type CaseGroupInput } from '../domain/case-groups';
import { caseTypeOf } from '../domain/case-types';
import type { Json } from '../domain/history';
import { ACTION_BODIES } from '../domain/process/commands';
import { isFinal } from '../domain/process/vocabulary';
import { checkRoundQuota, quotaOf } from '../domain/promotion-rounds';
import type { RuleSet } from '../domain/rules';
import type { Store } from '../store';
import type { CaseGroupRow } from '../store/case-groups';
import { groupDecisionUpdate, groupOpenedUpdate, type caseGroupWorkflow } from '../workflows/case-group';
import { caseIdFor, type CaseService } from './cases';
import type { PersonnelService } from './personnel';
import { HttpProblem, forbidden, invalid, notFound } from './problem';
import { callTemporal, type TemporalAccess } from './temporal';
import { parseOr400 } from './validation';

/**
 * Cases decided together (issue #17): the street's yearly promotion round (年度晋升) as a parent workflow with a
 * promotion case per person. The street checks the list against its quota as it opens the round; the
 * community party organisations recommend (batch approval of the round's cases at the community stage); the
 * street party committee decides the whole list at one meeting, recorded once on the round and forwarded to
 * each case, whose history references it; each case then opens its public notice (公示) together with the
 * others, and an objection against one person goes to that case's objection review without stopping the rest.
 */

export const openRoundBody = z.object({
  streetId: z.string().min(1).max(100),
  year: z.number().int().min(2000).max(2100),
  members: z
    .array(z.object({ workerId: z.string().min(1).max(100), payload: z.record(z.string(), z.json()).default({ kind: 'regular' }) }))
    .min(1)
    .max(200)
    .refine((ms) => new Set(ms.map((m) => m.workerId)).size === ms.length, { error: 'a worker is named more than once' }),
});

export const roundRecommendationBody = z.object({ comment: ACTION_BODIES.approve.shape.comment });

/** The street committee's one meeting on the list (as the record-meeting action of each case, without its files). */
export const roundDecisionBody = ACTION_BODIES['record-meeting'].omit({ action: true, attachments: true, data: true });

/** Active workers a street's eligibility count reads at most (the largest street here has a few hundred). */
const STREET_WORKERS_MAX = 5000;

export interface CaseGroupServiceDeps {
  store: Pick<Store, 'caseGroups' | 'cases' | 'orgUnits' | 'personnel'>;
  temporal: TemporalAccess;
  ruleSet: RuleSet;
  records: Pick<PersonnelService, 'evaluate'>;
  cases: Pick<CaseService, 'act' | 'approveBatch'>;
}

/** Starts a group's parent workflow and answers once it and its members' cases are on record and started (a round, an assessment). */
export async function startCaseGroup(temporal: TemporalAccess, input: CaseGroupInput): Promise<void> {
  await callTemporal(temporal, () =>
    temporal.client.workflow.executeUpdateWithStart(groupOpenedUpdate, {
      updateId: 'opened',
      startWorkflowOperation: new WithStartWorkflowOperation<typeof caseGroupWorkflow>('caseGroupWorkflow', {
        workflowId: input.groupId,
        taskQueue: temporal.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    }),
  );
}

export function createCaseGroupService({ store, temporal, ruleSet, records, cases }: CaseGroupServiceDeps) {
  /** The round as its caller may see it: a round outside the caller's subtree answers as one that does not exist. */
  async function visibleGroup(caller: Caller, groupId: string): Promise<{ group: CaseGroupRow; path: string }> {
    const group = await store.caseGroups.get(groupId);
    const unit = group && (await store.orgUnits.get(group.orgUnitId));
    // An annual assessment is a group too; it has its own API (services/assessments.ts).
    if (!group || !unit || group.kind !== 'promotion-round') throw notFound('round');
    // The street's staff see the round; a community's staff see it for their own workers in it.
    let visible = policy.canReadWorker(caller, unit.path);
    for (const m of group.members) {
      if (visible) break;
      const worker = await store.personnel.entry(m.workerId);
      visible = worker !== null && policy.canReadWorker(caller, worker.orgPath);
    }
    if (!visible) throw notFound('round');
    return { group, path: unit.path };
  }

  /** Each member with their case as the read model has it now (its stage, status and outcome). */
  async function view(caller: Caller, group: CaseGroupRow) {
    const members = [];
    for (const m of group.members) {
      const row = await store.cases.visible(caller, m.caseId);
      const worker = await store.personnel.entry(m.workerId);
      members.push({
        workerId: m.workerId,
        name: worker?.name ?? null,
        caseId: m.caseId,
        status: row?.status ?? 'opening',
        outcome: row?.outcome ?? null,
        currentStage: row?.readModel.stage ?? null,
      });
    }
    return {
      id: group.groupId,
      kind: group.kind,
      orgUnitId: group.orgUnitId,
      year: group.year,
      stage: group.stage,
      decision: group.decision,
      decisionReference: group.decision ? decisionReference(group.groupId) : null,
      members,
    };
  }

  /**
   * How many of the street's active workers are due a promotion this year: those the regular step admits, and
   * any member proposed on other grounds (an early or a post-change promotion).
   */
  async function eligibleInStreet(caller: Caller, streetPath: string, members: string[]): Promise<number> {
    const { entries } = await store.personnel.list({ orgPath: streetPath, status: 'active', scopes: null }, { limit: STREET_WORKERS_MAX });
    const eligible = new Set(members);
    for (const w of entries) {
      if ((await records.evaluate(caller, 'promotion', w.id, { kind: 'regular' })).eligible) eligible.add(w.id);
    }
    return eligible.size;
  }

  /**
   * The decision forwarded by the API, for rounds opened before their workflow forwarded it itself
   * (round-forwarding): each case at the street's decision records the meeting naming the round's decision. Goes
   * once no round opened before round-forwarding is still in its notice.
   */
  async function forwardFromHere(
    caller: Caller,
    groupId: string,
    open: { caseId: string; currentStage: { id: string } | null }[],
    body: z.infer<typeof roundDecisionBody>,
  ) {
    const reference = decisionReference(groupId);
    const items = [];
    for (const m of open.filter((o) => o.currentStage?.id === 'street-decision')) {
      try {
        await cases.act(
          caller,
          m.caseId,
          // The round field of the street's decision (promotion v4) names the decision kept on the round.
          { action: 'record-meeting', ...body, data: { round: reference } },
          `${groupId}:decision:${body.meetingDate}`,
        );
        items.push({ caseId: m.caseId, recorded: true, pending: false, problem: null });
      } catch (err) {
        if (!(err instanceof HttpProblem) || err.status >= 500) throw err;
        items.push({
          caseId: m.caseId,
          recorded: false,
          pending: false,
          problem: { type: err.type, status: err.status, detail: err.detail },
        });
      }
    }
    return items;
  }

  const service = {
    async openRound(caller: Caller, body: z.infer<typeof openRoundBody>) {
      const street = await store.orgUnits.get(body.streetId);
      if (!street || street.level !== 'street' || street.kind !== 'area')
        throw invalid(`streetId: no street "${body.streetId}"`, [{ field: 'streetId', message: 'unknown street' }]);
      if (!policy.canSubmitFor(caller, street.path)) throw forbidden('a round is opened by a clerk of the street or above');
      const definition = caseTypeOf('promotion');
      if (!definition) throw new Error('the promotion case type is not registered');
      const members: CaseGroupInput['members'] = [];
      const groupId = caseGroupId('promotion-round', street.id, body.year);
      for (const [i, m] of body.members.entries()) {
        const worker = await store.personnel.entry(m.workerId);
        if (!worker || !worker.orgPath.startsWith(street.path))
          throw invalid(`members.${i}.workerId: no community worker "${m.workerId}" in ${street.name}`, [
            { field: `members.${i}.workerId`, message: 'not a worker of the street' },
          ]);
        const payload = parseOr400(definition.payload(ruleSet), m.payload, `members.${i}.payload`) as Record<string, Json>;
        const eligibility = await records.evaluate(caller, 'promotion', worker.id, payload);
        if (!eligibility.eligible)
          throw new HttpProblem('business-rule', `${worker.name} (${worker.id}) does not meet the eligibility rules for a promotion`, {
            reasons: eligibility.reasons,
          });
        members.push({ workerId: worker.id, caseId: caseIdFor(groupId, worker.id), type: 'promotion', payload });
      }
      const eligible = await eligibleInStreet(
        caller,
        street.path,
        members.map((m) => m.workerId),
      );
      const quota = quotaOf(ruleSet.promotionRounds, street.id);
      const check = checkRoundQuota(quota, members.length, eligible);
      if (!check.within) {
        throw new HttpProblem('business-rule', `promotionRounds: ${check.reason.en}`, {
          rule: Object.prototype.hasOwnProperty.call(ruleSet.promotionRounds.quotas, street.id)
            ? `promotionRounds.quotas.${street.id}`
            : 'promotionRounds.defaultQuota',
          proposed: check.proposed,
          eligible: check.eligible,
          limit: check.limit,
          reasons: [check.reason],
        });
      }
      if (await store.caseGroups.get(groupId))
        throw new HttpProblem('conflict', `the ${body.year} round of ${street.name} is already open (${groupId})`);
      const input: CaseGroupInput = {
        groupId,
        kind: 'promotion-round',
        orgUnitId: street.id,
        year: body.year,
        openedBy: caller.id,
        openedAt: new Date().toISOString(),
        members,
      };
      await startCaseGroup(temporal, input);
      return service.get(caller, groupId);
    },

    async get(caller: Caller, groupId: string) {
      const { group } = await visibleGroup(caller, groupId);
      return view(caller, group);
    },

    /** The community stage of the round's cases, with one action (the batch approval, limited to them). */
    async recommend(caller: Caller, groupId: string, body: z.infer<typeof roundRecommendationBody>, idempotencyKey?: string) {
      const { group } = await visibleGroup(caller, groupId);
      const { members } = await view(caller, group);
      const due = members.filter((m) => m.currentStage?.id === 'community-recommendation').map((m) => m.caseId);
      if (due.length === 0) throw new HttpProblem('conflict', 'no case of the round is at the community recommendation');
      return cases.approveBatch(caller, { caseIds: due, ...(body.comment ? { comment: body.comment } : {}) }, idempotencyKey);
    },

    /**
     * The street committee decides the list at one meeting, recorded once on the round. The round's workflow
     * delivers it to each case at the street's decision as its meeting record, which names the round's decision,
     * and to a case not at that stage yet (returned for amendment) once it is; the answer says which cases have it
     * already. Rounds opened before the workflow forwarded it (no `forwardsDecision`) are forwarded from here, and
     * sending the same meeting again finishes what a request cut short left undone.
     */
    async decide(caller: Caller, groupId: string, body: z.infer<typeof roundDecisionBody>) {
      const { group } = await visibleGroup(caller, groupId);
      if (!policy.canActOnCases(caller)) throw forbidden('your roles do not include acting on cases');
      const { members } = await view(caller, group);
      const open = members.filter((m) => !isFinal(m.status as Parameters<typeof isFinal>[0]));
      const before = open.filter((m) => m.currentStage?.id === 'community-recommendation' || m.status === 'opening');
      if (before.length > 0)
        throw new HttpProblem(
          'conflict',
          `the list is not complete: ${before.map((m) => `${m.name ?? m.workerId} (${m.caseId})`).join(', ')} not yet recommended by the community`,
        );
      const decision: CaseGroupDecision = { ...body, recordedBy: caller.id, recordedAt: new Date().toISOString() };
      const state = await callTemporal(
        temporal,
        () =>
          temporal.client.workflow
            .getHandle(groupId)
            .executeUpdate(groupDecisionUpdate, { args: [decision], updateId: `decision:${body.meetingDate}` }),
        { workflowId: groupId },
      );
      if (state.forwardsDecision) {
        const items = state.members.map((m) => ({
          caseId: m.caseId,
          recorded: m.delivery?.status === 'delivered',
          pending: m.delivery === undefined || m.delivery.status === 'pending',
          problem: m.delivery?.status === 'not-delivered' ? { type: 'conflict', status: 409, detail: m.delivery.reason } : null,
        }));
        return { round: await service.get(caller, groupId), items };
      }
      return { round: await service.get(caller, groupId), items: await forwardFromHere(caller, groupId, open, body) };
    },
    /** The rounds a worker was proposed in, with their case (the records API). */
    async ofWorker(caller: Caller, workerId: string) {
      const worker = await store.personnel.entry(workerId);
      // A worker outside the caller's subtree answers as one that does not exist (as GET /workers/:id does).
      if (!worker || !policy.canReadWorker(caller, worker.orgPath)) throw notFound('worker');
      return store.caseGroups.ofWorker(workerId, 'promotion-round');
    },
  };
  return service;
}

export type CaseGroupService = ReturnType<typeof createCaseGroupService>;
