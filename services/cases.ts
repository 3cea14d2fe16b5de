import { createHash, randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { z } from 'zod';
import { policy, type Caller } from '../domain/access';
import { caseTypeOf, payloadJsonSchema, registeredDefinitions } from '../domain/case-types';
import { attachmentIds } from '../domain/attachments';
import { GENESIS_HASH, jsonText, type Json } from '../domain/history';
import { ACTION_BODIES, type actionBody, type CaseCommand } from '../domain/process/commands';
import { fieldsJsonSchema, renderText, resolveActor, resolveFields, type ActorRef } from '../domain/process/definition';
import { DELEGABLE_ACTIONS } from '../domain/process/permissions';
import { actionsOf, type CaseReadModel } from '../domain/process/read-model';
import type { CaseAction } from '../domain/process/vocabulary';
import { isFinal } from '../domain/process/vocabulary';
import { batchRefusal } from '../domain/promotion-rounds';
import type { RuleSet } from '../domain/rules';
import type { Store } from '../store';
import type { StoredCase } from '../store/cases';
import { actUpdate, chainQuery, submitUpdate, type ActionResult, type CaseRequest, type CaseWorkflow } from '../workflows/messages';
import type { AttachmentService } from './attachments';
import type { DelegationService } from './delegations';
import type { PersonnelService } from './personnel';
import { missingCase } from './archived-cases';
import { caseReferences } from './case-references';
import { HttpProblem, forbidden, invalid } from './problem';
import { callTemporal, type TemporalAccess } from './temporal';
import { parseOr400 } from './validation';

/**
 * Cases as their users change them: the case types on offer, submitting a case (eligibility, then the case
 * workflow started with its first Update), reading one with what the caller may do now, and acting on it (an
 * Update to its workflow). The case workflow decides; this checks what it can before asking, and answers from
 * the read model once the workflow has projected the change.
 */

export const submitCaseBody = z.object({
  type: z.string().min(1),
  subjectId: z.string().min(1),
  payload: z.record(z.string(), z.json()),
  attachments: attachmentIds.optional(),
});

/**
 * Approving several cases with one action (批量审批): the community stage of a round's promotions only. At most 50
 * a time, each case once.
 */
export const batchApprovalBody = z.object({
  caseIds: z
    .array(z.string().min(1).max(200))
    .min(1)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, { error: 'a case is named more than once' }),
  comment: ACTION_BODIES.approve.shape.comment,
});

export interface CaseServiceDeps {
  store: Pick<Store, 'cases' | 'personnel' | 'users' | 'projection' | 'archive'>;
  temporal: TemporalAccess;
  ruleSet: RuleSet;
  records: Pick<PersonnelService, 'eligibility'>;
  attachments: Pick<AttachmentService, 'claim' | 'release'>;
  /** 委托: whom the caller acts for today (absent: nobody acts on anyone's behalf). */
  delegations?: Pick<DelegationService, 'actingFor' | 'heldToday'>;
}

