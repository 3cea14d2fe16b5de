import {
  ApplicationFailure,
  ParentClosePolicy,
  WorkflowIdReusePolicy,
  condition,
  defineQuery,
  defineUpdate,
  proxyActivities,
  setHandler,
  startChild,
  allHandlersFinished,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CaseGroupDecision, CaseGroupInput, CaseGroupMemberState, CaseGroupState } from '../domain/case-groups';
import { caseWorkflow } from './case';
import type { CaseRequest } from './messages';

/**
 * The parent of a group of cases decided together (issue #17): a street's yearly promotion round (年度晋升), and
 * the home the annual assessment reuses. The parent starts one case per person as a child workflow (the case
 * type's own workflow, which runs and closes on its own: the children outlive a parent that is terminated), keeps
 * the one decision that covers the list (recorded once, here, and referenced from each case's own history by the
 * service that forwards it), and follows each child to its end, so the group shows who is still in it.
 */

const { recordCaseGroup } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds' },
});

/** Resolves once the group and its members' cases are on record and started. */
export const groupOpenedUpdate = defineUpdate<CaseGroupState, []>('group-opened');
/** The one decision that covers the list (集体研究决定); the same decision again answers as the first. */
export const groupDecisionUpdate = defineUpdate<CaseGroupState, [decision: CaseGroupDecision]>('group-decision');
export const groupStateQuery = defineQuery<CaseGroupState>('group-state');

export async function caseGroupWorkflow(input: CaseGroupInput): Promise<CaseGroupState> {
  const state: CaseGroupState = {
    groupId: input.groupId,
    kind: input.kind,
    orgUnitId: input.orgUnitId,
    year: input.year,
    stage: 'recommendation',
    decision: null,
    members: input.members.map((m): CaseGroupMemberState => ({ workerId: m.workerId, caseId: m.caseId, ended: null })),
  };
  let opened = false;
  const record = () =>
    recordCaseGroup({
      groupId: state.groupId,
      kind: state.kind,
      orgUnitId: state.orgUnitId,
      year: state.year,
      stage: state.stage,
      decision: state.decision,
      openedBy: input.openedBy,
      members: state.members.map((m) => ({ workerId: m.workerId, caseId: m.caseId })),
    });

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
      }
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
  state.stage = 'closed';
  await record();
  await condition(allHandlersFinished);
  return state;
}
