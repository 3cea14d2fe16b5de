import type { Prisma, PrismaClient } from '../infra/prisma';

/**
 * What a store module reads and writes through: the client, or a transaction of it (an outcome applier reads a
 * personnel record inside the transaction that changes it).
 */
export type Db = PrismaClient | Prisma.TransactionClient;

/** A date column (midnight UTC) as YYYY-MM-DD. */
export const day = (d: Date) => d.toISOString().slice(0, 10);
export const dayOrNull = (d: Date | null) => (d ? day(d) : null);
/** YYYY-MM-DD as a date column's value. */
export const dateValue = (d: string) => new Date(`${d}T00:00:00.000Z`);

/** PostgreSQL's SQLSTATEs that mean "the server is not there for you now": connection exceptions (08…), shutdown and start-up (57P01–57P03), too many connections. */
const UNAVAILABLE_SQLSTATE = /^(08|57P0[123]|53300)/;
/** Prisma's own codes for the same: cannot reach, timed out, connection closed, pool timeout. */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** The driver adapter's kinds for the same (@prisma/driver-adapter-utils). */
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);
/** Node's socket errors, and pg's messages for a connection that died or never came. */
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|Client has encountered a connection error/;

const fieldOf = (value: unknown, key: string): unknown =>
  value !== null && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;

/**
 * Why PostgreSQL could not answer, when an error says it could not (server down, restarting, unreachable, out
 * of connections); undefined for any other error. The API answers these with 503 and Retry-After instead of
 * 500, and /readyz names the reason. Prisma wraps the driver's error, so the whole chain is read: the error,
 * its cause, and the driver adapter's error in Prisma's meta.
 */
export function databaseUnavailable(err: unknown): string | undefined {
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    const code = fieldOf(e, 'code');
    const kind = fieldOf(e, 'kind');
    const message = typeof fieldOf(e, 'message') === 'string' ? (fieldOf(e, 'message') as string) : '';
    const lastLine = message.trim().split('\n').at(-1)?.trim() ?? '';
    if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) {
      const host = fieldOf(e, 'host');
      const port = fieldOf(e, 'port');
      return `${kind}${typeof host === 'string' ? ` (${host}:${typeof port === 'number' ? port : '?'})` : ''}`;
    }
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_SOCKET_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_PRISMA_CODES.has(code))
    ) {
      const original = fieldOf(e, 'originalMessage');
      return `${code}: ${typeof original === 'string' ? original : lastLine || 'connection failed'}`;
    }
    if (UNAVAILABLE_MESSAGE.test(message)) return lastLine;
    const originalCode = fieldOf(e, 'originalCode');
    if (typeof originalCode === 'string' && UNAVAILABLE_SQLSTATE.test(originalCode))
      return `${originalCode}: ${String(fieldOf(e, 'originalMessage'))}`;
    queue.push(
      fieldOf(e, 'cause'),
      fieldOf(fieldOf(e, 'meta'), 'driverAdapterError'),
      ...(Array.isArray(fieldOf(e, 'errors')) ? (fieldOf(e, 'errors') as unknown[]) : []),
    );
  }
  return undefined;
}
