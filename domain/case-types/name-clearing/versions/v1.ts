// Version 1 of the name-clearing definition, as cases started with it run: frozen, never edited (README, "Versioning running workflows").
import { z } from 'zod';
import type { ProcessDefinition } from '../../../process/definition';

/** 澄清正名: clearing the name of a falsely accused worker, followed by a return-visit talk (回访谈心). */
export const nameClearingPayload = z.object({
  accusationRef: z.string().trim().min(1).max(200).describe('reference of the complaint (信访件编号) found false'),
  findingSummary: z.string().trim().min(1).max(4000).describe('which allegations were found false; only these are cleared'),
  method: z
    .enum(['written', 'face-to-face', 'meeting', 'notice'])
    .describe('书面 / 当面 / 会议 / 通报 (the last three also produce a written clearance)'),
  initiatedBy: z
    .enum(['department-proposal', 'written-application'])
    .default('department-proposal')
    .describe('承办部门建议, or the accused’s written application'),
});

export const definition = {
  type: 'name-clearing' as const,
  version: 1,
  title: { zh: '澄清正名', en: 'Clearing a name' },
  description: {
    zh: '承办部门评估，纪检监察机关领导审批，审批后15个工作日内实施澄清，按规定时间回访谈心。澄清仅针对失实举报的具体内容。',
    en: 'The handling office assesses, the discipline commission leadership approves, the clearance is carried out within 15 working days, and a return-visit talk follows after the set delay. Only the specific false allegations are cleared.',
  },
  payload: () => nameClearingPayload,
  stages: [
    {
      id: 'assessment',
      title: { zh: '承办部门评估', en: 'Handling office assesses' },
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      deadline: 'nameClearing.assessment',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      escalateTo: { level: 'county', department: 'discipline' },
    },
    {
      id: 'approval',
      title: { zh: '纪检监察机关领导审批', en: 'Discipline commission leadership approves' },
      actor: { level: 'county', department: 'discipline' },
      mode: 'single',
      deadline: 'nameClearing.approval',
      onExpiry: 'none',
    },
    {
      id: 'clearance',
      title: { zh: '实施澄清', en: 'Clearance carried out' },
      kind: 'record',
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      deadline: 'nameClearing.implementation',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      escalateTo: { level: 'county', department: 'discipline' },
      fields: [
        { name: 'clearedOn', title: { zh: '澄清日期', en: 'Cleared on' }, type: 'date', required: true },
        { name: 'writtenNoticeRef', title: { zh: '书面澄清函文号', en: 'Written clearance reference' }, type: 'string', required: true },
      ],
    },
    {
      id: 'return-visit',
      title: { zh: '回访谈心', en: 'Return-visit talk' },
      kind: 'follow_up',
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      startAfter: 'nameClearing.returnVisitDelay',
      deadline: 'nameClearing.returnVisit',
      onExpiry: 'none',
      fields: [
        { name: 'visitedOn', title: { zh: '回访日期', en: 'Visited on' }, type: 'date', required: true },
        { name: 'notes', title: { zh: '谈心情况', en: 'Notes of the talk' }, type: 'string', required: true },
      ],
    },
  ],
} satisfies ProcessDefinition<typeof nameClearingPayload>;
