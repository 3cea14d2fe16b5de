import type { Store } from '../store';
import type { TemporalAccess } from './temporal';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/** Readiness: Temporal and PostgreSQL each answer within two seconds. */
export function createHealthService({ store, temporal }: { store: Pick<Store, 'health'>; temporal: TemporalAccess }) {
  const check = async (probe: () => Promise<unknown>) => {
    try {
      await withTimeout(probe(), 2_000);
      return 'ok';
    } catch (err) {
      return `unavailable: ${(err as Error).message.split('\n')[0]}`;
    }
  };

  return {
    async readiness() {
      const [temporalStatus, databaseStatus] = await Promise.all([
        check(() => temporal.client.withDeadline(Date.now() + 2_000, () => temporal.client.workflowService.getSystemInfo({}))),
        check(() => store.health.ping()),
      ]);
      return { ready: temporalStatus === 'ok' && databaseStatus === 'ok', checks: { temporal: temporalStatus, database: databaseStatus } };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
