import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/history';
import type { Prisma, PrismaClient } from '../infra/prisma';
import type { HandlerResult } from './operation';
import { HttpProblem } from './problem';

/**
 * Idempotency-Key: the first response to a key is stored; the same key with the same request gets that
 * response again, and with a different request a 422. Temporal deduplicates underneath as well (the key
 * derives the case id and the Update id), so two concurrent first requests still have one effect.
 */
export async function idempotent(
  prisma: PrismaClient,
  request: { userId: string; key: string | undefined; method: string; path: string; body: unknown },
  run: () => Promise<HandlerResult>,
): Promise<HandlerResult> {
  if (!request.key) return run();
  const requestHash = createHash('sha256').update(`${request.method} ${request.path}\n${canonicalJson(request.body ?? null)}`).digest('hex');
  const where = { userId_key: { userId: request.userId, key: request.key } };
  const earlier = await prisma.idempotencyRecord.findUnique({ where });
  if (earlier) {
    if (earlier.requestHash !== requestHash) {
      throw new HttpProblem('idempotency-key-reused', `Idempotency-Key "${request.key}" was used for a different request`);
    }
    return { status: earlier.status, body: earlier.response, headers: { ...(earlier.headers as Record<string, string>), 'Idempotent-Replayed': 'true' } };
  }
  const result = await run();
  const status = result.status ?? 200;
  if (status >= 200 && status < 300) {
    await prisma.idempotencyRecord.createMany({
      data: [{ userId: request.userId, key: request.key, requestHash, status, response: (result.body ?? null) as Prisma.InputJsonValue, headers: result.headers ?? {} }],
      skipDuplicates: true,
    });
  }
  return result;
}

export function idempotencyKey(header: string | string[] | undefined): string | undefined {
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) return undefined;
  const trimmed = key.trim();
  if (!trimmed || trimmed.length > 200) throw new HttpProblem('invalid-request', 'Idempotency-Key must be 1–200 characters');
  return trimmed;
}
