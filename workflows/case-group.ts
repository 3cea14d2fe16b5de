import {
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  sleep,
  startChild,
  allHandlersFinished,
  patched,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { evaluationScore } from '../domain/annual-assessment';
import { localDate } from '../domain/calendar';
import {
  SENT_WITH,
  decisionReference,
  type AssessmentConfirmation,
  type AssessmentNotification,
  type AssessmentSending,
  type AssessmentStep,
  type AssessmentProposal,
  type CaseGroupDecision,
  type CaseGroupInput,
  type CaseGroupMemberState,
  type CaseGroupState,
  type EvaluationScoreEntry,
} from '../domain/case-groups';
import type { AnnualAssessmentRules } from '../domain/rules/rule-set';
import { ASSESSMENT_FORWARDING_PATCH, ROUND_FORWARDING_PATCH, caseWorkflow } from './case';
import type { CaseRequest } from './messages';

/**
 * The parent of a group of cases decided together (issue #17): a street's yearly promotion round (年度晋升), and
 * the home the annual assessment reuses. The parent starts one case per person as a child workflow (the case
 * type's own workflow, which runs and closes on its own: the children outlive a parent that is terminated), keeps
 * the one decision that covers the list (recorded once, here, and referenced from each case's own history), and
 * follows each child to its end, so the group shows who is still in it.
 *
 * Since `round-forwarding` the parent itself delivers the decision to each case (an API that died half-way
 * through forwarding it left some cases without it until someone sent it again); rounds started before it replay
 * unchanged, and their API still forwards it (services/case-groups.ts). Since `assessment-forwarding` an annual
 * assessment does the same with its steps: the proposal (each case's 民主测评 tally, then its proposed result),
 * the street's confirmation and the notice are recorded once here and delivered to each case by the workflow,
 * also to a case that reaches the step's stage later. Assessments started before it are forwarded by their API.
 */

/**
 * How long the decision's Update waits for the first deliveries before it answers, well within the API's
 * Temporal deadline (TEMPORAL_RPC_TIMEOUT_MS); deliveries still going on are answered as pending.
 */
const FIRST_DELIVERIES_WAIT = '3 seconds';

const { recordCaseGroup, enterAssessmentResults } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

// A case not yet at its decision stage (still recommended, returned to the clerk) is tried again until it is, for
// as long as the case runs: retries add nothing to the history, and a minute apart at most they cost little while
// the decision reaches a resubmitted case within a minute.
const { deliverGroupDecision, deliverAssessmentStep } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Resolves once the group and its members' cases are on record and started. */
export const groupOpenedUpdate = defineUpdate<CaseGroupState, []>('group-opened');
/** The one decision that covers the list (集体研究决定); the same decision again answers as the first. */
export const groupDecisionUpdate = defineUpdate<CaseGroupState, [decision: CaseGroupDecision]>('group-decision');
export const groupStateQuery = defineQuery<CaseGroupState>('group-state');

/*
 * An annual assessment's own steps (kind annual-assessment; a round never receives them, so what a round does is
 * unchanged). The service checks each against the rules before it sends it; the group keeps what covers the list.
 */
/** 民主测评 scores kept for one worker at most (a community's representatives and colleagues are far fewer). */
export const SCORES_PER_WORKER_MAX = 500;
/** 民主测评 scores for one worker, added to those recorded before; refused once the list is proposed. */
export const assessmentScoresUpdate = defineUpdate<CaseGroupState, [workerId: string, scores: EvaluationScoreEntry[]]>('assessment-scores');
/**
 * The evaluation group's proposal (already checked against the 优秀 cap and the reasons); the first one stands. With
 * it the rule set's 民主测评 weights, with which the group tallies each case's scores (assessment-forwarding).
 */
export const assessmentProposalUpdate = defineUpdate<
  CaseGroupState,
  [proposal: AssessmentProposal, weights?: AnnualAssessmentRules['evaluationWeights']]
>('assessment-proposal');
/** The street party committee confirms the proposed list (assessment-forwarding); the first confirmation stands. */
export const assessmentConfirmedUpdate = defineUpdate<CaseGroupState, [confirmation: AssessmentConfirmation]>('assessment-confirmed');
/** The workers were told: the review period runs to reviewEndsAt; the first notification stands. */
export const assessmentNotifiedUpdate = defineUpdate<CaseGroupState, [notification: AssessmentNotification]>('assessment-notified');

export async function caseGroupWorkflow(input: CaseGroupInput): Promise<CaseGroupState> {
  const forwards = patched(ROUND_FORWARDING_PATCH);
  const forwardsSteps = input.kind === 'annual-assessment' && patched(ASSESSMENT_FORWARDING_PATCH);
  const state: CaseGroupState = {
    groupId: input.groupId,
    kind: input.kind,
    orgUnitId: input.orgUnitId,
    year: input.year,
    stage: input.kind === 'annual-assessment' ? 'evaluation' : 'recommendation',
    decision: null,
    members: input.members.map((m): CaseGroupMemberState => ({ workerId: m.workerId, caseId: m.caseId, ended: null })),
    ...(input.kind === 'annual-assessment'
      ? {
          assessment: {
            scores: {},
            proposal: null,
            notification: null,
            entered: null,
            ...(forwardsSteps ? { confirmation: null, senders: { proposal: [], confirmation: [], notification: [] } } : {}),
          },
        }
      : {}),
    ...(forwards ? { forwardsDecision: true as const } : {}),
  };
  let opened = false;
  /** The 民主测评 weights the proposal came with: the tally delivered to each case. */
  let weights: AnnualAssessmentRules['evaluationWeights'] | undefined;
  /** The decision is on the group's record: only then do the cases get it, and reference it. */
  let decisionRecorded = false;
  const write = () =>
    recordCaseGroup({
      groupId: state.groupId,
      kind: state.kind,
      orgUnitId: state.orgUnitId,
      year: state.year,
      stage: state.stage,
      decision: state.decision,
      openedBy: input.openedBy,
      members: state.members.map((m) => ({ workerId: m.workerId, caseId: m.caseId })),
      ...(state.assessment ? { assessment: state.assessment } : {}),
    });
  // An assessment's updates come in parallel (scores for several workers at once): its writes go one after
  // the other, each with the state as it is then, so an older write never lands last. A round writes as it did.
  let writing: Promise<void> = Promise.resolve();
  const record = (): Promise<void> => {
    if (!state.assessment) return write();
    writing = writing.then(write);
    return writing;
  };

  setHandler(groupStateQuery, () => state);
  setHandler(groupOpenedUpdate, async () => {
    await condition(() => opened);
    return state;
  });
  setHandler(
    groupDecisionUpdate,
    async (decision) => {
      if (state.decision === null) {
        state.decision = decision;
        state.stage = 'notice';
        await record();
        decisionRecorded = true;
      }
      // The first answer says which cases have it already; a case that is not at its stage yet gets it later.
      if (forwards)
        await condition(
          () => state.members.every((m) => m.delivery !== undefined && m.delivery.status !== 'pending'),
          FIRST_DELIVERIES_WAIT,
        );
      return state;
    },
    {
      validator: (decision: CaseGroupDecision) => {
        if (!opened) throw ApplicationFailure.create({ type: 'conflict', message: 'the group is still opening', nonRetryable: true });
        if (state.decision !== null && state.decision.meetingDate !== decision.meetingDate)
          throw ApplicationFailure.create({
            type: 'conflict',
            message: `the list was already decided at the meeting of ${state.decision.meetingDate}`,
            nonRetryable: true,
          });
      },
    },
  );

  const assessing = () => {
    if (!state.assessment)
      throw ApplicationFailure.create({ type: 'conflict', message: 'this group is not an annual assessment', nonRetryable: true });
    if (!opened) throw ApplicationFailure.create({ type: 'conflict', message: 'the assessment is still opening', nonRetryable: true });
    return state.assessment;
  };
  setHandler(
    assessmentScoresUpdate,
    async (workerId, scores) => {
      const progress = assessing();
      progress.scores[workerId] = [...(progress.scores[workerId] ?? []), ...scores];
      await record();
      return state;
    },
    {
      validator: (workerId: string, scores: EvaluationScoreEntry[]) => {
        const progress = assessing();
        if (!state.members.some((m) => m.workerId === workerId))
          throw ApplicationFailure.create({ type: 'not-found', message: `${workerId} is not assessed in this group`, nonRetryable: true });
        if (progress.proposal !== null)
          throw ApplicationFailure.create({
            type: 'conflict',
            message: 'the list is proposed: the 民主测评 is closed',
            nonRetryable: true,
          });
        // Each call is bounded; so is what they add up to, which the group keeps in its state and its row.
        const held = progress.scores[workerId]?.length ?? 0;
        if (held + scores.length > SCORES_PER_WORKER_MAX)
          throw ApplicationFailure.create({
            type: 'invalid',
            message: `${workerId} has ${held} scores recorded; at most ${SCORES_PER_WORKER_MAX} in all`,
            nonRetryable: true,
          });
      },
    },
  );
  setHandler(
    assessmentProposalUpdate,
    async (proposal, tallyWeights) => {
      const progress = assessing();
      if (progress.proposal === null) {
        progress.proposal = proposal;
        state.stage = 'confirmation';
        weights = tallyWeights;
        progress.senders?.proposal.push(proposal.recordedBy);
        await record();
      } else if (sendsAgain('proposal', proposal.recordedBy)) await record();
      await firstDeliveries(['evaluation', 'proposal']);
      return state;
    },
    {
      validator: (proposal: AssessmentProposal, tallyWeights?: AnnualAssessmentRules['evaluationWeights']) => {
        const progress = assessing();
        if (progress.senders && progress.proposal === null && !tallyWeights)
          throw ApplicationFailure.create({ type: 'invalid', message: 'the proposal comes with the 民主测评 weights', nonRetryable: true });
        const unnamed = state.members.filter((m) => !proposal.results.some((r) => r.workerId === m.workerId));
        if (progress.senders && progress.proposal === null && unnamed.length > 0)
          throw ApplicationFailure.create({
            type: 'invalid',
            message: `no result proposed for ${unnamed.map((m) => m.workerId).join(', ')}`,
            nonRetryable: true,
          });
        const same = (a: AssessmentProposal['results'], b: AssessmentProposal['results']) => JSON.stringify(a) === JSON.stringify(b);
        if (progress.proposal !== null && !same(progress.proposal.results, proposal.results))
          throw ApplicationFailure.create({
            type: 'conflict',
            message: `a different list was already proposed by ${progress.proposal.recordedBy} at ${progress.proposal.recordedAt}`,
            nonRetryable: true,
          });
      },
    },
  );
  setHandler(
    assessmentNotifiedUpdate,
    async (notification) => {
      const progress = assessing();
      if (progress.notification === null) {
        progress.notification = notification;
        state.stage = 'review';
        progress.senders?.notification.push(notification.recordedBy);
        await record();
      } else if (sendsAgain('notification', notification.recordedBy)) await record();
      await firstDeliveries(['notification']);
      return state;
    },
    {
      validator: (_notification: AssessmentNotification) => {
        const progress = assessing();
        if (progress.proposal === null)
          throw ApplicationFailure.create({ type: 'conflict', message: 'no list is proposed yet', nonRetryable: true });
        if (progress.senders && !progress.confirmation)
          throw ApplicationFailure.create({ type: 'conflict', message: 'the list is not confirmed by the street yet', nonRetryable: true });
      },
    },
  );
  setHandler(
    assessmentConfirmedUpdate,
    async (confirmation) => {
      const progress = assessing();
      if (!progress.confirmation) {
        progress.confirmation = confirmation;
        progress.senders?.confirmation.push(confirmation.recordedBy);
        await record();
      } else if (sendsAgain('confirmation', confirmation.recordedBy)) await record();
      await firstDeliveries(['street-confirmation']);
      return state;
    },
    {
      validator: (_confirmation: AssessmentConfirmation) => {
        const progress = assessing();
        if (!progress.senders)
          throw ApplicationFailure.create({
            type: 'conflict',
            message: 'this assessment predates its confirmation on the group: each case is confirmed through the API',
            nonRetryable: true,
          });
        if (progress.proposal === null)
          throw ApplicationFailure.create({ type: 'conflict', message: 'no list is proposed yet', nonRetryable: true });
      },
    },
  );

  /**
   * The same record sent again by someone else while a case has not got it (a case refused the one it was
   * delivered as: the secretary is recused from their own case): they are the next to deliver it as. Sent again by
   * one already named, or once every case has it, nothing is recorded.
   */
  function sendsAgain(sending: AssessmentSending, by: string): boolean {
    const senders = state.assessment?.senders?.[sending];
    if (!senders || senders.includes(by)) return false;
    const steps = (Object.keys(SENT_WITH) as AssessmentStep[]).filter((step) => SENT_WITH[step] === sending);
    if (state.members.every((m) => m.ended !== null || steps.every((step) => m.steps?.[step]?.status === 'delivered'))) return false;
    senders.push(by);
    return true;
  }
  /** The first answer to a step says which cases have it already; a case that is not at its stage yet gets it later. */
  async function firstDeliveries(steps: AssessmentStep[]) {
    if (!forwardsSteps) return;
    const settled = (m: CaseGroupMemberState) =>
      m.ended !== null ||
      steps.some((step) => m.steps?.[step]?.status === 'not-delivered') ||
      steps.every((step) => m.steps?.[step]?.status === 'delivered');
    await condition(() => state.members.every(settled), FIRST_DELIVERIES_WAIT);
  }

  await record();
  const children = [];
  for (const member of input.members) {
    const request: CaseRequest = {
      caseId: member.caseId,
      type: member.type,
      subjectId: member.workerId,
      payload: member.payload,
      applicantId: input.openedBy,
      submittedAt: input.openedAt,
    };
    children.push(
      startChild(caseWorkflow, {
        workflowId: member.caseId,
        args: [request],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      }),
    );
  }
  const handles = await Promise.all(children);
  opened = true;

  /**
   * Delivers the decision, once taken, to each member's case until each has it (or ended, or was decided without
   * it): the activity's retries try a case again until it is at its decision stage; its Update id records the
   * decision at most once however often an attempt is repeated.
   */
  const forwarding = async () => {
    await condition(() => decisionRecorded);
    const decision = state.decision as CaseGroupDecision;
    await Promise.all(
      state.members.map(async (member) => {
        if (member.ended) {
          member.delivery = { status: 'not-delivered', reason: `the case ended (${member.ended.status}) before the decision` };
          return;
        }
        member.delivery = { status: 'pending' };
        member.delivery = await deliverGroupDecision({
          groupId: state.groupId,
          kind: state.kind,
          caseId: member.caseId,
          decision,
          reference: decisionReference(state.groupId),
        });
      }),
    );
  };
  /**
   * Delivers one step to a member's case as the first of its record's senders, then (refused by the case at the
   * stage) as each one who sent it again; the activity's retries wait until the case is at the stage. False once
   * the case ended: its later steps are not delivered.
   */
  const deliverStep = async (
    member: CaseGroupMemberState,
    step: AssessmentStep,
    content: () => { data?: Record<string, string | number>; comment?: string },
  ): Promise<boolean> => {
    const steps = (member.steps ??= {});
    const senders = (state.assessment?.senders as Record<AssessmentSending, string[]>)[SENT_WITH[step]];
    for (let tried = 0; ; tried++) {
      await condition(() => senders.length > tried || member.ended !== null);
      if (member.ended) {
        steps[step] = { status: 'not-delivered', reason: `the case ended (${member.ended.status}) before the step reached it` };
        return false;
      }
      steps[step] = { status: 'pending' };
      const result = await deliverAssessmentStep({
        groupId: state.groupId,
        caseId: member.caseId,
        step,
        senderId: senders[tried] as string,
        ...content(),
      });
      steps[step] = result;
      // Delivered, or the case's stage went on without it: its next step.
      if (result.status !== 'not-delivered' || !result.refused) return result.status === 'delivered' || member.ended === null;
    }
  };
  const forwardSteps = async (member: CaseGroupMemberState) => {
    const progress = state.assessment as NonNullable<CaseGroupState['assessment']>;
    const sheet = () => progress.scores[member.workerId] ?? [];
    const proposed = () => progress.proposal?.results.find((r) => r.workerId === member.workerId);
    const told = () => progress.notification as AssessmentNotification;
    const ok =
      (await deliverStep(member, 'evaluation', () => ({
        data: {
          score: (weights && evaluationScore(sheet(), weights)) ?? 0,
          evaluators: sheet().length,
          scoresRef: `case-groups/${state.groupId}#scores/${member.workerId}`,
        },
      }))) &&
      (await deliverStep(member, 'proposal', () => {
        // The validator saw every member named.
        const r = proposed() as AssessmentProposal['results'][number];
        return { data: { result: r.result, ...(r.reason ? { reason: r.reason } : {}) } };
      })) &&
      (await deliverStep(member, 'street-confirmation', () => {
        const comment = progress.confirmation?.comment;
        return comment ? { comment } : {};
      }));
    if (ok)
      await deliverStep(member, 'notification', () => ({
        data: { notifiedOn: localDate(new Date(told().notifiedAt)), reviewEndsAt: told().reviewEndsAt },
      }));
  };
  const allEnded = () => condition(() => state.members.every((m) => m.ended !== null));
  // A round whose members all end before any decision closes without one; so does an assessment's forwarding.
  const delivered = forwards ? Promise.race([forwarding(), allEnded()]) : undefined;
  const stepsDelivered = forwardsSteps ? Promise.race([Promise.all(state.members.map(forwardSteps)), allEnded()]) : undefined;

  // Each child ends on its own: approved, rejected (an upheld objection removes that one person), withdrawn.
  await Promise.all(
    handles.map(async (handle, i) => {
      const member = state.members[i] as CaseGroupMemberState;
      try {
        const result = await handle.result();
        member.ended = { status: result.status, outcome: result.outcome ?? null };
      } catch (err) {
        member.ended = { status: 'failed', outcome: (err as Error).message.slice(0, 500) };
      }
    }),
  );
  await delivered;
  await stepsDelivered;
  if (state.assessment) {
    // The results enter the records when the review period is over (a case that did not complete has none);
    // a worker whose review is open is held, and the review's decision enters theirs.
    const progress = state.assessment;
    const notified = progress.notification;
    if (notified) {
      const left = Date.parse(notified.reviewEndsAt) - Date.now();
      if (left > 0) await sleep(left);
    }
    progress.entered = await enterAssessmentResults({ groupId: state.groupId, year: state.year, members: state.members });
  }
  state.stage = 'closed';
  await record();
  await condition(allHandlersFinished);
  return state;
}
