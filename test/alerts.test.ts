import { createMetrics } from '../api/metrics';
import { alertRules, exposedNames, metricNames } from './helpers/alerts';

/**
 * deploy/prometheus/alerts.yaml: every rule complete, and every metric the API group reads exported by the API's
 * own registry (the worker group's metrics are checked against a running worker in test/cluster/faults.test.ts).
 */
describe('Prometheus alert rules', () => {
  const rules = alertRules();

  test('metricNames reads the metric names of an expression, not its functions or labels', () => {
    expect(
      metricNames('histogram_quantile(0.95, sum by (le, task_queue) (rate(a_bucket{status="503"}[5m]))) / sum(rate(b_count[5m])) > 2.5'),
    ).toEqual(['a_bucket', 'b_count']);
    expect(metricNames('up{job="x"} == 0')).toEqual(['up']);
  });

  test('each rule has an expression, a duration, a severity and a summary', () => {
    expect(rules.length).toBeGreaterThan(5);
    for (const { rule } of rules) {
      expect(rule).toMatchObject({ alert: expect.stringMatching(/^Cases[A-Za-z]+$/), expr: expect.any(String) });
      expect(rule.for).toMatch(/^\d+[smhd]$/);
      expect(['page', 'ticket', 'info']).toContain(rule.labels.severity);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
    }
    expect(new Set(rules.map((r) => r.rule.alert)).size).toBe(rules.length);
  });

  test("the API rules read only metrics the API exports (and Prometheus' own up)", async () => {
    const metrics = createMetrics({
      cases: { countOverdue: () => Promise.resolve(0) },
      projection: { behindCount: () => Promise.resolve(0) },
    });
    metrics.httpDuration.observe({ method: 'GET', route: '/x', status: '200' }, 0.01);
    metrics.caseActions.inc({ action: 'approve', outcome: 'failed' });
    const exposed = exposedNames(await metrics.registry.metrics());
    const read = rules.filter((r) => r.group === 'community-cases-api').flatMap((r) => metricNames(r.rule.expr));
    expect(read.filter((n) => n !== 'up' && !exposed.has(n))).toEqual([]);
    expect(read).toContain('case_stages_overdue');
  });
});
