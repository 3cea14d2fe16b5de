import { z } from 'zod';
import type { ActorRef, FieldSpec, ProcessDefinition } from '../../process/definition';
import { VERIFYING_BODIES } from './rules';

/** 书面 / 当面 / 会议 / 通报 (the last three also produce a written clearance). */
export const CLEARANCE_METHODS = ['written', 'face-to-face', 'meeting', 'notice'] as const;

/** 澄清正名: clearing the name of a falsely accused worker, followed by a return-visit talk (回访谈心). */
export const nameClearingPayload = z
  .object({
    accusationRef: z.string().trim().min(1).max(200).describe('reference of the complaint (信访件编号) found false'),
    findingSummary: z.string().trim().min(1).max(4000).describe('which allegations were found false; only these are cleared'),
    verifiedBy: z.enum(VERIFYING_BODIES).describe('the body that verified the complaint, which handles the clearance (谁核实谁澄清)'),
    initiatedBy: z
      .enum(['department-proposal', 'written-application'])
      .default('department-proposal')
      .describe('承办部门建议 (the person is then asked their wishes), or the accused’s written application'),
    requestedMethod: z.enum(CLEARANCE_METHODS).optional().describe('for a written application: the form of clearance asked for'),
    requestedScope: z.string().trim().max(1000).optional().describe('for a written application: where the clearance should be made known'),
  })
  .refine((p) => p.initiatedBy !== 'written-application' || (p.requestedMethod !== undefined && p.requestedScope), {
    message: 'a written application states the form and scope of the clearance it asks for',
    path: ['requestedMethod'],
    params: { key: 'clearanceRequested' }, // the web UI's fieldError.custom.clearanceRequested
  });

/** The body that verified the complaint handles every step of the clearance (谁核实谁澄清). */
const handler: ActorRef = {
  byPayload: 'verifiedBy',
  approvals: Object.fromEntries(VERIFYING_BODIES.map((b) => [b, `name-clearing.handler.${b}`])),
};
const methodField: FieldSpec = {
  name: 'method',
  title: { zh: '澄清方式', en: 'Form of clearance' },
  type: 'enum',
  options: [...CLEARANCE_METHODS],
  required: true,
};
const scopeField: FieldSpec = { name: 'scope', title: { zh: '澄清范围', en: 'Scope of the clearance' }, type: 'string', required: true };

/**
 * Version 2: the body that verified the complaint handles the clearance and its leadership approves it (谁核实谁
 * 澄清); the person's wishes about the form and scope are asked; 失实 is told from 诬告 (false accusation, referred
 * on); the result is archived. Version 1 (handled at street level only): versions/v1.ts.
 */
export const definition = {
  type: 'name-clearing' as const,
  version: 2,
  title: { zh: '澄清正名', en: 'Clearing a name' },
  description: {
    zh: '谁核实谁澄清：核实的机关评估是失实还是诬告，征求本人对澄清方式和范围的意见，报本机关领导审批，审批后{period:nameClearing.implementation}内实施澄清；诬告的移送处理；按时回访谈心，结果归档。澄清仅针对失实举报的具体内容。',
    en: 'Whoever verified the complaint clears the name: the verifying body assesses whether it was untrue or a false accusation, asks the person’s wishes about the form and scope, its leadership approves, the clearance is carried out within {period:nameClearing.implementation}; a false accusation is referred on; a return-visit talk follows and the result is archived. Only the specific false allegations are cleared.',
  },
  payload: () => nameClearingPayload,
  stages: [
    {
      id: 'assessment',
      title: { zh: '承办部门评估（失实或诬告）', en: 'Handling office assesses (untrue or false accusation)' },
      actor: handler,
      mode: 'any',
      deadline: 'nameClearing.assessment',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      fields: [
        {
          name: 'finding',
          title: { zh: '认定（失实/诬告）', en: 'Finding (untrue / false accusation)' },
          type: 'enum',
          options: ['untrue', 'false-accusation'],
          required: true,
        },
      ],
    },
    {
      id: 'wishes',
      title: { zh: '征求本人意见', en: 'The person’s wishes' },
      kind: 'record',
      actor: handler,
      mode: 'any',
      deadline: 'nameClearing.wishes',
      onExpiry: 'none',
      when: { path: 'payload.initiatedBy', equals: 'department-proposal' },
      fields: [
        { name: 'wantsClearance', title: { zh: '本人同意澄清', en: 'The person wants the clearance' }, type: 'boolean', required: true },
        { ...methodField, title: { zh: '本人希望的澄清方式', en: 'Form the person asks for' } },
        { ...scopeField, title: { zh: '本人希望的澄清范围', en: 'Scope the person asks for' } },
      ],
      decisive: [
        {
          when: { path: 'data.wantsClearance', equals: false },
          effect: 'reject',
          reason: { zh: '本人不要求澄清', en: 'The person does not want the clearance' },
        },
      ],
    },
    {
      id: 'approval',
      title: { zh: '核实机关领导审批', en: 'The verifying body’s leadership approves' },
      actor: { byPayload: 'verifiedBy', approvals: Object.fromEntries(VERIFYING_BODIES.map((b) => [b, `name-clearing.approval.${b}`])) },
      mode: 'single',
      deadline: 'nameClearing.approval',
      onExpiry: 'none',
    },
    {
      id: 'clearance',
      title: { zh: '实施澄清', en: 'Clearance carried out' },
      kind: 'record',
      actor: handler,
      mode: 'any',
      deadline: 'nameClearing.implementation',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      fields: [
        { name: 'clearedOn', title: { zh: '澄清日期', en: 'Cleared on' }, type: 'date', required: true },
        methodField,
        scopeField,
        { name: 'writtenNoticeRef', title: { zh: '书面澄清函文号', en: 'Written clearance reference' }, type: 'string', required: true },
      ],
    },
    {
      id: 'referral',
      title: { zh: '诬告问题移送处理', en: 'False accusation referred on' },
      kind: 'record',
      actor: handler,
      mode: 'any',
      deadline: 'nameClearing.referral',
      onExpiry: 'none',
      when: { path: 'stageData.assessment.finding', equals: 'false-accusation' },
      fields: [
        { name: 'referredTo', title: { zh: '移送机关', en: 'Referred to' }, type: 'string', required: true },
        { name: 'referredOn', title: { zh: '移送日期', en: 'Referred on' }, type: 'date', required: true },
        { name: 'referralRef', title: { zh: '移送文号', en: 'Referral reference' }, type: 'string', required: true },
      ],
    },
    {
      id: 'return-visit',
      title: { zh: '回访谈心', en: 'Return-visit talk' },
      kind: 'follow_up',
      actor: handler,
      mode: 'any',
      startAfter: 'nameClearing.returnVisitDelay',
      deadline: 'nameClearing.returnVisit',
      onExpiry: 'none',
      fields: [
        { name: 'visitedOn', title: { zh: '回访日期', en: 'Visited on' }, type: 'date', required: true },
        { name: 'notes', title: { zh: '谈心情况', en: 'Notes of the talk' }, type: 'string', required: true },
      ],
    },
    {
      id: 'archive',
      title: { zh: '结果归档', en: 'Result archived' },
      kind: 'follow_up',
      actor: handler,
      mode: 'any',
      deadline: 'nameClearing.archive',
      onExpiry: 'none',
      fields: [
        { name: 'archivedOn', title: { zh: '归档日期', en: 'Archived on' }, type: 'date', required: true },
        { name: 'archiveRef', title: { zh: '档案编号', en: 'Archive reference' }, type: 'string', required: true },
      ],
    },
  ],
} satisfies ProcessDefinition<typeof nameClearingPayload>;
