import type { PrismaClient } from '../infra/prisma';

export function healthStore(db: PrismaClient) {
  return {
    /** Resolves when PostgreSQL answers a query. */
    async ping(): Promise<void> {
      await db.$queryRaw`SELECT 1`;
    },
  };
}

export type HealthStore = ReturnType<typeof healthStore>;
