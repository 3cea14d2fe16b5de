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

/**
 * One client (and one pg pool) per process: the query compiler runs in WASM, no engine binary needed.
 * `onStatement`: told every SQL statement the client sends (the hot-path test counts them per request).
 */
export function createPrisma(databaseUrl: string, poolSize = 10, onStatement?: (sql: string) => void): PrismaClient {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  if (!onStatement) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (e) => onStatement(e.query));
  return client;
}
