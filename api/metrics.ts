import client from 'prom-client';
import type { CaseStore } from '../store/cases';
import type { ProjectionStore } from '../store/projection';

/** How old a count read from PostgreSQL (overdue stages, read models behind) may be when scraped. */
export const OVERDUE_REFRESH_MS = 30_000;

/**
 * A count read from PostgreSQL at most once per OVERDUE_REFRESH_MS: a scrape answers from the last count and,
 * when it is older, starts the next one, so however often (or by whomever, /metrics needs no token) the endpoint
 * is scraped, PostgreSQL sees one COUNT per interval. Only the first scrape waits.
 */
function cachedCount(count: () => Promise<number>, now: () => number) {
  let value: number | undefined;
  let countedAt = -Infinity;
  let counting: Promise<void> | undefined;
  const refresh = () => {
    counting ??= count()
      .then((n) => {
        value = n;
        countedAt = now();
      })
      .finally(() => {
        counting = undefined;
      });
    return counting;
  };
  return async (): Promise<number | undefined> => {
    if (now() - countedAt >= OVERDUE_REFRESH_MS) {
      const next = refresh();
      if (value === undefined) await next;
      // A failed count leaves the last value; the next scrape tries again.
      else next.catch(() => undefined);
    }
    return value;
  };
}

/**
 * Prometheus metrics of one API process: request rates and latencies by route, case starts, actions by type
 * and outcome, overdue stages and cases whose read model is behind their workflow (both counted from PostgreSQL,
 * at most every OVERDUE_REFRESH_MS).
 */
export function createMetrics(
  store: { cases: Pick<CaseStore, 'countOverdue'>; projection: Pick<ProjectionStore, 'behindCount'> },
  now: () => number = Date.now,
) {
  const overdue = cachedCount(() => store.cases.countOverdue(new Date(now())), now);
  const behind = cachedCount(() => store.projection.behindCount(), now);
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route (the declared path, not the URL), method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const caseStarts = new client.Counter({
    name: 'case_starts_total',
    help: 'Cases submitted, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const caseActions = new client.Counter({
    name: 'case_actions_total',
    help: 'Actions on cases by action and outcome (accepted, refused, failed)',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: 'case_stages_overdue',
    help: 'Open cases whose current stage is past its due time',
    registers: [registry],
    async collect() {
      const count = await overdue();
      if (count !== undefined) this.set(count);
    },
  });
  new client.Gauge({
    name: 'case_read_models_behind',
    help: 'Cases whose projection gave up on a write, so their read model lags their workflow (see /readyz)',
    registers: [registry],
    async collect() {
      const count = await behind();
      if (count !== undefined) this.set(count);
    },
  });
  return { registry, httpDuration, caseStarts, caseActions };
}

export type Metrics = ReturnType<typeof createMetrics>;
