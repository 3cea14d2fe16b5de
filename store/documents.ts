import type { PrismaClient } from '../infra/prisma';

/**
 * Document numbers (文号): gapless per issuing body and year, assigned once per case and kind. The counter row
 * of the issuer and year is locked by the upsert that advances it, so concurrent requests take numbers one
 * after another; a second request for the same case and kind finds the first one's number (and, if it raced,
 * its transaction rolls back, counter included, so no number is skipped).
 */
export function documentStore(db: PrismaClient) {
  async function existing(caseId: string, kind: string) {
    return db.caseDocumentNumber.findUnique({ where: { caseId_kind: { caseId, kind } } });
  }

  return {
    existing,

    async assignNumber(q: { caseId: string; kind: string; issuer: string; year: number }): Promise<number> {
      for (let attempt = 0; ; attempt += 1) {
        const found = await existing(q.caseId, q.kind);
        if (found) return found.number;
        try {
          return await db.$transaction(async (tx) => {
            const [counter] = await tx.$queryRaw<{ lastNumber: number }[]>`
              INSERT INTO "DocumentNumberCounter" (issuer, year, "lastNumber") VALUES (${q.issuer}, ${q.year}::int, 1)
              ON CONFLICT (issuer, year) DO UPDATE SET "lastNumber" = "DocumentNumberCounter"."lastNumber" + 1
              RETURNING "lastNumber"`;
            const number = (counter as { lastNumber: number }).lastNumber;
            await tx.caseDocumentNumber.create({ data: { caseId: q.caseId, kind: q.kind, issuer: q.issuer, year: q.year, number } });
            return number;
          });
        } catch (err) {
          // The same case and kind numbered meanwhile (unique violation): read theirs on the next turn.
          if (attempt >= 3 || (err as { code?: string }).code !== 'P2002') throw err;
        }
      }
    },

    /** Display names of users (signers), by id; unknown ids are left out. */
    async userNames(ids: string[]): Promise<Map<string, string>> {
      const rows = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    /** Names of org units by id (the case's street and county for the issuing bodies). */
    async orgUnitNames(ids: string[]): Promise<Map<string, string>> {
      const rows = await db.orgUnit.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
      return new Map(rows.map((r) => [r.id, r.name]));
    },
  };
}

export type DocumentStore = ReturnType<typeof documentStore>;
