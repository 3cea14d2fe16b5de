import { z } from 'zod';
import type { ProcessDefinition } from '../../process/definition';
import { RECRUITMENT_TRACKS } from './rules';

/** 定向招录(聘): recruitment of an outstanding worker into a civil-service or public-institution post. */
export const recruitmentPayload = z.object({
  track: z
    .enum(RECRUITMENT_TRACKS)
    .describe(
      'civil-service: 公务员定向招录; public-institution: 事业单位定向招聘; jiangsu-secretary: 任满三届的社区党组织书记考核招聘事业编制 (江苏)',
    ),
  targetOrg: z.string().trim().min(1).max(200).describe('the recruiting body'),
  post: z.string().trim().min(1).max(200).describe('the post applied for'),
});

const exam = { not: { path: 'payload.track', equals: 'jiangsu-secretary' } } as const;

/**
 * Version 2: Jiangsu's own track for community party secretaries (recruited by assessment, so without the exam);
 * a failed inspection or medical check ends the case; the exam's score range is the rule set's; the appointment
 * is decided collectively; who decides each stage is the approval matrix. Version 1: versions/v1.ts.
 */
export const definition = {
  type: 'recruitment' as const,
  version: 2,
  title: { zh: '定向招录（聘）', en: 'Targeted recruitment' },
  description: {
    zh: '街道核实任职年限和考核情况，组织人事部门资格审查，记录考试成绩（考核招聘除外），考察政审和体检，公示（公务员{period:recruitment.notice.civilService}，事业单位{period:recruitment.notice.publicInstitution}）后集体研究决定录用。',
    en: 'The street certifies service and assessments, the organisation/HR department checks eligibility, exam results are recorded (not for recruitment by assessment), inspection, political review and medical check follow, then a public notice ({period:recruitment.notice.civilService} for civil service, {period:recruitment.notice.publicInstitution} for public institutions) and the appointment, decided collectively.',
  },
  payload: () => recruitmentPayload,
  stages: [
    {
      id: 'street-certification',
      title: { zh: '街道核实任职年限和考核', en: 'Street certifies service and assessments' },
      actor: 'recruitment.street-certification',
      mode: 'any',
      deadline: 'recruitment.streetCertification',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
    },
    {
      id: 'eligibility-check',
      title: { zh: '组织人事部门资格审查', en: 'Organisation/HR department checks eligibility' },
      actor: 'recruitment.eligibility-check',
      mode: 'any',
      deadline: 'recruitment.eligibilityCheck',
      onExpiry: 'none',
      recheckEligibility: true,
    },
    {
      id: 'exam-results',
      title: { zh: '录入笔试面试成绩', en: 'Exam and interview results recorded' },
      kind: 'record',
      actor: 'recruitment.exam-results',
      mode: 'any',
      deadline: 'recruitment.examRecording',
      onExpiry: 'none',
      when: exam,
      fields: [
        {
          name: 'writtenScore',
          title: { zh: '笔试成绩', en: 'Written exam score' },
          type: 'number',
          required: true,
          scale: 'recruitment.examScore',
        },
        {
          name: 'interviewScore',
          title: { zh: '面试成绩', en: 'Interview score' },
          type: 'number',
          required: true,
          scale: 'recruitment.examScore',
        },
        { name: 'rank', title: { zh: '综合排名', en: 'Overall rank' }, type: 'number', min: 1 },
      ],
    },
    {
      id: 'inspection',
      title: { zh: '考察、政审和体检', en: 'Inspection, political review and medical check' },
      actor: 'recruitment.inspection',
      mode: 'any',
      deadline: 'recruitment.inspection',
      onExpiry: 'none',
      fields: [
        {
          name: 'inspectionPassed',
          title: { zh: '考察政审合格', en: 'Inspection and political review passed' },
          type: 'boolean',
          required: true,
        },
        { name: 'medicalPassed', title: { zh: '体检合格', en: 'Medical check passed' }, type: 'boolean', required: true },
      ],
      decisive: [
        {
          when: { path: 'data.inspectionPassed', equals: false },
          effect: 'reject',
          reason: { zh: '考察政审不合格，不予录用', en: 'Failed the inspection and political review: not appointed' },
        },
        {
          when: { path: 'data.medicalPassed', equals: false },
          effect: 'reject',
          reason: { zh: '体检不合格，不予录用', en: 'Failed the medical check: not appointed' },
        },
      ],
    },
    {
      id: 'appointment',
      title: { zh: '集体研究决定录用', en: 'Appointment decided collectively' },
      actor: 'recruitment.appointment',
      mode: 'collective',
      deadline: 'recruitment.appointment',
      onExpiry: 'none',
      fields: [{ name: 'appointedOn', title: { zh: '录用日期', en: 'Appointed on' }, type: 'date', required: true }],
    },
  ],
  publicNotice: {
    afterStage: 'inspection',
    period: {
      byPayload: 'track',
      periods: {
        'civil-service': 'recruitment.notice.civilService',
        'public-institution': 'recruitment.notice.publicInstitution',
        'jiangsu-secretary': 'recruitment.notice.publicInstitution',
      },
    },
  },
} satisfies ProcessDefinition<typeof recruitmentPayload>;
