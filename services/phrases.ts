import { z } from 'zod';
import type { Caller } from '../domain/access';
import { normalisePhrase, PHRASE_MAX_LENGTH, PHRASES_MAX } from '../domain/phrases';
import type { Store } from '../store';
import { HttpProblem } from './problem';

/** 常用语: the caller's own opinion phrases (domain/phrases.ts). */

export const phraseBody = z.object({
  text: z
    .string()
    .transform(normalisePhrase)
    .pipe(z.string().min(1, 'a phrase cannot be empty').max(PHRASE_MAX_LENGTH, `a phrase has at most ${PHRASE_MAX_LENGTH} characters`)),
});

export function createPhraseService({ store }: { store: Pick<Store, 'phrases'> }) {
  return {
    async list(caller: Caller) {
      return { items: await store.phrases.list(caller.id) };
    },

    async add(caller: Caller, text: string) {
      const items = await store.phrases.add(caller.id, text);
      if (!items.includes(text)) {
        throw new HttpProblem('conflict', `at most ${PHRASES_MAX} phrases: remove one before adding another`);
      }
      return { items };
    },

    async remove(caller: Caller, text: string) {
      return { items: await store.phrases.remove(caller.id, normalisePhrase(text)) };
    },
  };
}

export type PhraseService = ReturnType<typeof createPhraseService>;
