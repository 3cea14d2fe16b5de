import type { Logger } from '../infra/logger';
import type { Store } from '../store';
import type { TemporalAccess } from './temporal';

class NoAnswer extends Error {}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new NoAnswer(`no answer within ${ms} ms`)), ms).unref())]);

/** A dependency's state as /readyz tells it: a reason code, never the error's text (host names, ports, versions). */
export type DependencyStatus = 'ok' | 'timeout' | 'unavailable';

/** Cases named in the log when read models are behind (the metric case_read_models_behind counts them all). */
const BEHIND_LISTED = 5;

/**
 * Readiness: Temporal and PostgreSQL each answer within two seconds. /readyz needs no token, so it answers with a
 * reason code only; what went wrong goes to the log. It also says whether read models are behind their workflow
 * (the projection gave up on a write: PostgreSQL refused its content or stayed out of reach), naming the cases in
 * the log only, without failing readiness for them: this process answers correctly for every other case, and
 * taking it out of rotation would not bring them up to date (their workflows try the write again, and the next
 * action repairs them).
 */
export function createHealthService({
  store,
  temporal,
  logger,
}: {
  store: Pick<Store, 'health' | 'projection'>;
  temporal: TemporalAccess;
  logger?: Logger;
}) {
  const check = async (dependency: string, probe: () => Promise<unknown>): Promise<DependencyStatus> => {
    try {
      await withTimeout(probe(), 2_000);
      return 'ok';
    } catch (err) {
      logger?.warn({ err, dependency }, `readiness: ${dependency} is not available`);
      return err instanceof NoAnswer ? 'timeout' : 'unavailable';
    }
  };

  return {
    async readiness() {
      // Known only when PostgreSQL answers.
      let projection: 'ok' | 'behind' | 'unknown' = 'unknown';
      const [temporalStatus, databaseStatus] = await Promise.all([
        check('temporal', () => temporal.client.withDeadline(Date.now() + 2_000, () => temporal.client.workflowService.getSystemInfo({}))),
        check('database', async () => {
          await store.health.ping();
          const behind = await store.projection.behind(BEHIND_LISTED);
          projection = behind.length > 0 ? 'behind' : 'ok';
          if (behind.length > 0)
            logger?.warn(
              { behind: behind.map((b) => ({ caseId: b.caseId, seq: b.seq, since: b.since.toISOString(), reason: b.reason })) },
              'readiness: read models are behind their workflow',
            );
        }),
      ]);
      return {
        ready: temporalStatus === 'ok' && databaseStatus === 'ok',
        checks: { temporal: temporalStatus, database: databaseStatus, projection },
      };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
