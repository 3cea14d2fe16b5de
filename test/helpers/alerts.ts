import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { PROJECT_ROOT } from '../../infra/config';

export const ALERT_RULES_FILE = path.join(PROJECT_ROOT, 'deploy', 'prometheus', 'alerts.yaml');

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string };
}

export function alertRules(): { group: string; rule: AlertRule }[] {
  const doc = YAML.parse(fs.readFileSync(ALERT_RULES_FILE, 'utf8')) as { groups: { name: string; rules: AlertRule[] }[] };
  return doc.groups.flatMap((g) => g.rules.map((rule) => ({ group: g.name, rule })));
}

/**
 * The metric names a PromQL expression reads: label matchers, ranges and `by (...)` groupings removed, what is
 * left that is not a function call, an operator keyword or a number.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '');
  const names = [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1] as string);
  return [...new Set(names.filter((n) => !['and', 'or', 'unless', 'bool', 'offset'].includes(n)))];
}

/** The names a Prometheus text exposition declares (a histogram's _bucket/_sum/_count included), from its samples. */
export function exposedNames(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? ''),
  );
}
