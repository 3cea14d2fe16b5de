import { z } from 'zod';
import type { ProcessDefinition } from '../process/definition';

/** 岗位等级晋升: post-grade promotion within 三岗十八级. */
export const promotionPayload = z.object({
  kind: z.enum(['regular', 'early', 'post-change']).describe('regular: by years of service; early: after consecutive 优秀; post-change: moving to a higher post'),
  newPostType: z.enum(['head', 'deputy', 'general']).optional().describe('for post-change: the new post type (正职 / 副职 / 一般工作人员)'),
  reason: z.string().max(2000).optional(),
});

export const promotion: ProcessDefinition<typeof promotionPayload> = {
  type: 'promotion',
  version: 1,
  title: { zh: '岗位等级晋升', en: 'Post-grade promotion' },
  description: {
    zh: '社区工作者岗位等级晋升，由街道党工委审定。',
    en: "A community worker's promotion by one post grade, decided by the street party working committee.",
  },
  payload: promotionPayload,
  stages: [
    {
      id: 'street-decision',
      title: { zh: '街道党工委审定', en: 'Street party working committee decides' },
      actor: { level: 'street', department: 'party_committee' },
      mode: 'any',
      deadline: 'promotion.streetDecision',
      onExpiry: 'escalate',
    },
  ],
};
