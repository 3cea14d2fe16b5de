// Version 1 of the recruitment definition, as cases started with it run: frozen, never edited (README, "Versioning running workflows").
import { z } from 'zod';
import type { ProcessDefinition } from '../../../process/definition';

/** 定向招录(聘): recruitment of an outstanding worker into a civil-service or public-institution post. */
export const recruitmentPayload = z.object({
  track: z.enum(['civil-service', 'public-institution']).describe('civil-service: 公务员定向招录; public-institution: 事业单位定向招聘'),
  targetOrg: z.string().trim().min(1).max(200).describe('the recruiting body'),
  post: z.string().trim().min(1).max(200).describe('the post applied for'),
});

export const definition = {
  type: 'recruitment' as const,
  version: 1,
  title: { zh: '定向招录（聘）', en: 'Targeted recruitment' },
  description: {
    zh: '街道核实任职年限和考核情况，组织人事部门资格审查，记录考试成绩，考察政审和体检，公示（公务员不少于5个工作日，事业单位7日）后录用。',
    en: 'The street certifies service and assessments, the organisation/HR department checks eligibility, exam results are recorded, inspection, political review and medical check follow, then a public notice (≥5 working days for civil service, 7 days for public institutions) and the appointment.',
  },
  payload: () => recruitmentPayload,
  stages: [
    {
      id: 'street-certification',
      title: { zh: '街道核实任职年限和考核', en: 'Street certifies service and assessments' },
      actor: { level: 'street', department: 'street_office' },
      mode: 'any',
      deadline: 'recruitment.streetCertification',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      escalateTo: { level: 'street', department: 'party_committee' },
    },
    {
      id: 'eligibility-check',
      title: { zh: '组织人事部门资格审查', en: 'Organisation/HR department checks eligibility' },
      actor: { level: 'county', department: 'organisation_hr' },
      mode: 'any',
      deadline: 'recruitment.eligibilityCheck',
      onExpiry: 'none',
      recheckEligibility: true,
    },
    {
      id: 'exam-results',
      title: { zh: '录入笔试面试成绩', en: 'Exam and interview results recorded' },
      kind: 'record',
      actor: { level: 'county', department: 'organisation_hr' },
      mode: 'any',
      deadline: 'recruitment.examRecording',
      onExpiry: 'none',
      fields: [
        { name: 'writtenScore', title: { zh: '笔试成绩', en: 'Written exam score' }, type: 'number', required: true, min: 0, max: 100 },
        { name: 'interviewScore', title: { zh: '面试成绩', en: 'Interview score' }, type: 'number', required: true, min: 0, max: 100 },
        { name: 'rank', title: { zh: '综合排名', en: 'Overall rank' }, type: 'number', min: 1 },
      ],
    },
    {
      id: 'inspection',
      title: { zh: '考察、政审和体检', en: 'Inspection, political review and medical check' },
      actor: { level: 'county', department: 'organisation_hr' },
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
    },
    {
      id: 'appointment',
      title: { zh: '审批录用', en: 'Appointment' },
      actor: { level: 'county', department: 'organisation_hr' },
      mode: 'any',
      deadline: 'recruitment.appointment',
      onExpiry: 'none',
      fields: [{ name: 'appointedOn', title: { zh: '录用日期', en: 'Appointed on' }, type: 'date', required: true }],
    },
  ],
  publicNotice: {
    afterStage: 'inspection',
    period: {
      byPayload: 'track',
      periods: { 'civil-service': 'recruitment.notice.civilService', 'public-institution': 'recruitment.notice.publicInstitution' },
    },
  },
} satisfies ProcessDefinition<typeof recruitmentPayload>;
