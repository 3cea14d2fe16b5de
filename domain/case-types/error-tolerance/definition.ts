import { z } from 'zod';
import type { FieldSpec, ProcessDefinition } from '../../process/definition';
import { calendarDate } from '../../dates';
import { analogue } from '../../rules/provenance';
import { SRC } from '../../rules/sources';

const date = calendarDate;

/** 容错纠错: a ruling on mistakes and procedural flaws, e.g. in emergency response (应急处突). */
export const errorTolerancePayload = z.object({
  incidentDate: date.describe('when the mistake happened'),
  description: z.string().trim().min(1).max(4000).describe('what happened and why'),
  emergency: z.boolean().describe('handled on the spot in an emergency (紧急情况临机处置)'),
  accountabilityRef: z.string().trim().min(1).max(200).describe('reference of the accountability proceedings (问责程序)'),
  accountabilityStartedOn: date.describe('when the accountability proceedings started; the application comes after it'),
  accountabilityDecidedOn: date
    .optional()
    .describe('when the accountability decision was made, if it was: an application after it is too late'),
});

/** 予以免责 / 从轻或减轻处理 / 不予容错. */
export const RULINGS = ['tolerated', 'mitigated', 'not-tolerated'] as const;

const condition = (name: string, zh: string, en: string): FieldSpec => ({
  name,
  title: { zh, en },
  type: 'boolean',
  required: true,
  provenance: analogue(SRC.toleranceConditions, `${zh}: one of the conditions of 容错, all required.`),
});

/**
 * The conditions of tolerance, each a finding the verification records (all are required for tolerance): lawful
 * conduct, diligence without intent, the public interest without private gain, due process (a democratic decision,
 * or emergency handling reported promptly afterwards), and prompt correction.
 */
export const TOLERANCE_CONDITIONS: FieldSpec[] = [
  condition('lawful', '遵纪守法，未违反法律法规和纪律的禁止性规定', 'Within the law and discipline'),
  condition('diligentWithoutIntent', '勤勉尽责，没有主观故意', 'Diligent, with no intent'),
  condition('publicInterest', '出于公心，没有谋取私利', 'In the public interest, with no private gain'),
  condition(
    'dueProcess',
    '程序正当：经民主决策，或紧急情况临机处置且事后及时报告',
    'Due process: decided democratically, or handled on the spot in an emergency and reported promptly',
  ),
  condition('corrected', '知错就改，积极纠错、挽回损失', 'Corrected promptly, losses recovered'),
];

/**
 * Version 3: the ruling is copied (抄送) to the county organisation and personnel department as the collective
 * decision is made: its staff read the case and its documents from then on and are notified. Version 2
 * (versions/v2.ts): the application's timing (after accountability starts, before its decision), the five conditions as
 * recorded findings, the rulings the rules know (予以免责 / 从轻或减轻处理 / 不予容错), the collective decision at a
 * meeting, the written reply to the applicant and the 报备 to the party committee or government. Version 1:
 * versions/v1.ts.
 */
export const definition = {
  type: 'error-tolerance' as const,
  version: 3,
  title: { zh: '容错纠错认定', en: 'Error-tolerance ruling' },
  description: {
    zh: '在问责程序启动后、作出问责决定前书面申请；纪检监察机关受理、核实容错条件，听取本人陈述，集体研究认定，书面答复申请人，函告组织人事部门，报同级党委、政府备案；需要纠错的，限期整改并核实。',
    en: 'Applied for in writing after accountability proceedings start and before their decision; the discipline commission accepts, verifies the conditions of tolerance, hears the worker and decides collectively; the written ruling goes to the applicant, a letter to the organisation/HR department, and the ruling is filed with the party committee or government; where a correction is ordered, it is verified by its deadline.',
  },
  payload: () => errorTolerancePayload,
  stages: [
    {
      id: 'acceptance',
      title: { zh: '纪检监察机关受理', en: 'Discipline commission accepts the application' },
      actor: 'error-tolerance.acceptance',
      mode: 'any',
      deadline: 'errorTolerance.acceptance',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      recheckEligibility: true,
    },
    {
      id: 'verification',
      title: { zh: '核实容错条件', en: 'Conditions of tolerance verified' },
      kind: 'record',
      actor: 'error-tolerance.verification',
      mode: 'any',
      deadline: 'errorTolerance.verification',
      onExpiry: 'none',
      fields: [...TOLERANCE_CONDITIONS, { name: 'findings', title: { zh: '核实情况', en: 'Findings' }, type: 'string', required: true }],
    },
    {
      id: 'statement',
      title: { zh: '听取本人陈述', en: "The worker's own statement (right to be heard)" },
      kind: 'record',
      actor: 'error-tolerance.statement',
      mode: 'any',
      deadline: 'errorTolerance.statement',
      onExpiry: 'none',
      fields: [{ name: 'statement', title: { zh: '本人陈述', en: 'Statement' }, type: 'string', required: true }],
    },
    {
      id: 'collective-decision',
      title: { zh: '集体研究认定', en: 'Collective decision' },
      actor: 'error-tolerance.collective-decision',
      mode: 'collective',
      deadline: 'errorTolerance.decision',
      onExpiry: 'none',
      copyTo: [
        {
          to: { level: 'county', department: 'organisation_hr', role: 'approver' },
          provenance: analogue(SRC.changning, 'The ruling is sent by letter to the same-level 组织人事部门.'),
        },
      ],
      fields: [
        { name: 'ruling', title: { zh: '认定结果', en: 'Ruling' }, type: 'enum', options: [...RULINGS], required: true },
        { name: 'correctionRequired', title: { zh: '是否责令纠错', en: 'Correction ordered' }, type: 'boolean', required: true },
      ],
    },
    {
      id: 'reply',
      title: { zh: '书面答复申请人', en: 'Written reply to the applicant' },
      kind: 'record',
      actor: 'error-tolerance.reply',
      mode: 'any',
      deadline: 'errorTolerance.reply',
      onExpiry: 'none',
      fields: [
        { name: 'repliedOn', title: { zh: '答复日期', en: 'Replied on' }, type: 'date', required: true },
        { name: 'replyRef', title: { zh: '答复文号', en: 'Reply reference' }, type: 'string', required: true },
      ],
    },
    {
      id: 'copy-to-hr',
      title: { zh: '函告组织人事部门', en: 'Ruling sent by letter to the organisation/HR department' },
      kind: 'record',
      actor: 'error-tolerance.copy-to-hr',
      mode: 'any',
      deadline: 'errorTolerance.copyToHr',
      onExpiry: 'none',
      fields: [{ name: 'receivedOn', title: { zh: '收函日期', en: 'Received on' }, type: 'date', required: true }],
    },
    {
      id: 'filing',
      title: { zh: '报同级党委、政府备案', en: 'Filed with the party committee or government (报备)' },
      kind: 'record',
      actor: 'error-tolerance.filing',
      mode: 'any',
      deadline: 'errorTolerance.filing',
      onExpiry: 'none',
      fields: [
        {
          name: 'filedWith',
          title: { zh: '报备机关', en: 'Filed with' },
          type: 'enum',
          options: ['party-committee', 'government'],
          required: true,
        },
        { name: 'filedOn', title: { zh: '报备日期', en: 'Filed on' }, type: 'date', required: true },
        { name: 'filingRef', title: { zh: '报备文号', en: 'Filing reference' }, type: 'string', required: true },
      ],
    },
    {
      id: 'correction',
      title: { zh: '纠错整改核实', en: 'Correction verified' },
      kind: 'follow_up',
      actor: 'error-tolerance.correction',
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
