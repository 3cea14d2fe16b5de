import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export { Prisma } from '../generated/prisma/client';
export type { PrismaClient };

/**
 * How long a request waits for a pooled connection (pg's default is forever): a PostgreSQL that accepts
 * connections but does not answer (overloaded, or stopped mid-restart) becomes an error the API answers with
 * 503, instead of a request that hangs.
 */
const CONNECT_TIMEOUT_MS = 5_000;

/** One client (and one pg pool) per process: the query compiler runs in WASM, no engine binary needed. */
export function createPrisma(databaseUrl: string, poolSize = 10): PrismaClient {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS }),
  });
}
