// Version 1 of the error-tolerance definition, as cases started with it run: frozen, never edited (README, "Versioning running workflows").
import { z } from 'zod';
import type { ProcessDefinition } from '../../../process/definition';

/** 容错纠错: a ruling on mistakes and procedural flaws, e.g. in emergency response (应急处突). */
export const errorTolerancePayload = z.object({
  incidentDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
    .describe('when the mistake happened'),
  description: z.string().trim().min(1).max(4000).describe('what happened and why'),
  emergency: z.boolean().describe('handled on the spot in an emergency (紧急情况临机处置)'),
  accountabilityRef: z.string().trim().max(200).optional().describe('reference of the accountability proceedings, if started'),
});

export const RULINGS = ['tolerated', 'partially-tolerated', 'not-tolerated'] as const;

export const definition = {
  type: 'error-tolerance' as const,
  version: 1,
  title: { zh: '容错纠错认定', en: 'Error-tolerance ruling' },
  description: {
    zh: '纪检监察机关受理、核实，听取本人陈述，集体研究认定，书面结果抄送组织人事部门；需要纠错的，限期整改并核实。',
    en: 'The discipline commission accepts and verifies, hears the worker, decides collectively; the written ruling is copied to the organisation/HR department; where a correction is ordered, it is verified by its deadline.',
  },
  payload: () => errorTolerancePayload,
  stages: [
    {
      id: 'acceptance',
      title: { zh: '纪检监察机关受理', en: 'Discipline commission accepts the application' },
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      deadline: 'errorTolerance.acceptance',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      escalateTo: { level: 'county', department: 'discipline' },
    },
    {
      id: 'verification',
      title: { zh: '核实情况', en: 'Fact verification' },
      kind: 'record',
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      deadline: 'errorTolerance.verification',
      onExpiry: 'none',
      fields: [{ name: 'findings', title: { zh: '核实情况', en: 'Findings' }, type: 'string', required: true }],
    },
    {
      id: 'statement',
      title: { zh: '听取本人陈述', en: "The worker's own statement (right to be heard)" },
      kind: 'record',
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      deadline: 'errorTolerance.statement',
      onExpiry: 'none',
      fields: [{ name: 'statement', title: { zh: '本人陈述', en: 'Statement' }, type: 'string', required: true }],
    },
    {
      id: 'collective-decision',
      title: { zh: '集体研究认定', en: 'Collective decision' },
      actor: { level: 'county', department: 'discipline' },
      mode: 'vote',
      vote: { quorum: 2 / 3, passShare: 0.5 },
      deadline: 'errorTolerance.decision',
      onExpiry: 'none',
      fields: [
        { name: 'ruling', title: { zh: '认定结果', en: 'Ruling' }, type: 'enum', options: [...RULINGS], required: true },
        { name: 'correctionRequired', title: { zh: '是否责令纠错', en: 'Correction ordered' }, type: 'boolean', required: true },
      ],
    },
    {
      id: 'copy-to-hr',
      title: { zh: '书面结果抄送组织人事部门', en: 'Written ruling copied to the organisation/HR department' },
      kind: 'record',
      actor: { level: 'county', department: 'organisation_hr' },
      mode: 'any',
      deadline: 'errorTolerance.acceptance',
      onExpiry: 'none',
    },
    {
      id: 'correction',
      title: { zh: '纠错整改核实', en: 'Correction verified' },
      kind: 'follow_up',
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      deadline: 'errorTolerance.correction',
      reminders: ['reminder.first'],
      onExpiry: 'none',
      when: { path: 'stageData.collective-decision.correctionRequired', equals: true },
      fields: [
        { name: 'correctedOn', title: { zh: '整改完成日期', en: 'Corrected on' }, type: 'date', required: true },
        { name: 'verification', title: { zh: '核实情况', en: 'Verification' }, type: 'string', required: true },
      ],
    },
  ],
  outcome: { stage: 'collective-decision', field: 'ruling' },
} satisfies ProcessDefinition<typeof errorTolerancePayload>;
