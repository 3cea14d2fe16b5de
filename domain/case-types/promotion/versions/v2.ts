// Version 2 of the promotion definition, as cases started with it run: frozen, never edited (README, "Versioning running workflows").
import { z } from 'zod';
import type { ProcessDefinition } from '../../../process/definition';

/** 岗位等级晋升: post-grade promotion within 三岗十八级. */
export const promotionPayload = z
  .object({
    kind: z
      .enum(['regular', 'early', 'post-change'])
      .describe('regular: after the step interval; early: after consecutive 优秀 assessments; post-change: on moving to a higher post'),
    newPostType: z
      .enum(['head', 'deputy', 'general'])
      .optional()
      .describe('for post-change: the new post type (正职 / 副职 / 一般工作人员)'),
    reason: z.string().trim().max(2000).optional(),
  })
  .refine((p) => p.kind !== 'post-change' || p.newPostType !== undefined, {
    message: 'required for a post-change promotion',
    path: ['newPostType'],
  });

export const definition = {
  type: 'promotion' as const,
  version: 2,
  title: { zh: '岗位等级晋升', en: 'Post-grade promotion' },
  description: {
    zh: '社区党组织推荐，街道党工委审定（审定前再次核验资格），公示后调整岗位等级。',
    en: 'The community party organisation recommends, the street party working committee decides (eligibility re-checked first), a public notice follows, then the grade is raised.',
  },
  payload: () => promotionPayload,
  stages: [
    {
      id: 'community-recommendation',
      title: { zh: '社区党组织推荐', en: 'Community party organisation recommends' },
      actor: { level: 'community', department: 'party_organisation' },
      mode: 'any',
      deadline: 'promotion.communityRecommendation',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      escalateTo: { level: 'street', department: 'party_committee' },
    },
    {
      id: 'street-decision',
      title: { zh: '街道党工委审定', en: 'Street party working committee decides' },
      actor: { level: 'street', department: 'party_committee' },
      mode: 'any',
      deadline: 'promotion.streetDecision',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      escalateTo: { level: 'county', department: 'social_work' },
      recheckEligibility: true,
    },
  ],
  publicNotice: { afterStage: 'street-decision', period: 'promotion.notice' },
} satisfies ProcessDefinition<typeof promotionPayload>;
