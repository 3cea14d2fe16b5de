import { z } from 'zod';
import { policy, type Caller } from '../domain/access';
import { evaluationScore, proposalProblems } from '../domain/annual-assessment';
import { addPeriod, localDate } from '../domain/calendar';
import {
  caseGroupId,
  type AssessmentProgress,
  type AssessmentStep,
  type CaseGroupInput,
  type CaseGroupState,
  type EvaluationScoreEntry,
} from '../domain/case-groups';
import { caseTypeOf } from '../domain/case-types';
import { resolveActor } from '../domain/process/definition';
import { coversActor } from '../domain/process/permissions';
import { ASSESSMENT_RESULTS } from '../domain/personnel';
import { isFinal } from '../domain/process/vocabulary';
import { periodOf, type RuleSet } from '../domain/rules';
import type { Store } from '../store';
import type { CaseGroupRow } from '../store/case-groups';
import {
  assessmentConfirmedUpdate,
  assessmentNotifiedUpdate,
  assessmentProposalUpdate,
  assessmentScoresUpdate,
} from '../workflows/case-group';
import { startCaseGroup } from './case-groups';
import { caseIdFor, type CaseService } from './cases';
import { HttpProblem, forbidden, invalid, notFound } from './problem';
import { callTemporal, type TemporalAccess } from './temporal';

/**
 * 年度考核 (issue #17 section 4): a community's yearly assessment as a case group of kind annual-assessment
 * (workflows/case-group.ts) with an assessment case per worker (domain/case-types/assessment). The community
 * takes each worker's 述职 and the 民主测评 scores (recorded with who gave them); the evaluation group proposes the
 * list, which the rule set checks (the 优秀 cap, a reason for 基本合格 and 不合格: 422 naming the rule and the
 * figures); the street party committee confirms it; each worker is told, and may ask for a review (复核, an
 * appeal linked to their assessment case) within the review period. When it is over the results enter the
 * records; a reviewed one waits for its review (store/assessments.ts).
 */

const text = (max: number) => z.string().trim().min(1).max(max);

export const openAssessmentBody = z.object({
  communityId: text(100).describe('the community assessed'),
  year: z.int().min(2000).max(2100).describe('the year assessed'),
});

export const selfReportBody = z.object({ workerId: text(100), report: text(10_000).describe('the worker’s 述职 for the year') });

export const scoresBody = z.object({
  workerId: text(100),
  scores: z
    .array(
      z.object({
        evaluator: text(100).describe('who scored: a resident’s representative or a colleague, as on the score sheet'),
        group: z.enum(['residents', 'colleagues']),
        score: z.number().min(0).max(100),
      }),
    )
    .min(1)
    .max(500),
});

export const proposalBody = z.object({
  results: z
    .array(z.object({ workerId: text(100), result: z.enum(ASSESSMENT_RESULTS), reason: text(4000).optional() }))
    .min(1)
    .max(500)
    .refine((rs) => new Set(rs.map((r) => r.workerId)).size === rs.length, { error: 'a worker is named more than once' }),
});

export const confirmationBody = z.object({ comment: text(2000).optional() });

export const reviewRequestBody = z.object({ workerId: text(100), reason: text(4000).describe("the worker's grounds (申请理由)") });

export const correctionBody = z.object({
  workerId: text(100),
  result: z.enum(ASSESSMENT_RESULTS),
  reason: text(4000).optional(),
});

/** Workers a community has at most (the largest here has a few dozen). */
const COMMUNITY_WORKERS_MAX = 1000;
/** How long forwarding (assessments opened before assessment-forwarding) waits for a member's next stage to open. */
const STAGE_OPENING_WAIT_MS = 15_000;

export interface AssessmentServiceDeps {
  store: Pick<Store, 'caseGroups' | 'cases' | 'orgUnits' | 'personnel' | 'assessments' | 'calendar'>;
  temporal: TemporalAccess;
  ruleSet: RuleSet;
  cases: Pick<CaseService, 'act' | 'submit'>;
}

