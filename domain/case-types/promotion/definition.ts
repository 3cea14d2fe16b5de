import { z } from 'zod';
import type { ProcessDefinition } from '../../process/definition';

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
    params: { key: 'newPostTypeRequired' }, // the web UI's fieldError.custom.newPostTypeRequired
  });

/**
 * Version 4: a promotion of a yearly round (年度晋升, services/case-groups.ts) records at the street's decision the
 * round's one decision on the whole list it was decided by (the `round` field, a reference to the decision kept
 * on the round); a promotion on its own leaves it empty. Version 3 (versions/v3.ts): the street party committee
 * decides collectively at a meeting (集体研究决定) instead of one member approving, and who decides each stage is
 * the rule set's approval matrix. Version 2: versions/v2.ts.
 */
export const definition = {
  type: 'promotion' as const,
  version: 4,
  title: { zh: '岗位等级晋升', en: 'Post-grade promotion' },
  description: {
    zh: '社区党组织推荐，街道（乡镇）党（工）委集体研究决定（决定前再次核验资格），公示{period:promotion.notice}后调整岗位等级。',
    en: 'The community party organisation recommends, the street (township) party committee decides collectively at a meeting (eligibility re-checked first), a public notice of {period:promotion.notice} follows, then the grade is raised.',
  },
  payload: () => promotionPayload,
  stages: [
    {
      id: 'community-recommendation',
      title: { zh: '社区党组织推荐', en: 'Community party organisation recommends' },
      actor: 'promotion.community-recommendation',
      mode: 'any',
      deadline: 'promotion.communityRecommendation',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
    },
    {
      id: 'street-decision',
      title: { zh: '街道（乡镇）党（工）委集体研究决定', en: 'Street party committee decides collectively' },
      actor: 'promotion.street-decision',
      mode: 'collective',
      deadline: 'promotion.streetDecision',
      reminders: ['reminder.first'],
      onExpiry: 'none',
      recheckEligibility: true,
      fields: [
        {
          name: 'round',
          title: { zh: '年度晋升名单集体研究决定', en: "The round's decision on the list" },
          type: 'string',
          required: false,
        },
      ],
    },
  ],
  publicNotice: { afterStage: 'street-decision', period: 'promotion.notice' },
} satisfies ProcessDefinition<typeof promotionPayload>;
