import type { Logger } from '../infra/logger';
import type { Store } from '../store';
import type { TemporalAccess } from './temporal';

class NoAnswer extends Error {}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new NoAnswer(`no answer within ${ms} ms`)), ms).unref())]);

/** A dependency's state as /readyz tells it: a reason code, never the error's text (host names, ports, versions). */
export type DependencyStatus = 'ok' | 'timeout' | 'unavailable';

/**
 * Readiness: Temporal and PostgreSQL each answer within two seconds. /readyz needs no token, so it answers with a
 * reason code only; what went wrong goes to the log.
 */
export function createHealthService({
  store,
  temporal,
  logger,
}: {
  store: Pick<Store, 'health'>;
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
      const [temporalStatus, databaseStatus] = await Promise.all([
        check('temporal', () => temporal.client.withDeadline(Date.now() + 2_000, () => temporal.client.workflowService.getSystemInfo({}))),
        check('database', () => store.health.ping()),
      ]);
      return { ready: temporalStatus === 'ok' && databaseStatus === 'ok', checks: { temporal: temporalStatus, database: databaseStatus } };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
