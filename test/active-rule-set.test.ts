import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { activeRuleSet } from '../app/runtime';
import { BUILT_IN_RULE_SETS } from '../domain/rules';
import { loadConfig } from '../infra/config';

/** Choosing the rule set at start-up: a built-in one by RULE_SET, or a county's variant from RULES_FILE. */
describe('the rule set in force', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rules-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    return file;
  };

  test('built-in rule sets by id, jiangsu-2025 by default', () => {
    expect(activeRuleSet(loadConfig({})).id).toBe('jiangsu-2025');
    expect(activeRuleSet(loadConfig({ RULE_SET: 'demo' })).id).toBe('demo');
    expect(() => activeRuleSet(loadConfig({ RULE_SET: 'atlantis' }))).toThrow(/RULE_SET=atlantis is not a known rule set/);
  });

  test("a county's variant from RULES_FILE, with its own periods", () => {
    const variant = structuredClone(BUILT_IN_RULE_SETS['jiangsu-2025']!);
    Object.assign(variant, { id: 'gulou-2026', version: 3 });
    variant.periods['promotion.notice'] = { workingDays: 7 };
    const file = write('gulou.json', JSON.stringify(variant));
    const ruleSet = activeRuleSet(loadConfig({ RULES_FILE: file }));
    expect(ruleSet).toMatchObject({ id: 'gulou-2026', version: 3, periods: { 'promotion.notice': { workingDays: 7 } } });
  });

  test('a malformed file, or one missing a period a case type needs, stops the start with the reason', () => {
    expect(() => activeRuleSet(loadConfig({ RULES_FILE: write('broken.json', '{ "id": ') }))).toThrow(/cannot be read as JSON/);
    const noGrades = structuredClone(BUILT_IN_RULE_SETS['jiangsu-2025']!) as unknown as Record<string, unknown>;
    delete noGrades.grades;
    expect(() => activeRuleSet(loadConfig({ RULES_FILE: write('no-grades.json', JSON.stringify(noGrades)) }))).toThrow(/grades/);
    const short = structuredClone(BUILT_IN_RULE_SETS['jiangsu-2025']!);
    delete short.periods['exit.hearing'];
    for (const key of Object.keys(short.provenance)) if (key === 'periods.exit.hearing') delete short.provenance[key];
    expect(() => activeRuleSet(loadConfig({ RULES_FILE: write('short.json', JSON.stringify(short)) }))).toThrow(
      /exit: rule set jiangsu-2025 has no period "exit.hearing"/,
    );
  });
});
