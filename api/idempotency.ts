import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/history';
import { HttpProblem } from '../services/problem';
import type { IdempotencyStore } from '../store/idempotency';
import type { HandlerResult, IdempotentRequest } from './operation';

/**
 * Idempotency-Key: the first response to a key is stored; the same key with the same request gets that
 * response again, and with a different request a 422. Temporal deduplicates underneath as well (the key
 * derives the case id and the Update id), so two concurrent first requests still have one effect.
 */
export async function idempotent(
  store: IdempotencyStore,
  request: IdempotentRequest,
  run: () => Promise<HandlerResult>,
): Promise<HandlerResult> {
  if (!request.key) return run();
  const requestHash = createHash('sha256')
    .update(`${request.method} ${request.path}\n${canonicalJson(request.body ?? null)}`)
    .digest('hex');
  const earlier = await store.find(request.userId, request.key);
  if (earlier) {
    if (earlier.requestHash !== requestHash) {
      throw new HttpProblem('idempotency-key-reused', `Idempotency-Key "${request.key}" was used for a different request`);
    }
    return { status: earlier.status, body: earlier.body, headers: { ...earlier.headers, 'Idempotent-Replayed': 'true' } };
  }
  const result = await run();
  const status = result.status ?? 200;
  if (status >= 200 && status < 300) {
    await store.save(request.userId, request.key, { requestHash, status, body: result.body ?? null, headers: result.headers ?? {} });
  }
  return result;
}