/** A case id derived from the caller and their idempotency key, so a retried submission finds its case. */
export function caseIdFor(callerId: string, idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const hex = createHash('sha256').update(`${callerId}\n${idempotencyKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const CLOSED = 'the case is closed';

/** The columns of a case the API answers. */
type ViewedRow = Pick<
  StoredCase,
  | 'id'
  | 'number'
  | 'type'
  | 'status'
  | 'outcome'
  | 'subject'
  | 'orgUnitId'
  | 'applicantId'
  | 'payload'
  | 'assignees'
  | 'dueAt'
  | 'submittedAt'
  | 'decidedAt'
  | 'updatedAt'
  | 'ruleSet'
  | 'definitionVersion'
  | 'lastSeq'
>;

export function createCaseService({ store, temporal, ruleSet, records, attachments, delegations }: CaseServiceDeps) {
  /**
   * The id of the personnel record the caller's account is linked to. Community staff are community workers
   * (policy.isCommunityStaff): without the link, nothing could recuse them from their own cases, so they may
   * neither submit nor act until an administrator or personnel officer links it (PUT /workers/:id/account).
   */
  async function ownRecord(caller: Caller): Promise<string | null> {
    const workerId = await store.personnel.linkedTo(caller.id);
    if (!workerId && policy.isCommunityStaff(caller)) {
      throw forbidden(
        'your account is not linked to your personnel record (community staff are community workers, recused from their own cases); ask an administrator or personnel officer to link it (PUT /api/v1/workers/:id/account)',
      );
    }
    return workerId;
  }

  /**
   * After an Update of the case answered (its workflow task has completed, so its head is final): marks the read
   * model's events up to that head final, or, when the read model lacks them (its projection gave up, or an
   * attempt that lost wrote in between), writes them from the workflow's own answer (chainQuery), under a fence
   * like any write of the projection. Cases started before v5 answer no hash and are left as they are.
   * Answers the case's short number when the confirmation read it (null: read it apart).
   */
  async function reconcile(caseId: string, result: ActionResult): Promise<string | null> {
    if (result.hash === undefined) return null;
    const head = { seq: result.seq, hash: result.hash };
    const confirmed = await store.projection.confirm(caseId, head);
    if (confirmed.held) return confirmed.number;
    const tail = await callTemporal(temporal, () => temporal.client.workflow.getHandle(caseId).query(chainQuery));
    if (!tail || tail.events.length === 0) return null;
    const first = tail.events[0] as (typeof tail.events)[number];
    const prior = first.seq === 1 ? { seq: 0, hash: GENESIS_HASH } : { seq: first.seq - 1, hash: first.prevHash };
    try {
      await store.projection.record({ caseId, events: tail.events, state: tail.state, fence: tail.fence, prior });
      return (await store.projection.confirm(caseId, head)).number;
    } catch {
      throw new HttpProblem(
        'dependency-unavailable',
        'the case workflow took the action, but its read model could not be brought up to date; send the request again with the same Idempotency-Key',
      );
    }
  }

  /** Whether the case workflow completed an Update of this id (Temporal keeps their outcomes, also once it has closed). */
  async function updateCompleted(caseId: string, updateId: string): Promise<boolean> {
    try {
      await callTemporal(temporal, () => temporal.client.workflow.getHandle(caseId).getUpdateHandle(updateId).result());
      return true;
    } catch (err) {
      if (err instanceof HttpProblem && err.status < 500) return false; // no such Update, or it was refused
      throw err;
    }
  }

  async function loadVisible(caller: Caller, caseId: string) {
    // Cases the caller may not see are answered exactly like cases that do not exist.
    const row = await store.cases.visible(caller, caseId);
    if (!row) throw await missingCase(store, caller, caseId);
    return row;
  }

  /**
   * 委托: the assignees of the case the caller acts for today, with what each may do now that a delegate may do
   * for them (POST /cases/:id/actions?onBehalfOf=), so the case page offers 代…审批.
   */
  async function actingForOn(caller: Caller, row: StoredCase) {
    if (!delegations || isFinal(row.status)) return [];
    const held = (await delegations.heldToday(caller)).filter(
      (d) => (d.caseTypes.length === 0 || d.caseTypes.includes(row.type)) && row.assignees.includes(d.delegatorId),
    );
    return held.map((d) => ({
      userId: d.delegatorId,
      name: d.delegatorName,
      from: d.from,
      to: d.to,
      allowedActions: actionsOf(row.readModel, d.delegatorId).filter((a) => DELEGABLE_ACTIONS.has(a)),
    }));
  }

  function toView(caller: Caller, row: StoredCase) {
    return viewOf(row, row.readModel.stage, policy.canActOnCases(caller) ? actionsOf(row.readModel, caller.id) : []);
  }

  /**
   * The case as an Update's answer has it (the workflow computed it for the caller from the state it moved to),
   * or, for an answer without it (a case started before v5, an Update resent after the case continued as a new run), as the read model has it.
   */
  async function answeredView(caller: Caller, caseId: string, subject: StoredCase['subject'], result: ActionResult, number: string | null) {
    const answer = result.case;
    if (!answer) return toView(caller, await loadVisible(caller, caseId));
    const date = (iso: string) => new Date(iso);
    const row: ViewedRow = {
      id: caseId,
      // The workflow does not know it: the projection's first write of the case assigned it.
      number: number ?? (await store.cases.numberOf(caseId)),
      type: answer.type,
      status: answer.status,
      outcome: answer.outcome,
      subject,
      orgUnitId: answer.orgUnitId,
      applicantId: answer.applicantId,
      payload: answer.payload,
      assignees: answer.assignees,
      dueAt: answer.dueAt === null ? null : date(answer.dueAt),
      submittedAt: date(answer.submittedAt),
      decidedAt: answer.decidedAt === null ? null : date(answer.decidedAt),
      updatedAt: date(answer.updatedAt),
      ruleSet: answer.ruleSet,
      definitionVersion: answer.definitionVersion,
      lastSeq: result.seq,
    };
    return viewOf(row, answer.stage, policy.canActOnCases(caller) ? answer.actions : []);
  }

  function viewOf(row: ViewedRow, stage: CaseReadModel['stage'], allowedActions: CaseAction[]) {
    return {
      id: row.id,
      number: row.number,
      type: row.type,
      status: row.status,
      outcome: row.outcome,
      subject: row.subject,
      orgUnitId: row.orgUnitId,
      applicantId: row.applicantId,
      payload: row.payload,
      currentStage: stage,
      assignees: row.assignees,
      dueAt: row.dueAt?.toISOString() ?? null,
      overdue: !isFinal(row.status) && row.dueAt !== null && row.dueAt.getTime() < Date.now(),
      submittedAt: row.submittedAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
      updatedAt: row.updatedAt.toISOString(),
      ruleSet: row.ruleSet,
      definitionVersion: row.definitionVersion,
      lastSeq: row.lastSeq,
      allowedActions,
    };
  }

  /** Who decides a stage under the rule set in force: one department, or one per value of a payload field. */
  function actorsOf(actor: ActorRef) {
    const view = (payload: Record<string, unknown>) => {
      const { actor: spec } = resolveActor(actor, ruleSet, payload);
      return { level: spec.level, department: spec.department, role: spec.role ?? 'approver' };
    };
    if (typeof actor === 'object' && 'byPayload' in actor) {
      const byValue = Object.fromEntries(Object.keys(actor.approvals).map((value) => [value, view({ [actor.byPayload]: value })]));
      return { actor: null, actorByPayload: { field: actor.byPayload, actors: byValue } };
    }
    return { actor: view({}), actorByPayload: null };
  }

  const service = {
    /** The case types, with their stages and their payload schema under the rule set in force. */
    types() {
      return registeredDefinitions().map((d) => ({
        type: d.type,
        version: d.version,
        title: d.title,
        // Periods are named in descriptions by key and stated as the rule set in force has them.
        description: renderText(d.description, ruleSet),
        payloadSchema: payloadJsonSchema(d, ruleSet) as Record<string, unknown>,
        stages: d.stages.map((s) => ({
          id: s.id,
          title: s.title,
          kind: s.kind ?? 'decision',
          mode: s.mode,
          ...actorsOf(s.actor),
          deadline: s.deadline ?? null,
          condition: s.when ?? null,
          dataSchema: fieldsJsonSchema(resolveFields(s.fields, ruleSet)) as Record<string, unknown>,
          // Approved in a batch when the case is a round's (年度晋升); on its own it never is.
          batchApproval: batchRefusal(d.type, s.id, 'a round') === null,
        })),
        publicNotice: d.publicNotice ?? null,
      }));
    },

    async get(caller: Caller, caseId: string) {
      const row = await loadVisible(caller, caseId);
      // Both cases show the link: an appeal names its original (payload.appealOf), the original lists its appeals.
      const actingFor = await actingForOn(caller, row);
      // 委托 only where the caller holds a delegation for this case: otherwise the view is the one every answer gives.
      // An appeal's original and an extension's secondment by number and subject, for pages that must not show ids.
      const references = await caseReferences(store, caller, row);
      return {
        ...toView(caller, row),
        appeals: await store.cases.appealsOf(caseId),
        references,
        ...(actingFor.length ? { actingFor } : {}),
      };
    },

    async submit(caller: Caller, request: z.infer<typeof submitCaseBody>, idempotencyKey?: string) {
      const definition = caseTypeOf(request.type);
      if (!definition)
        throw invalid(`type: unknown case type "${request.type}"`, [{ field: 'type', message: `unknown case type "${request.type}"` }]);
      const payload = parseOr400(definition.payload(ruleSet), request.payload, 'payload') as Record<string, Json>;
      const subject = await store.personnel.entry(request.subjectId);
      // A worker outside the caller's records answers as one that does not exist (404, as GET /workers/:id does),
      // so the answer tells nobody which worker ids exist elsewhere.
      if (!subject || !policy.canReadWorker(caller, subject.orgPath))
        throw new HttpProblem('not-found', `subjectId: no community worker "${request.subjectId}" in your records`, {
          errors: [{ field: 'subjectId', message: 'unknown community worker' }],
        });
      if (!policy.canSubmitFor(caller, subject.orgPath))
        throw forbidden('you may submit cases only for workers in your organisation as a clerk');
      // The applicant is never the subject: nobody files a case about themselves (their account's record).
      if ((await ownRecord(caller)) === subject.id) throw forbidden('you cannot submit a case about yourself');
      // An appeal may concern the very exit that ended the worker's service.
      if (subject.status !== 'active' && definition.type !== 'appeal')
        throw new HttpProblem('business-rule', `the worker's record is ${subject.status}`, { reasons: [] });
      if (definition.type === 'appeal') {
        // One appeal of a decision at a time: a second would be heard beside the first.
        const appealOf = jsonText(payload.appealOf);
        const open = await store.cases.openAppealOf(appealOf);
        if (open) throw new HttpProblem('conflict', `an appeal of ${appealOf} is already open (${open})`);
      }
      if (definition.type === 'exit') {
        // One open exit case per worker: a further situation joins it (the records check does so) instead.
        const open = await store.cases.openCaseOf(subject.id, 'exit');
        if (open) throw new HttpProblem('conflict', `an exit case is already open for this worker (${open.id}); a further reason joins it`);
      }

      const eligibility = await records.eligibility(request.type, subject.id, payload);
      if (!eligibility.eligible) {
        throw new HttpProblem('business-rule', 'the worker does not meet the eligibility rules for this case', {
          reasons: eligibility.reasons,
        });
      }
      const caseId = caseIdFor(caller.id, idempotencyKey);
      const files = await attachments.claim(caller, caseId, request.attachments);
      // Who asks for what about whom, and when; the workflow reads everything else the case runs on itself,
      // the files too (their ids only: the admission reads them from the attachment store).
      const input: CaseRequest = {
        caseId,
        type: definition.type,
        subjectId: subject.id,
        payload,
        applicantId: caller.id,
        submittedAt: new Date().toISOString(),
        ...(files ? { attachments: files.map((f) => f.id) } : {}),
      };
      let result: ActionResult;
      try {
        result = await callTemporal(temporal, () =>
          temporal.client.workflow.executeUpdateWithStart(submitUpdate, {
            updateId: 'submit',
            startWorkflowOperation: new WithStartWorkflowOperation<CaseWorkflow>('caseWorkflow', {
              workflowId: caseId,
              taskQueue: temporal.taskQueue,
              args: [input],
              workflowIdConflictPolicy: 'USE_EXISTING',
            }),
          }),
        );
      } catch (err) {
        await attachments.release(caseId, files);
        throw err;
      }
      const number = await reconcile(caseId, result);
      return answeredView(caller, caseId, { id: subject.id, name: subject.name }, result, number);
    },

    /**
     * An action on the case; with `onBehalfOf`, taken by the caller for that person (委托), once their delegation
     * to the caller holds today for the case's type: the command's actor is the delegator, with the roles they hold
     * now, and the caller its delegate (the engine applies the recusal rules to both).
     */
    async act(
      caller: Caller,
      caseId: string,
      request: z.output<ReturnType<typeof actionBody>>,
      idempotencyKey?: string,
      onBehalfOf?: string,
    ) {
      // The time of the action is when it reached the service, however long the workflow takes to process it.
      const requestedAt = new Date().toISOString();
      const row = await loadVisible(caller, caseId);
      if (!policy.canActOnCases(caller))
        throw forbidden(
          'your roles do not include acting on cases (auditors and administrators read and keep records; acting needs a clerk, approver or personnel officer role)',
        );
      let actor = caller;
      if (onBehalfOf !== undefined && onBehalfOf !== caller.id) {
        if (!DELEGABLE_ACTIONS.has(request.action))
          throw forbidden(`"${request.action}" is not taken on someone's behalf (a delegation covers deciding, not passing the duty on)`);
        if (!delegations) throw forbidden('this service takes no actions on behalf of someone');
        actor = await delegations.actingFor(caller, onBehalfOf, row.type);
        // The delegator is recused from their own case as the caller is (below).
        if ((await ownRecord(actor)) === row.subjectId) throw forbidden(`${actor.id} is the subject of this case, recused from it (回避)`);
      }
      if (request.action === 'resubmit') {
        const definition = caseTypeOf(row.type);
        if (definition) parseOr400(definition.payload(ruleSet), request.payload, 'payload');
      }
      // The subject is recused (回避) by their account's record as it is linked now, also when it was linked after
      // the case was submitted (the engine knows only the link at submission).
      if ((await ownRecord(caller)) === row.subjectId) throw forbidden('the subject of a case is recused from it (回避)');
      const target = request.action === 'transfer' ? request.toUserId : request.action === 'add-approver' ? request.userId : undefined;
      // Whom a transfer or add-approver names must hold a role that may decide the stage; the engine checks their
      // roles as the directory has them now (refuseTarget).
      const targetCaller = target ? await store.users.caller({ id: target }) : null;
      if (target && !targetCaller) {
        const field = request.action === 'transfer' ? 'toUserId' : 'userId';
        throw invalid(`${field}: no active user "${target}"`, [{ field, message: 'unknown user' }]);
      }
      // One Update id for every attempt: callTemporal sends the Update again when the worker did not process
      // it, and the same id is what makes that resend take effect at most once.
      const updateId = idempotencyKey ? `${caller.id}:${idempotencyKey}` : randomUUID();
      // A retry with the key of an action that was applied, but whose answer was lost (the API replica died
      // before it answered or stored it): the action may have closed the case, so its first answer is given
      // again instead of a conflict.
      const answerAgain = async () =>
        idempotencyKey && (await updateCompleted(caseId, updateId)) ? toView(caller, await loadVisible(caller, caseId)) : undefined;
      if (isFinal(row.status)) {
        const again = await answerAgain();
        if (again) return again;
        throw new HttpProblem('conflict', `the case is ${row.status}`);
      }
      const files = await attachments.claim(caller, caseId, 'attachments' in request ? request.attachments : undefined);
      // The actor's roles as the directory has them now: the engine refuses someone whose role was taken away.
      const command = {
        ...request,
        actorId: actor.id,
        actorRoles: actor.roles,
        ...(actor !== caller ? { delegate: { userId: caller.id, name: caller.name } } : {}),
        ...(targetCaller ? { targetRoles: targetCaller.roles } : {}),
        ...(files ? { attachments: files } : {}),
      } as CaseCommand;
      let result: ActionResult;
      try {
        result = await callTemporal(
          temporal,
          () => temporal.client.workflow.getHandle(caseId).executeUpdate(actUpdate, { args: [command, { requestedAt }], updateId }),
          { workflowId: caseId },
        );
      } catch (err) {
        await attachments.release(caseId, files);
        // The case exists; a workflow Temporal cannot find has just closed.
        if (err instanceof HttpProblem && (err.type === 'not-found' || (err.type === 'conflict' && err.detail === CLOSED))) {
          const again = await answerAgain();
          if (again) return again;
          throw new HttpProblem('conflict', CLOSED);
        }
        throw err;
      }
      const number = await reconcile(caseId, result);
      // The workflow answers what its actor may do next; a delegate is shown what they may do themselves.
      if (actor !== caller) return toView(caller, await loadVisible(caller, caseId));
      return answeredView(caller, caseId, row.subject, result, number);
    },

    /**
     * Approves each named case as `act` would, one Update per case: the whole batch is refused (nothing approved)
     * when any case is not one that may be approved in a batch (domain/promotion-rounds.ts: only a round's
     * promotions at the community stage; never an exit, a disciplinary matter, an appeal or a promotion on its own), and each case's own refusal (a conflict, the subject recused) is reported
     * beside it without stopping the others. A retry with the same Idempotency-Key approves each case at most once.
     */
    async approveBatch(caller: Caller, request: z.infer<typeof batchApprovalBody>, idempotencyKey?: string) {
      const rows = [];
      for (const caseId of request.caseIds) rows.push(await loadVisible(caller, caseId));
      if (!policy.canActOnCases(caller)) throw forbidden('your roles do not include acting on cases');
      const refused = rows.flatMap((row, i) => {
        const round = row.group?.kind === 'promotion-round' ? row.group.id : null;
        const refusal = batchRefusal(row.type, row.readModel.stage?.id ?? null, round);
        return refusal ? [{ field: `caseIds.${i}`, message: `${row.id}: ${refusal.en}` }] : [];
      });
      if (refused.length > 0) {
        throw new HttpProblem('business-rule', `${refused.length} of the cases cannot be approved in a batch; nothing was approved`, {
          errors: refused,
        });
      }
      const items = [];
      for (const row of rows) {
        const key = idempotencyKey ? `${idempotencyKey}:${row.id}` : undefined;
        try {
          const view = await service.act(
            caller,
            row.id,
            { action: 'approve', ...(request.comment ? { comment: request.comment } : {}) },
            key,
          );
          items.push({ caseId: row.id, approved: true, case: view, problem: null });
        } catch (err) {
          // A dependency down stops the batch (503): the client sends it again with the same key.
          if (!(err instanceof HttpProblem) || err.status >= 500) throw err;
          items.push({ caseId: row.id, approved: false, case: null, problem: { type: err.type, status: err.status, detail: err.detail } });
        }
      }
      return { items };
    },
  };
  return service;
}

export type CaseService = ReturnType<typeof createCaseService>;
