// Version 1 of the commendation definition, as cases started with it run: frozen, never edited (README, "Versioning running workflows").
import { z } from 'zod';
import type { ProcessDefinition } from '../../../process/definition';

/** 表彰奖励: a commendation or award. */
export const commendationPayload = z.object({
  awardTitle: z.string().trim().min(1).max(200).describe('e.g. 优秀社区工作者'),
  achievements: z.string().trim().min(1).max(4000).describe('the deeds the nomination rests on'),
  level: z.enum(['county', 'city', 'province', 'national']).default('county').describe('the issuing level'),
});

export const definition = {
  type: 'commendation' as const,
  version: 1,
  title: { zh: '表彰奖励', en: 'Commendation' },
  description: {
    zh: '社区或街道提名，征求纪检监察机关意见并资格审查，评审，公示5个工作日，审批机关在30日内作出决定。',
    en: 'Nominated by the community or street; the discipline commission gives its opinion and qualifications are reviewed; evaluation; a 5-working-day public notice; the issuing body decides within 30 days.',
  },
  payload: () => commendationPayload,
  stages: [
    {
      id: 'nomination',
      title: { zh: '社区党组织提名', en: 'Community nominates' },
      actor: { level: 'community', department: 'party_organisation' },
      mode: 'any',
      deadline: 'commendation.nomination',
      onExpiry: 'escalate',
      escalateTo: { level: 'street', department: 'party_committee' },
    },
    {
      id: 'discipline-opinion',
      title: { zh: '征求纪检监察机关意见', en: "Discipline commission's opinion" },
      kind: 'record',
      actor: { level: 'street', department: 'discipline' },
      mode: 'any',
      deadline: 'commendation.qualificationReview',
      onExpiry: 'none',
      fields: [
        { name: 'opinion', title: { zh: '意见', en: 'Opinion' }, type: 'enum', options: ['no-objection', 'objection'], required: true },
      ],
    },
    {
      id: 'qualification-review',
      title: { zh: '资格审查', en: 'Qualification review' },
      actor: { level: 'county', department: 'social_work' },
      mode: 'any',
      deadline: 'commendation.qualificationReview',
      onExpiry: 'none',
      recheckEligibility: true,
    },
    {
      id: 'evaluation',
      title: { zh: '评审', en: 'Evaluation' },
      actor: { level: 'county', department: 'social_work' },
      mode: 'all',
      deadline: 'commendation.evaluation',
      onExpiry: 'none',
    },
    {
      id: 'decision',
      title: { zh: '审批决定', en: 'Decision of the issuing body' },
      actor: { level: 'county', department: 'organisation_hr' },
      mode: 'any',
      deadline: 'commendation.decision',
      onExpiry: 'none',
      fields: [{ name: 'awardedOn', title: { zh: '表彰日期', en: 'Awarded on' }, type: 'date', required: true }],
    },
  ],
  publicNotice: { afterStage: 'evaluation', period: 'commendation.notice' },
} satisfies ProcessDefinition<typeof commendationPayload>;
