import type { Logger } from '../infra/logger';
import { databaseUnavailable } from '../store/db';
import type { Store } from '../store';
import { DeadlinePassed, livePollers, temporalAnswers, within, type TemporalAccess } from './temporal';

const PROBE_MS = 2_000;

/**
 * A dependency's state as /readyz tells it: a reason code, never the error's text (host names, ports, versions:
 * /readyz needs no token). What went wrong, in words, goes to the log.
 */
export type DependencyStatus = 'ok' | 'timeout' | 'unavailable' | 'no-worker';

/** Cases named in the log when read models are behind (the metric case_read_models_behind counts them all). */
const BEHIND_LISTED = 5;

class NoWorker extends Error {}

/**
 * Readiness: Temporal answers, PostgreSQL answers, and a worker polls the case workflows' task queue (without one
 * no case moves, and every action would wait for its deadline), each within two seconds. It also says whether read
 * models are behind their workflow (the projection gave up on a write: PostgreSQL refused its content or stayed out
 * of reach), naming the cases in the log only, without failing readiness for them: this process answers correctly
 * for every other case, and taking it out of rotation would not bring them up to date (their workflows try the
 * write again, and the next action repairs them).
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
  const firstLine = (err: unknown) =>
    (err instanceof Error ? err.message : String(err))
      .split('\n')
      .map((l) => l.trim())
      .find(Boolean) ?? 'no reason given';
  const check = async (
    dependency: string,
    probe: () => Promise<unknown>,
    describe: (err: unknown) => string,
  ): Promise<DependencyStatus> => {
    try {
      await within(PROBE_MS, probe());
      return 'ok';
    } catch (err) {
      logger?.warn({ dependency, reason: describe(err) }, `readiness: ${dependency} is not available`);
      return err instanceof NoWorker ? 'no-worker' : err instanceof DeadlinePassed ? 'timeout' : 'unavailable';
    }
  };

  return {
    async readiness() {
      // Known only when PostgreSQL answers.
      let projection: 'ok' | 'behind' | 'unknown' = 'unknown';
      const [temporalStatus, databaseStatus, workerStatus] = await Promise.all([
        check(
          'temporal',
          () => temporalAnswers(temporal, PROBE_MS),
          (err) => `Temporal: ${firstLine(err)}`,
        ),
        check(
          'database',
          async () => {
            await store.health.ping();
            const behind = await store.projection.behind(BEHIND_LISTED);
            projection = behind.length > 0 ? 'behind' : 'ok';
            if (behind.length > 0)
              logger?.warn(
                { behind: behind.map((b) => ({ caseId: b.caseId, seq: b.seq, since: b.since.toISOString(), reason: b.reason })) },
                'readiness: read models are behind their workflow',
              );
          },
          (err) => `PostgreSQL: ${databaseUnavailable(err) ?? firstLine(err)}`,
        ),
        check(
          'worker',
          async () => {
            if ((await livePollers(temporal, PROBE_MS)) === 0)
              throw new NoWorker(`no worker has polled the task queue ${temporal.taskQueue} lately`);
          },
          (err) => (err instanceof NoWorker ? err.message : `cannot ask Temporal for the task queue's pollers: ${firstLine(err)}`),
        ),
      ]);
      const checks = { temporal: temporalStatus, database: databaseStatus, worker: workerStatus };
      return { ready: Object.values(checks).every((c) => c === 'ok'), checks: { ...checks, projection } };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
