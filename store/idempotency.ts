import type { Prisma, PrismaClient } from '../infra/prisma';

/** The first response to each Idempotency-Key of a user, kept to answer a repeated request with it. */
export interface StoredResponse {
  /** SHA-256 of method, path and canonical body: the same key with another request is refused. */
  requestHash: string;
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export function idempotencyStore(db: PrismaClient) {
  return {
    async find(userId: string, key: string): Promise<StoredResponse | null> {
      const row = await db.idempotencyRecord.findUnique({ where: { userId_key: { userId, key } } });
      return row
        ? { requestHash: row.requestHash, status: row.status, body: row.response, headers: row.headers as Record<string, string> }
        : null;
    },

    /** Keeps the first response; a concurrent first request that saved before wins. */
    async save(userId: string, key: string, response: StoredResponse): Promise<void> {
      const { requestHash, status, headers } = response;
      await db.idempotencyRecord.createMany({
        data: [{ userId, key, requestHash, status, response: (response.body ?? null) as Prisma.InputJsonValue, headers }],
        skipDuplicates: true,
      });
    },
  };
}

export type IdempotencyStore = ReturnType<typeof idempotencyStore>;
