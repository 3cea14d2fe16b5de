import type { Period } from '../domain/calendar';
import { formatPeriod } from '../domain/process/definition';
import { ruleValueAt, type RuleSet } from '../domain/rules';
import { SRC, type SourceName } from '../domain/rules/sources';

/**
 * The parameter table of docs/policy.md and the county example of docs/examples/, both from the rule set, so
 * neither restates a value by hand (npm run -s docs:policy writes them; test/domain/policy-doc.test.ts reads the
 * table back and holds it against the rule set's provenance).
 */

export const TABLE_START = '<!-- parameters:start (npm run -s docs:policy) -->';
export const TABLE_END = '<!-- parameters:end -->';

export interface ParameterRow {
  key: string;
  value: string;
  status: string;
  source: string;
  note: string;
}

const SOURCE_NAMES = new Map<string, SourceName>(Object.entries(SRC).map(([name, text]) => [text, name as SourceName]));

/** The name of a source in the SRC table ("jiangsu16"), or the text itself for a source outside it (a county's). */
export const sourceName = (source: string | undefined): string => (source ? (SOURCE_NAMES.get(source) ?? source) : '—');

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value !== null && typeof value === 'object' && ('workingDays' in value || 'days' in value || 'seconds' in value)) {
    return formatPeriod(value as Period, 'en');
  }
  if (value !== null && typeof value === 'object' && 'level' in value && 'department' in value) {
    const a = value as { level: string; department: string; escalateTo?: { level: string; department: string } };
    return `${a.level} ${a.department}${a.escalateTo ? ` (overdue: ${a.escalateTo.level} ${a.escalateTo.department})` : ''}`;
  }
  if (value !== null && typeof value === 'object' && 'numerator' in value) {
    const s = value as { numerator: number; denominator: number; strict: boolean };
    return `${s.strict ? 'more than' : 'at least'} ${s.numerator}/${s.denominator}`;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 90 ? `${text.slice(0, 87)}…` : text;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** One row per provenance entry of the rule set, in the rule set's order of sections. */
export function parameterRows(ruleSet: RuleSet): ParameterRow[] {
  return Object.keys(ruleSet.provenance)
    .sort((a, b) => a.localeCompare(b))
    .map((key) => {
      const p = ruleSet.provenance[key] ?? { status: 'inferred' };
      return { key, value: show(ruleValueAt(ruleSet, key)), status: p.status, source: sourceName(p.source), note: p.note ?? '' };
    });
}

export function renderTable(rows: ParameterRow[]): string {
  const lines = [
    TABLE_START,
    '',
    '| Parameter | Value in jiangsu-2025 | Status | Source | Note |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) => `| \`${r.key}\` | ${cell(r.value)} | ${r.status} | ${r.source === '—' ? '—' : `\`${cell(r.source)}\``} | ${cell(r.note)} |`,
    ),
    '',
    TABLE_END,
  ];
  return lines.join('\n');
}

/** Reads the table back from docs/policy.md: one row per parameter, as written. */
export function readTable(markdown: string): ParameterRow[] {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('docs/policy.md has no parameter table');
  return markdown
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .slice(2, -2)
        .split(/(?<!\\) \| /)
        .map((c) => c.trim());
      const strip = (c: string) => c.replace(/^`|`$/g, '');
      return {
        key: strip(cells[0] ?? ''),
        value: cells[1] ?? '',
        status: cells[2] ?? '',
        source: strip(cells[3] ?? ''),
        note: cells[4] ?? '',
      };
    });
}

const EXAMPLE = (note: string) => ({ status: 'inferred' as const, note: `An example county's choice, not a real document: ${note}` });

/**
 * A county's variant of the Jiangsu rules, as a county would keep it in RULES_FILE: its own id, two changes to
 * the approval matrix (the street discipline committee rules on error tolerance; a clearance the street verified
 * is approved by the county commission) and three periods of its own, each with its provenance.
 */
export function countyVariant(base: RuleSet): RuleSet {
  const changes = {
    approvals: {
      'error-tolerance.collective-decision': { level: 'street', department: 'discipline' },
      'name-clearing.approval.street-discipline': { level: 'county', department: 'discipline' },
    },
    periods: {
      'promotion.notice': { workingDays: 7 },
      'nameClearing.implementation': { workingDays: 10 },
      'exit.hearing': { workingDays: 7 },
    },
  } as const;
  return {
    ...structuredClone(base),
    id: 'gulou-example',
    version: 1,
    title: { zh: '鼓楼区社区工作者规则（示例）', en: 'Gulou district rules for community workers (example)' },
    approvals: { ...base.approvals, ...changes.approvals },
    periods: { ...base.periods, ...changes.periods },
    provenance: {
      ...base.provenance,
      'approvals.error-tolerance.collective-decision': EXAMPLE('the street discipline committee rules on error tolerance collectively.'),
      'approvals.name-clearing.approval.street-discipline': EXAMPLE('the county commission approves every clearance.'),
      'periods.promotion.notice': EXAMPLE('a 7-working-day promotion notice.'),
      'periods.nameClearing.implementation': EXAMPLE('clearances carried out within 10 working days.'),
      'periods.exit.hearing': EXAMPLE('7 working days to hear the worker.'),
    },
  };
}