type ForwardItem = {
  workerId: string;
  caseId: string;
  recorded: boolean;
  /** The group delivers it still (the case is not at the step's stage yet); only where the group forwards itself. */
  pending?: boolean;
  problem: { type: string; status: number; detail: string } | null;
};

/** Whether the group delivers its steps to the cases itself (assessment-forwarding), or its API does (older ones). */
const forwardsItself = (progress: AssessmentProgress | undefined) => progress?.senders !== undefined;

/** Where each case is with the steps just sent, as the group answered (the step's first deliveries). */
function deliveries(state: CaseGroupState, steps: AssessmentStep[]): ForwardItem[] {
  return state.members.map((m) => {
    const refused = steps.map((step) => m.steps?.[step]).find((d) => d?.status === 'not-delivered');
    const recorded = steps.every((step) => m.steps?.[step]?.status === 'delivered');
    return {
      workerId: m.workerId,
      caseId: m.caseId,
      recorded,
      pending: !recorded && !refused,
      problem: refused?.status === 'not-delivered' ? { type: 'conflict', status: 409, detail: refused.reason } : null,
    };
  });
}

export function createAssessmentService({ store, temporal, ruleSet, cases }: AssessmentServiceDeps) {
  async function visibleAssessment(
    caller: Caller,
    groupId: string,
  ): Promise<{ group: CaseGroupRow & { assessment: AssessmentProgress }; path: string }> {
    const group = await store.caseGroups.get(groupId);
    const unit = group && (await store.orgUnits.get(group.orgUnitId));
    if (!group || !unit || group.kind !== 'annual-assessment' || !group.assessment) throw notFound('assessment');
    if (!policy.canReadWorker(caller, unit.path)) throw notFound('assessment');
    return { group: group as CaseGroupRow & { assessment: AssessmentProgress }, path: unit.path };
  }

  function memberOf(group: CaseGroupRow, workerId: string, field = 'workerId') {
    const m = group.members.find((x) => x.workerId === workerId);
    if (!m) throw invalid(`${field}: ${workerId} is not assessed in ${group.groupId}`, [{ field, message: 'not in this assessment' }]);
    return m;
  }

  async function view(caller: Caller, group: CaseGroupRow & { assessment: AssessmentProgress }) {
    const members = [];
    for (const m of group.members) {
      const row = await store.cases.visible(caller, m.caseId);
      const worker = await store.personnel.entry(m.workerId);
      const scores = group.assessment.scores[m.workerId] ?? [];
      const recorded = await store.assessments.resultOf(m.workerId, group.year);
      members.push({
        workerId: m.workerId,
        name: worker?.name ?? null,
        caseId: m.caseId,
        status: row?.status ?? 'opening',
        outcome: row?.outcome ?? null,
        currentStage: row?.readModel.stage ?? null,
        scores,
        evaluationScore: evaluationScore(scores, ruleSet.annualAssessment.evaluationWeights),
        recorded: recorded ? { result: recorded.result, recordedBy: recorded.recordedBy } : null,
      });
    }
    return {
      id: group.groupId,
      kind: group.kind,
      orgUnitId: group.orgUnitId,
      year: group.year,
      stage: group.stage,
      proposal: group.assessment.proposal,
      confirmation: group.assessment.confirmation ?? null,
      notification: group.assessment.notification,
      entered: group.assessment.entered,
      members,
    };
  }

  /** Records a stage of each member's case as the caller; a member whose stage is still opening is waited for. */
  async function forward(
    caller: Caller,
    items: { workerId: string; caseId: string; stage: string; data?: Record<string, string | number>; comment?: string }[],
    key: string,
  ): Promise<ForwardItem[]> {
    const out: ForwardItem[] = [];
    for (const item of items) {
      const until = Date.now() + STAGE_OPENING_WAIT_MS;
      for (;;) {
        const row = await store.cases.visible(caller, item.caseId);
        const at = row?.readModel.stage?.id ?? null;
        if (row && isFinal(row.status)) {
          out.push({ ...item, recorded: false, problem: { type: 'conflict', status: 409, detail: `the case is ${row.status}` } });
          break;
        }
        if (at !== item.stage) {
          if (Date.now() < until) {
            await new Promise((r) => setTimeout(r, 200));
            continue;
          }
          out.push({
            ...item,
            recorded: false,
            problem: { type: 'conflict', status: 409, detail: `the case is at ${at ?? 'no stage'}, not ${item.stage}` },
          });
          break;
        }
        try {
          await cases.act(
            caller,
            item.caseId,
            { action: 'approve', ...(item.data ? { data: item.data } : {}), ...(item.comment ? { comment: item.comment } : {}) },
            `${key}:${item.caseId}`,
          );
          out.push({ workerId: item.workerId, caseId: item.caseId, recorded: true, problem: null });
        } catch (err) {
          if (!(err instanceof HttpProblem) || err.status >= 500) throw err;
          out.push({
            workerId: item.workerId,
            caseId: item.caseId,
            recorded: false,
            problem: { type: err.type, status: err.status, detail: err.detail },
          });
        }
        break;
      }
    }
    return out.map(({ workerId, caseId, recorded, problem }) => ({ workerId, caseId, recorded, problem }));
  }

  const handle = (groupId: string) => temporal.client.workflow.getHandle(groupId);

  /**
   * The group delivers a step to the cases as the one who sent it: only someone who may take that stage of the
   * community's cases sends it (the stage's actor in the rule set), so nothing is recorded on the group that no
   * case would take from them.
   */
  function mayTake(caller: Caller, stageId: AssessmentStep, path: string) {
    const definition = caseTypeOf('assessment');
    const stage = definition?.stages.find((s) => s.id === stageId);
    if (!stage) throw new Error(`the assessment case type has no stage ${stageId}`);
    if (!coversActor(caller.roles, resolveActor(stage.actor, ruleSet, {}).actor, path))
      throw forbidden(`your roles do not include the assessment's ${stageId} stage for this community`);
  }

  /** The notice as of now: the review period (the rule set's assessment.review) runs from it. */
  async function noticeAsOfNow(caller: Caller) {
    const now = new Date();
    const reviewEndsAt = addPeriod(now, periodOf(ruleSet, 'assessment.review'), await store.calendar.workflowCalendar()).toISOString();
    return { notifiedAt: now.toISOString(), reviewEndsAt, recordedBy: caller.id };
  }

  const service = {
    async open(caller: Caller, body: z.infer<typeof openAssessmentBody>) {
      const community = await store.orgUnits.get(body.communityId);
      if (!community || community.level !== 'community' || community.kind !== 'area')
        throw invalid(`communityId: no community "${body.communityId}"`, [{ field: 'communityId', message: 'unknown community' }]);
      if (!policy.canSubmitFor(caller, community.path)) throw forbidden('an assessment is opened by a clerk of the community or above');
      const groupId = caseGroupId('annual-assessment', community.id, body.year);
      if (await store.caseGroups.get(groupId))
        throw new HttpProblem('conflict', `the ${body.year} assessment of ${community.name} is already open (${groupId})`);
      // Every worker in service; one hired after 1 January is not assessed that year where the rules say so.
      const firstDay = ruleSet.grades.midYearHireExempt ? `${body.year}-01-01` : `${body.year}-12-31`;
      const { entries } = await store.personnel.list(
        { orgPath: community.path, status: 'active', scopes: null },
        { limit: COMMUNITY_WORKERS_MAX },
      );
      const members: CaseGroupInput['members'] = [];
      const recorded: string[] = [];
      for (const w of entries.filter((e) => e.orgUnitId === community.id)) {
        const record = await store.personnel.record(w.id);
        if (!record || record.hireDate > firstDay) continue;
        if (record.assessments.some((a) => a.year === body.year)) recorded.push(`${w.name} (${w.id})`);
        members.push({ workerId: w.id, caseId: caseIdFor(groupId, w.id), type: 'assessment', payload: { year: body.year } });
      }
      if (recorded.length > 0)
        throw new HttpProblem('conflict', `the ${body.year} results of ${recorded.join(', ')} are already on the records`);
      if (members.length === 0) throw new HttpProblem('conflict', `${community.name} has no worker to assess for ${body.year}`);
      const input: CaseGroupInput = {
        groupId,
        kind: 'annual-assessment',
        orgUnitId: community.id,
        year: body.year,
        openedBy: caller.id,
        openedAt: new Date().toISOString(),
        members,
      };
      await startCaseGroup(temporal, input);
      return service.get(caller, groupId);
    },

    async get(caller: Caller, groupId: string) {
      const { group } = await visibleAssessment(caller, groupId);
      return view(caller, group);
    },

    /** 述职: the worker's self-report, recorded at their case's first stage. */
    async selfReport(caller: Caller, groupId: string, body: z.infer<typeof selfReportBody>, idempotencyKey?: string) {
      const { group } = await visibleAssessment(caller, groupId);
      const m = memberOf(group, body.workerId);
      await cases.act(caller, m.caseId, { action: 'approve', data: { report: body.report } }, idempotencyKey);
      return service.get(caller, groupId);
    },

    /** 民主测评: scores from the score sheets, each with who gave it, kept on the group until the list is proposed. */
    async scores(caller: Caller, groupId: string, body: z.infer<typeof scoresBody>, idempotencyKey?: string) {
      const { group, path } = await visibleAssessment(caller, groupId);
      if (!policy.canSubmitFor(caller, path)) throw forbidden('the 民主测评 scores are recorded by a clerk of the community');
      memberOf(group, body.workerId);
      const recordedAt = new Date().toISOString();
      const entries: EvaluationScoreEntry[] = body.scores.map((s) => ({ ...s, recordedBy: caller.id, recordedAt }));
      await callTemporal(
        temporal,
        () =>
          handle(groupId).executeUpdate(assessmentScoresUpdate, {
            args: [body.workerId, entries],
            ...(idempotencyKey ? { updateId: `scores:${idempotencyKey}` } : {}),
          }),
        { workflowId: groupId },
      );
      return service.get(caller, groupId);
    },

    /**
     * The evaluation group's proposal for the whole list: checked against the rule set (the 优秀 cap, a reason for
     * the weak results), recorded once on the group, which delivers it to each case (its 民主测评 tally, then the
     * proposed result), also to a case whose 述职 comes later. Sent again by someone else (the same list), the
     * cases that refused the first sender (their own case) get it from them. Assessments opened before
     * assessment-forwarding are forwarded from here, and sending it again finishes what was left undone.
     */
    async propose(caller: Caller, groupId: string, body: z.infer<typeof proposalBody>) {
      const { group, path } = await visibleAssessment(caller, groupId);
      if (!policy.canActOnCases(caller)) throw forbidden('your roles do not include acting on cases');
      const itself = forwardsItself(group.assessment);
      if (itself) mayTake(caller, 'proposal', path);
      const named = new Set(body.results.map((r) => r.workerId));
      const missing = group.members.filter((m) => !named.has(m.workerId)).map((m) => m.workerId);
      for (const [i, r] of body.results.entries()) memberOf(group, r.workerId, `results.${i}.workerId`);
      if (missing.length > 0)
        throw invalid(`results: no result proposed for ${missing.join(', ')}`, [
          { field: 'results', message: `missing ${missing.join(', ')}` },
        ]);
      const problems = proposalProblems(body.results, ruleSet.annualAssessment);
      if (problems.length > 0) {
        const cap = problems.find((p) => p.code === 'assessment.excellent-share');
        const excellent = body.results.filter((r) => r.result === 'excellent').length;
        throw new HttpProblem(
          'business-rule',
          problems.map((p) => (p.workerId ? `${p.workerId}: ${p.message.en}` : p.message.en)).join('; '),
          {
            rule: cap ? 'annualAssessment.excellentShare' : 'annualAssessment.reasonRequired',
            ...(cap
              ? { excellent, assessed: body.results.length, share: ruleSet.annualAssessment.excellentShare }
              : { missingReason: problems.map((p) => p.workerId) }),
            reasons: problems.map((p) => ({ code: p.code, workerId: p.workerId, message: p.message })),
          },
        );
      }
      const unscored = group.members.filter(
        (m) => (group.assessment.scores[m.workerId] ?? []).length === 0 && group.assessment.proposal === null,
      );
      if (unscored.length > 0)
        throw new HttpProblem('conflict', `no 民主测评 score is recorded for ${unscored.map((m) => m.workerId).join(', ')}`);
      const proposal = { results: body.results, recordedBy: caller.id, recordedAt: new Date().toISOString() };
      const state = await callTemporal(
        temporal,
        () => handle(groupId).executeUpdate(assessmentProposalUpdate, { args: [proposal, ruleSet.annualAssessment.evaluationWeights] }),
        { workflowId: groupId },
      );
      if (itself) return { assessment: await service.get(caller, groupId), items: deliveries(state, ['evaluation', 'proposal']) };
      // Assessments opened before the group forwarded its steps: from here, each case as the caller.
      const scores = state.assessment?.scores ?? {};
      const rows = await Promise.all(group.members.map(async (m) => ({ m, row: await store.cases.visible(caller, m.caseId) })));
      const evaluation = rows
        .filter(({ row }) => row?.readModel.stage?.id === 'evaluation')
        .map(({ m }) => {
          const sheet = scores[m.workerId] ?? [];
          return {
            workerId: m.workerId,
            caseId: m.caseId,
            stage: 'evaluation',
            data: {
              score: evaluationScore(sheet, ruleSet.annualAssessment.evaluationWeights) ?? 0,
              evaluators: sheet.length,
              scoresRef: `case-groups/${groupId}#scores/${m.workerId}`,
            },
          };
        });
      const first = await forward(caller, evaluation, `${groupId}:evaluation`);
      const refused = new Set(first.filter((i) => !i.recorded).map((i) => i.caseId));
      const results = new Map(body.results.map((r) => [r.workerId, r]));
      const after = await Promise.all(group.members.map(async (m) => ({ m, row: await store.cases.visible(caller, m.caseId) })));
      const proposing = after
        .filter(
          ({ m, row }) =>
            !refused.has(m.caseId) && (row?.readModel.stage?.id === 'proposal' || evaluation.some((e) => e.caseId === m.caseId)),
        )
        .map(({ m }) => {
          const r = results.get(m.workerId);
          return {
            workerId: m.workerId,
            caseId: m.caseId,
            stage: 'proposal',
            data: { result: r?.result as string, ...(r?.reason ? { reason: r.reason } : {}) },
          };
        });
      const second = await forward(caller, proposing, `${groupId}:proposal`);
      return { assessment: await service.get(caller, groupId), items: [...first.filter((i) => !i.recorded), ...second] };
    },

    /**
     * The street party committee confirms the proposed results: recorded once on the group, which delivers it to
     * each case's confirmation stage (older assessments: forwarded from here to the cases at that stage).
     */
    async confirm(caller: Caller, groupId: string, body: z.infer<typeof confirmationBody>) {
      const { group, path } = await visibleAssessment(caller, groupId);
      if (group.assessment.proposal === null) throw new HttpProblem('conflict', 'no list is proposed yet');
      if (forwardsItself(group.assessment)) {
        if (!policy.canActOnCases(caller)) throw forbidden('your roles do not include acting on cases');
        mayTake(caller, 'street-confirmation', path);
        const confirmation = {
          recordedBy: caller.id,
          recordedAt: new Date().toISOString(),
          ...(body.comment ? { comment: body.comment } : {}),
        };
        const state = await callTemporal(
          temporal,
          () => handle(groupId).executeUpdate(assessmentConfirmedUpdate, { args: [confirmation] }),
          { workflowId: groupId },
        );
        return { assessment: await service.get(caller, groupId), items: deliveries(state, ['street-confirmation']) };
      }
      const rows = await Promise.all(group.members.map(async (m) => ({ m, row: await store.cases.visible(caller, m.caseId) })));
      const due = rows.filter(({ row }) => row?.readModel.stage?.id === 'street-confirmation');
      if (due.length === 0) throw new HttpProblem('conflict', 'no case of the assessment is at the street’s confirmation');
      const items = await forward(
        caller,
        due.map(({ m }) => ({
          workerId: m.workerId,
          caseId: m.caseId,
          stage: 'street-confirmation',
          ...(body.comment ? { comment: body.comment } : {}),
        })),
        `${groupId}:confirmation`,
      );
      return { assessment: await service.get(caller, groupId), items };
    },

    /**
     * Each worker is told in writing: the review period (the rule set's assessment.review) runs from now, recorded
     * once on the group, which tells each case (older assessments: forwarded from here; sent again, it finishes
     * telling those not yet told). The period is the first notice's.
     */
    async notify(caller: Caller, groupId: string) {
      const { group, path } = await visibleAssessment(caller, groupId);
      if (!policy.canActOnCases(caller)) throw forbidden('your roles do not include acting on cases');
      if (forwardsItself(group.assessment)) {
        mayTake(caller, 'notification', path);
        // The group tells each case once it is confirmed there, also a case that gets there later.
        if (!group.assessment.confirmation) throw new HttpProblem('conflict', 'the list is not confirmed by the street yet');
        const notice = await noticeAsOfNow(caller);
        const state = await callTemporal(temporal, () => handle(groupId).executeUpdate(assessmentNotifiedUpdate, { args: [notice] }), {
          workflowId: groupId,
        });
        return { assessment: await service.get(caller, groupId), items: deliveries(state, ['notification']) };
      }
      const rows = await Promise.all(group.members.map(async (m) => ({ m, row: await store.cases.visible(caller, m.caseId) })));
      const before = rows.filter(
        ({ row }) => !row || ['self-report', 'evaluation', 'proposal', 'street-confirmation'].includes(row.readModel.stage?.id ?? ''),
      );
      if (before.length > 0)
        throw new HttpProblem('conflict', `not yet confirmed by the street: ${before.map(({ m }) => m.workerId).join(', ')}`);
      const notice = await noticeAsOfNow(caller);
      const state = await callTemporal(temporal, () => handle(groupId).executeUpdate(assessmentNotifiedUpdate, { args: [notice] }), {
        workflowId: groupId,
      });
      const notification = state.assessment?.notification;
      if (!notification) throw new Error('the group answered without its notification');
      const due = rows.filter(({ row }) => row?.readModel.stage?.id === 'notification');
      const items = await forward(
        caller,
        due.map(({ m }) => ({
          workerId: m.workerId,
          caseId: m.caseId,
          stage: 'notification',
          data: { notifiedOn: localDate(new Date(notification.notifiedAt)), reviewEndsAt: notification.reviewEndsAt },
        })),
        `${groupId}:notification`,
      );
      return { assessment: await service.get(caller, groupId), items };
    },

    /**
     * A review (复核) asked for within the period opens an appeal linked to the worker's assessment case; after
     * the period it is refused, naming the period's end.
     */
    async requestReview(caller: Caller, groupId: string, body: z.infer<typeof reviewRequestBody>, idempotencyKey?: string) {
      const { group } = await visibleAssessment(caller, groupId);
      const m = memberOf(group, body.workerId);
      const notification = group.assessment.notification;
      const row = await store.cases.visible(caller, m.caseId);
      if (!notification || row?.status !== 'completed')
        throw new HttpProblem('conflict', `${body.workerId} has not been told of a confirmed result yet: there is nothing to review`);
      if (Date.now() > Date.parse(notification.reviewEndsAt))
        throw new HttpProblem('business-rule', `the review period ended at ${notification.reviewEndsAt}`, {
          rule: 'periods.assessment.review',
          periodEnd: notification.reviewEndsAt,
          notifiedAt: notification.notifiedAt,
          reasons: [
            {
              code: 'assessment.review-period',
              message: {
                zh: `复核申请期限已于${notification.reviewEndsAt}届满`,
                en: `the review period ended at ${notification.reviewEndsAt}`,
              },
            },
          ],
        });
      return cases.submit(
        caller,
        { type: 'appeal', subjectId: body.workerId, payload: { appealOf: m.caseId, ground: 'assessment', reason: body.reason } },
        idempotencyKey,
      );
    },

    /**
     * After an upheld review the street party committee decides the result again: a new row on the records naming
     * the review (the assessment case's history is not changed).
     */
    async correct(caller: Caller, groupId: string, body: z.infer<typeof correctionBody>) {
      const { group, path } = await visibleAssessment(caller, groupId);
      const m = memberOf(group, body.workerId);
      let committee = false;
      for (const r of caller.roles.filter((g) => g.role === 'approver' && path.startsWith(g.orgPath) && g.orgLevel === 'street')) {
        if ((await store.orgUnits.get(r.orgUnitId))?.departmentType === 'party_committee') committee = true;
      }
      if (!committee) throw forbidden('a corrected result is decided by the street party committee');
      const problems = proposalProblems([{ workerId: body.workerId, result: body.result, reason: body.reason }], {
        ...ruleSet.annualAssessment,
        // One result alone: the cap was checked on the list; only the reason is asked here.
        excellentShare: { numerator: 1, denominator: 1, strict: false },
      });
      if (problems.length > 0)
        throw new HttpProblem('business-rule', problems.map((p) => p.message.en).join('; '), {
          rule: 'annualAssessment.reasonRequired',
          reasons: problems.map((p) => ({ code: p.code, workerId: p.workerId, message: p.message })),
        });
      const done = await store.assessments.recordCorrection({
        caseId: m.caseId,
        workerId: body.workerId,
        year: group.year,
        result: body.result,
        recordedBy: caller.id,
      });
      if (!done) throw new HttpProblem('conflict', `no upheld review of ${m.caseId}: its result stands`);
      if (!done.created && done.row.result !== body.result)
        throw new HttpProblem('conflict', `the ${group.year} result of ${body.workerId} is already on the records (${done.row.result})`);
      return {
        workerId: body.workerId,
        year: group.year,
        result: done.row.result,
        appealCaseId: done.appealCaseId,
        recordedBy: done.row.recordedBy,
      };
    },

    /** The annual assessments a worker was in, with their case (the records API). */
    async ofWorker(caller: Caller, workerId: string) {
      const worker = await store.personnel.entry(workerId);
      if (!worker || !policy.canReadWorker(caller, worker.orgPath)) throw notFound('worker');
      const groups = await store.caseGroups.ofWorker(workerId, 'annual-assessment');
      const items = [];
      for (const g of groups) {
        const row = await store.cases.visible(caller, g.caseId);
        const recorded = await store.assessments.resultOf(workerId, g.year);
        const entry = g.assessment?.entered?.find((e) => e.workerId === workerId) ?? null;
        items.push({
          groupId: g.groupId,
          year: g.year,
          orgUnitId: g.orgUnitId,
          stage: g.stage,
          caseId: g.caseId,
          status: row?.status ?? 'opening',
          confirmed: row?.status === 'completed' ? row.outcome : null,
          reviewEndsAt: g.assessment?.notification?.reviewEndsAt ?? null,
          entry,
          recorded: recorded ? { result: recorded.result, recordedBy: recorded.recordedBy } : null,
        });
      }
      return items;
    },
  };
  return service;
}

export type AssessmentService = ReturnType<typeof createAssessmentService>;
