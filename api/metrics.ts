import client from 'prom-client';
import type { CaseStore } from '../store/cases';

/** How old the overdue count may be when scraped. */
export const OVERDUE_REFRESH_MS = 30_000;

/**
 * The count of overdue stages, read from the read model at most once per OVERDUE_REFRESH_MS: a scrape answers
 * from the last count and, when it is older, starts the next one, so however often (or by whomever, /metrics
 * needs no token) the endpoint is scraped, PostgreSQL sees one COUNT per interval. Only the first scrape waits.
 */
function overdueCount(cases: Pick<CaseStore, 'countOverdue'>, now: () => number) {
  let value: number | undefined;
  let countedAt = -Infinity;
  let counting: Promise<void> | undefined;
  const refresh = () => {
    counting ??= cases
      .countOverdue(new Date(now()))
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
 * and outcome, and overdue stages (counted from the read model, at most every OVERDUE_REFRESH_MS).
 */
export function createMetrics(cases: Pick<CaseStore, 'countOverdue'>, now: () => number = Date.now) {
  const overdue = overdueCount(cases, now);
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
  return { registry, httpDuration, caseStarts, caseActions };
}

export type Metrics = ReturnType<typeof createMetrics>;
