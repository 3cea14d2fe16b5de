import { Context } from '@temporalio/activity';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  DECISION_STAGE,
  undelivered,
  type AssessmentEntry,
  type AssessmentStep,
  type CaseGroupDecision,
  type CaseGroupKind,
  type CaseGroupMemberState,
  type DecisionDelivery,
} from '../domain/case-groups';
import type { CaseCommand } from '../domain/process/commands';
import type { Store } from '../store';
import { isUnprocessedUpdate } from '../infra/temporal-connection';
import type { CaseGroupRow } from '../store/case-groups';
import { actUpdate, stateQuery } from '../workflows/messages';

export interface GroupDecisionDelivery {
  groupId: string;
  kind: CaseGroupKind;
  caseId: string;
  decision: CaseGroupDecision;
  /** How the case's history names the decision kept on the group (the meeting record's data). */
  reference: string;
}

export interface AssessmentStepDelivery {
  groupId: string;
  caseId: string;
  /** The case stage the step is recorded at. */
  step: AssessmentStep;
  /** Whom it is recorded as: who sent the group's record (or sent it again). */
  senderId: string;
  data?: Record<string, string | number>;
  comment?: string;
}

/**
 * Sends one action to a member's case under one Update id: delivered, or not (the case ended, its stage was decided
 * without the group's record, or it refused the action at the stage: `refused`); a case not yet at the stage fails
 * the attempt, which the workflow's retry policy tries again until it is.
 */
async function deliver(caseId: string, command: CaseCommand, updateId: string, stage: string, what: string): Promise<DecisionDelivery> {
  const handle = Context.current().client.workflow.getHandle(caseId);
  const ended: DecisionDelivery = { status: 'not-delivered', reason: 'the case ended before the decision reached it' };
  // A refusal is judged by the case's state read after it, which may be newer: a case refused while still returned
  // can be back at the stage by the time it is read. So a refusal the state does not explain as waiting is sent once
  // more, and only a second refusal is the case's own answer at the stage.
  for (let sent = 1; ; sent++) {
    try {
      await handle.executeUpdate(actUpdate, { args: [command, { requestedAt: new Date().toISOString() }], updateId });
      return { status: 'delivered' };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return ended;
      // Anything but the case's own refusal (Temporal unreachable, an Update the worker did not take): the attempt
      // fails and is tried again.
      // A case busy with a local activity drops the Update unprocessed (isUnprocessedUpdate): not a refusal either.
      const refusal = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure ? err.cause : null;
      if (!refusal || !refusal.nonRetryable || isUnprocessedUpdate(err)) throw err;
      const state = await handle.query(stateQuery).catch((queryErr: unknown) => {
        if (queryErr instanceof WorkflowNotFoundError) return null;
        throw queryErr;
      });
      if (!state) return ended;
      const verdict = undelivered(state, stage, refusal.message, what);
      if (verdict.wait) throw ApplicationFailure.retryable(`${caseId}: ${verdict.reason}`, 'not-yet');
      if ('refused' in verdict && verdict.refused && sent === 1) continue;
      return {
        status: 'not-delivered',
        reason: verdict.reason,
        ...('refused' in verdict && verdict.refused ? { refused: true as const } : {}),
      };
    }
  }
}

/** The parent workflow of a case group writes the group as it holds it, and delivers its decision and steps (workflows/case-group.ts). */
export function createCaseGroupActivities({ store }: { store: Pick<Store, 'caseGroups' | 'assessments' | 'users'> }) {
  return {
    /** An annual assessment's review period is over: each member's result enters the records, or is held by its review. */
    async enterAssessmentResults(input: { groupId: string; year: number; members: CaseGroupMemberState[] }): Promise<AssessmentEntry[]> {
      return store.assessments.enter(input.year, input.members);
    },
    async recordCaseGroup(group: CaseGroupRow): Promise<void> {
      await store.caseGroups.record(group);
    },

    /**
     * Records the group's decision in one member's case, as the meeting record of its decision stage by whoever
     * recorded the decision (their roles as the directory has them now, as an action through the API). One
     * Update id per case and decision, so a retried delivery records it at most once. A case not yet at its
     * decision stage fails the attempt (retryable): the workflow's retry policy tries it again until it is.
     */
    async deliverGroupDecision({ groupId, kind, caseId, decision, reference }: GroupDecisionDelivery): Promise<DecisionDelivery> {
      const stage = DECISION_STAGE[kind];
      if (!stage) return { status: 'not-delivered', reason: `a group of kind ${kind} takes no decision for its cases` };
      const recorder = await store.users.caller({ id: decision.recordedBy });
      if (!recorder)
        return { status: 'not-delivered', reason: `${decision.recordedBy}, who recorded the decision, is no longer an active user` };
      const command = {
        action: 'record-meeting',
        meetingDate: decision.meetingDate,
        members: decision.members,
        minutes: decision.minutes,
        resolution: decision.resolution,
        data: { round: reference },
        actorId: recorder.id,
        actorRoles: recorder.roles,
      } as CaseCommand;
      const delivered = await deliver(caseId, command, `${groupId}:decision:${decision.meetingDate}`, stage, "the round's decision");
      // A round gives up on a refused case (its API answer names the refusal); only an assessment waits for someone else.
      return delivered.status === 'not-delivered' ? { status: 'not-delivered', reason: delivered.reason } : delivered;
    },

    /**
     * Records one of an annual assessment's steps (its tally, proposal, confirmation or notice) in one member's case,
     * as the one named (their roles as the directory has them now). As with the decision: one Update id per case,
     * step and sender, so a retried delivery records it at most once; a case not yet at the step's stage fails the
     * attempt to be tried again; a refusal at the stage (the sender is recused from their own case) comes back
     * marked `refused`, and the group waits for someone else to send the step.
     */
    async deliverAssessmentStep({ groupId, caseId, step, senderId, data, comment }: AssessmentStepDelivery): Promise<DecisionDelivery> {
      const sender = await store.users.caller({ id: senderId });
      if (!sender) return { status: 'not-delivered', reason: `${senderId}, who sent the step, is no longer an active user`, refused: true };
      const command = {
        action: 'approve',
        ...(data ? { data } : {}),
        ...(comment ? { comment } : {}),
        actorId: sender.id,
        actorRoles: sender.roles,
      } as CaseCommand;
      return deliver(caseId, command, `${groupId}:${step}:${senderId}`, step, "the assessment's record");
    },
  };
}
