import client from 'prom-client';
import type { CaseStore } from '../store/cases';
import type { ProjectionStore } from '../store/projection';

/**
 * Prometheus metrics of one API process: request rates and latencies by route, case starts, actions by type
 * and outcome, overdue stages and cases whose read model is behind their workflow (both counted from PostgreSQL
 * when scraped).
 */
export function createMetrics(store: { cases: Pick<CaseStore, 'countOverdue'>; projection: Pick<ProjectionStore, 'behindCount'> }) {
  const { cases, projection } = store;
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
      this.set(await cases.countOverdue(new Date()));
    },
  });
  new client.Gauge({
    name: 'case_read_models_behind',
    help: 'Cases whose projection gave up on a write, so their read model lags their workflow (see /readyz)',
    registers: [registry],
    async collect() {
      this.set(await projection.behindCount());
    },
  });
  return { registry, httpDuration, caseStarts, caseActions };
}

export type Metrics = ReturnType<typeof createMetrics>;
