import fs from 'node:fs';
import path from 'node:path';
import { caseTypeProblems } from '../../domain/case-types';
import { BUILT_IN_RULE_SETS, parseRuleSet, type RuleSet } from '../../domain/rules';
import { SRC } from '../../domain/rules/sources';
import { countyVariant, parameterRows, readTable } from '../../scripts/policy-table';

/**
 * docs/policy.md lists every parameter of the Jiangsu rules with its status and source, and agrees with the rule
 * set's provenance; the county example in docs/examples/ is a valid rule set that differs where it says.
 */

const ROOT = path.join(__dirname, '..', '..');
const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
const doc = fs.readFileSync(path.join(ROOT, 'docs', 'policy.md'), 'utf8');

describe('docs/policy.md', () => {
  const rows = readTable(doc);

  test('lists every provenance entry once, and nothing else', () => {
    const keys = rows.map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual(Object.keys(rules.provenance).sort());
  });

  test('each row has the status and source of the rule set’s provenance', () => {
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const names = new Map<string, string>(Object.entries(SRC).map(([name, text]) => [text, name]));
    const disagree = Object.entries(rules.provenance).filter(([key, p]) => {
      const row = byKey.get(key);
      return row?.status !== p.status || row.source !== (p.source ? names.get(p.source) : '—');
    });
    expect(disagree).toEqual([]);
  });

  test('its table is the one the rule set gives (npm run -s docs:policy)', () => {
    expect(rows).toEqual(parameterRows(rules));
  });

  test('names every source the rules cite in its sources table', () => {
    const cited = new Set<string>(Object.values(rules.provenance).flatMap((p) => (p.source ? [p.source] : [])));
    const names = Object.entries(SRC)
      .filter(([, text]) => cited.has(text))
      .map(([name]) => name);
    expect(names.filter((name) => !doc.includes(`| \`${name}\` |`))).toEqual([]);
  });

  test('counts the three marks', () => {
    const count = (status: string) => rows.filter((r) => r.status === status).length;
    expect(count('sourced')).toBeGreaterThan(10);
    expect(count('analogue')).toBeGreaterThan(30);
    expect(count('sourced') + count('analogue') + count('inferred')).toBe(rows.length);
  });
});

describe('docs/examples/county-variant.json', () => {
  const file = path.join(ROOT, 'docs', 'examples', 'county-variant.json');
  const county = parseRuleSet(JSON.parse(fs.readFileSync(file, 'utf8')), file);

  test('is a valid rule set the case types run under, as npm run -s docs:policy writes it', () => {
    expect(caseTypeProblems(county)).toEqual([]);
    expect(county).toEqual(countyVariant(rules));
  });

  test('changes the approval matrix and three periods, each with its provenance, and nothing else', () => {
    const changed = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    expect(changed(county.approvals, rules.approvals)).toEqual([
      'error-tolerance.collective-decision',
      'name-clearing.approval.street-discipline',
    ]);
    expect(changed(county.periods, rules.periods)).toEqual(['promotion.notice', 'nameClearing.implementation', 'exit.hearing']);
    expect(changed(county.provenance, rules.provenance).sort()).toEqual([
      'approvals.error-tolerance.collective-decision',
      'approvals.name-clearing.approval.street-discipline',
      'periods.exit.hearing',
      'periods.nameClearing.implementation',
      'periods.promotion.notice',
    ]);
    const { approvals: _a, periods: _p, provenance: _v, id, version: _n, title: _t, ...rest } = county;
    const { approvals: _ja, periods: _jp, provenance: _jv, id: _ji, version: _jn, title: _jt, ...jiangsuRest } = rules;
    expect(id).toBe('gulou-example');
    expect(rest).toEqual(jiangsuRest);
  });
});
