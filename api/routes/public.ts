import { z } from 'zod';
import { publicObjectionBody, type PublicNoticeService } from '../../services/public-notices';
import { operation } from '../operation';
import { PublicChallenge, PublicNoticeList, PublicObjectionList, errorResponses } from '../schemas';

/** The public notice (公示) page's API, without sign-in, and residents' objections for the staff who review them. */
export function publicOperations(notices: PublicNoticeService) {
  return [
    operation({
      method: 'get',
      path: '/public/notices',
      operationId: 'listPublicNotices',
      summary: 'The public notices (公示) running now, as posted: name, community, post, what is proposed, period',
      tags: ['public'],
      public: true,
      responses: { 200: { description: 'the notices', schema: PublicNoticeList }, ...errorResponses(429) },
      async handler() {
        return { body: await notices.list() };
      },
    }),
    operation({
      method: 'get',
      path: '/public/challenge',
      operationId: 'getPublicChallenge',
      summary: 'A question to answer with an objection (a check against scripts; valid ten minutes, once)',
      tags: ['public'],
      public: true,
      responses: { 200: { description: 'the challenge', schema: PublicChallenge }, ...errorResponses(429) },
      async handler({ res }) {
        res.setHeader('Cache-Control', 'no-store');
        return { body: notices.challenge() };
      },
    }),
    operation({
      method: 'post',
      path: '/public/notices/:noticeId/objections',
      operationId: 'objectToPublicNotice',
      summary: "A resident's objection to a public notice (name, telephone, content, the challenge's answer)",
      tags: ['public'],
      public: true,
      params: z.object({ noticeId: z.string().min(1).max(100) }),
      body: publicObjectionBody,
      responses: {
        201: { description: 'received', schema: z.object({ received: z.literal(true), reference: z.string() }) },
        ...errorResponses(400, 404, 409, 415, 429, 503),
      },
      async handler({ params, body }) {
        return { status: 201, body: await notices.object(params.noticeId, body) };
      },
    }),
    operation({
      method: 'get',
      path: '/cases/:id/public-objections',
      operationId: 'listPublicObjections',
      summary: "Residents' objections to a case through the public notice, with their contact details",
      tags: ['cases'],
      params: z.object({ id: z.string().min(1).max(100) }),
      responses: { 200: { description: 'the objections', schema: PublicObjectionList }, ...errorResponses(401, 404) },
      async handler({ caller, params }) {
        return { body: await notices.objectionsOf(caller, params.id) };
      },
    }),
  ];
}
