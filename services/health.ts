import type { Store } from '../store';
import type { TemporalAccess } from './temporal';

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);

/** Cases named on /readyz when read models are behind (the metric case_read_models_behind counts them all). */
const BEHIND_LISTED = 5;

/**
 * Readiness: Temporal and PostgreSQL each answer within two seconds. It also names the cases whose read model is
 * behind their workflow (the projection gave up on a write: PostgreSQL refused its content or stayed out of reach),
 * without failing readiness for them: this process answers correctly for every other case, and taking it out of
 * rotation would not bring them up to date (their workflows try the write again, and the next action repairs them).
 */
export function createHealthService({ store, temporal }: { store: Pick<Store, 'health' | 'projection'>; temporal: TemporalAccess }) {
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
      let projection = 'ok';
      const [temporalStatus, databaseStatus] = await Promise.all([
        check(() => temporal.client.withDeadline(Date.now() + 2_000, () => temporal.client.workflowService.getSystemInfo({}))),
        check(async () => {
          await store.health.ping();
          const behind = await store.projection.behind(BEHIND_LISTED);
          if (behind.length > 0)
            projection = `behind: ${behind.map((b) => `${b.caseId} from event ${b.seq} since ${b.since.toISOString()} (${b.reason})`).join('; ')}`;
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
