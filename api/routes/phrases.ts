import { z } from 'zod';
import { phraseBody, type PhraseService } from '../../services/phrases';
import { operation } from '../operation';
import { OpinionPhraseList, errorResponses } from '../schemas';

/** 常用语: the caller's saved opinion phrases (adding one again, or removing one not there, changes nothing). */
export function phraseOperations(phrases: PhraseService) {
  return [
    operation({
      method: 'get',
      path: '/me/phrases',
      operationId: 'listMyPhrases',
      summary: 'My opinion phrases (常用语), in my order; the defaults until I change them',
      tags: ['users'],
      responses: { 200: { description: 'the phrases', schema: OpinionPhraseList }, ...errorResponses(401) },
      async handler({ caller }) {
        return { body: await phrases.list(caller) };
      },
    }),
    operation({
      method: 'post',
      path: '/me/phrases',
      operationId: 'addMyPhrase',
      summary: 'Add an opinion phrase at the end of my list',
      tags: ['users'],
      body: phraseBody,
      responses: {
        200: { description: 'the phrases after', schema: OpinionPhraseList },
        ...errorResponses(400, 401, 409, 415),
      },
      async handler({ caller, body }) {
        return { body: await phrases.add(caller, body.text) };
      },
    }),
    operation({
      method: 'delete',
      path: '/me/phrases',
      operationId: 'removeMyPhrase',
      summary: 'Remove an opinion phrase from my list',
      tags: ['users'],
      query: z.object({ text: z.string().min(1).max(200).describe('the phrase') }),
      responses: { 200: { description: 'the phrases after', schema: OpinionPhraseList }, ...errorResponses(400, 401) },
      async handler({ caller, query }) {
        return { body: await phrases.remove(caller, query.text) };
      },
    }),
  ];
}
