import { databaseUnavailable } from '../store/db';
import type { Store } from '../store';
import { livePollers, temporalAnswers, within, type TemporalAccess } from './temporal';

const PROBE_MS = 2_000;

/**
 * Readiness: Temporal answers, PostgreSQL answers, and a worker polls the case workflows' task queue (without
 * one no case moves, and every action would wait for its deadline). Each check says what is wrong, not just
 * that something is.
 */
export function createHealthService({ store, temporal }: { store: Pick<Store, 'health'>; temporal: TemporalAccess }) {
  const check = async (probe: () => Promise<string | undefined>, describe: (err: unknown) => string) => {
    try {
      const problem = await within(PROBE_MS, probe());
      return problem ? `unavailable: ${problem}` : 'ok';
    } catch (err) {
      return `unavailable: ${describe(err)}`;
    }
  };
  const firstLine = (err: unknown) =>
    (err instanceof Error ? err.message : String(err))
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? 'no reason given';

  return {
    async readiness() {
      const [temporalStatus, databaseStatus, workerStatus] = await Promise.all([
        check(
          async () => void (await temporalAnswers(temporal, PROBE_MS)),
          (err) => `Temporal: ${firstLine(err)}`,
        ),
        check(
          async () => void (await store.health.ping()),
          (err) => `PostgreSQL: ${databaseUnavailable(err) ?? firstLine(err)}`,
        ),
        check(
          async () =>
            (await livePollers(temporal, PROBE_MS)) > 0 ? undefined : `no worker has polled the task queue ${temporal.taskQueue} lately`,
          (err) => `cannot ask Temporal for the task queue's pollers: ${firstLine(err)}`,
        ),
      ]);
      const checks = { temporal: temporalStatus, database: databaseStatus, worker: workerStatus };
      return { ready: Object.values(checks).every((c) => c === 'ok'), checks };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
