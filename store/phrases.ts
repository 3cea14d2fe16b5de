import { DEFAULT_PHRASES, PHRASES_MAX } from '../domain/phrases';
import type { Db } from './db';

/**
 * 常用语 as stored: one row per person who changed theirs. Adding and removing are single statements, so two
 * tabs changing the list at once both land; the first change of a person writes the defaults with it.
 */
export function phraseStore(db: Db) {
  const defaults = [...DEFAULT_PHRASES];
  return {
    async list(userId: string): Promise<string[]> {
      const row = await db.opinionPhrases.findUnique({ where: { userId }, select: { phrases: true } });
      return row ? row.phrases : defaults;
    },

    /** Appends the phrase unless the list holds it already or is full; the list after. */
    async add(userId: string, phrase: string): Promise<string[]> {
      const rows = await db.$queryRaw<{ phrases: string[] }[]>`
        INSERT INTO "OpinionPhrases" ("userId", "phrases", "updatedAt")
        VALUES (${userId}, CASE WHEN ${phrase} = ANY(${defaults}::text[]) THEN ${defaults}::text[]
                                ELSE array_append(${defaults}::text[], ${phrase}) END, now())
        ON CONFLICT ("userId") DO UPDATE SET
          "phrases" = CASE WHEN ${phrase} = ANY("OpinionPhrases"."phrases") OR cardinality("OpinionPhrases"."phrases") >= ${PHRASES_MAX}
                           THEN "OpinionPhrases"."phrases"
                           ELSE array_append("OpinionPhrases"."phrases", ${phrase}) END,
          "updatedAt" = now()
        RETURNING "phrases"`;
      return rows[0]?.phrases ?? [];
    },

    /** Removes the phrase (nothing when the list does not hold it); the list after. */
    async remove(userId: string, phrase: string): Promise<string[]> {
      const rows = await db.$queryRaw<{ phrases: string[] }[]>`
        INSERT INTO "OpinionPhrases" ("userId", "phrases", "updatedAt")
        VALUES (${userId}, array_remove(${defaults}::text[], ${phrase}), now())
        ON CONFLICT ("userId") DO UPDATE SET "phrases" = array_remove("OpinionPhrases"."phrases", ${phrase}), "updatedAt" = now()
        RETURNING "phrases"`;
      return rows[0]?.phrases ?? [];
    },
  };
}
