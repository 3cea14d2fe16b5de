import fs from 'node:fs';
import path from 'node:path';
import { payloadJsonSchema, registeredDefinitions } from '../../domain/case-types';
import { RULINGS } from '../../domain/case-types/error-tolerance/definition';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { DEPARTMENT_TYPES, ORG_LEVELS, ROLES } from '../../domain/org';
import { CASE_ACTIONS, CASE_STATUSES } from '../../domain/process/engine';
import { ATTENDANCE, STAGE_MODES } from '../../domain/process/vocabulary';
import {
  ASSESSMENT_RESULTS,
  DISCIPLINE_KINDS,
  EDUCATION_LEVELS,
  EMPLOYMENT_TYPES,
  PARTY_POSTS,
  POST_TYPES,
  QUALIFICATION_ELIGIBILITY_BASES,
  QUALIFICATION_LEVELS,
  RESIDENTS_COMMITTEE_POSTS,
  WORKER_STATUSES,
} from '../../domain/personnel';
import { caseTypeTexts } from '../../web/src/i18n/case-types';
import * as web from '../../web/src/types';

/**
 * The web UI's translations: both languages have exactly the same keys, every key the code names exists, the
 * API's vocabulary (statuses, actions, events, roles, payload fields and options) is translated, and no
 * visible text is written into the code instead of the translation files.
 */

const WEB = path.join(__dirname, '..', '..', 'web', 'src');
const load = (name: string) => JSON.parse(fs.readFileSync(path.join(WEB, 'i18n', name), 'utf8')) as Record<string, string>;
const zh = load('zh-CN.json');
const en = load('en.json');
// The case types' labels are typed per case type (web/src/i18n/case-types.ts); the rest is JSON.
const keys = new Set([...Object.keys(zh), ...Object.keys(caseTypeTexts('zh'))]);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx)$/.test(d.name) ? [full] : [];
  });
}
const sources = sourceFiles(WEB).map((file) => ({ file: path.relative(WEB, file), text: fs.readFileSync(file, 'utf8') }));

/** Source without comments (good enough for this code base: no "//" inside strings that matter). */
const withoutComments = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('web translations', () => {
  test('zh-CN and en have the same keys, none empty, with the same placeholders', () => {
    const missingInEn = Object.keys(zh).filter((k) => !(k in en));
    const extraInEn = Object.keys(en).filter((k) => !(k in zh));
    expect({ missingInEn, extraInEn }).toEqual({ missingInEn: [], extraInEn: [] });
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(zh)) {
      expect([key, zh[key]?.trim() !== '', en[key]?.trim() !== '']).toEqual([key, true, true]);
      expect([key, placeholders(en[key] as string)]).toEqual([key, placeholders(zh[key] as string)]);
    }
  });

  test('every key the code names is in the translation files', () => {
    const namespaces = new Set([...keys].map((k) => k.split('.')[0]));
    const unknown: string[] = [];
    for (const { file, text } of sources) {
      const code = withoutComments(text);
      // Calls with a fixed key: t('a.b'), t("a.b"), t(`a.b`).
      for (const m of code.matchAll(/\bt\(\s*(['"`])([^'"`$]+)\1/g)) if (!keys.has(m[2] as string)) unknown.push(`${file}: t(${m[2]})`);
      // Keys kept in tables (e.g. the error messages by status): any literal that looks like a key of a known namespace.
      for (const m of code.matchAll(/(['"`])([a-zA-Z]+(?:\.[\w-]+)+)\1/g)) {
        const literal = m[2] as string;
        if (namespaces.has(literal.split('.')[0]) && !keys.has(literal)) unknown.push(`${file}: '${literal}'`);
      }
      // Keys built from an API identifier: tx(`status.${s}`, s) — the prefix must be a namespace that has keys.
      for (const m of code.matchAll(/\btx?\(\s*`([\w.-]+)\.\$\{/g)) {
        const prefix = m[1] as string;
        if (![...keys].some((k) => k.startsWith(`${prefix}.`))) unknown.push(`${file}: no keys under ${prefix}.*`);
      }
    }
    expect(unknown).toEqual([]);
  });

  test("the API's vocabulary is translated", () => {
    const expected: string[] = [
      ...CASE_STATUSES.map((s) => `status.${s}`),
      ...CASE_ACTIONS.map((a) => `action.${a}`),
      ...CASE_ACTIONS.map((a) => `actionHelp.${a}`),
      ...web.CASE_EVENTS.map((a) => `event.${a}`),
      ...Object.keys(ROLES).map((r) => `role.${r}`),
      ...ORG_LEVELS.map((l) => `level.${l}`),
      ...STAGE_MODES.map((m) => `mode.${m}`),
      ...ATTENDANCE.map((a) => `form.attendance.${a}`),
      ...Object.keys(DEPARTMENT_TYPES).map((d) => `department.${d}`),
      ...['approved', ...RULINGS].map((o) => `outcome.${o}`),
      ...POST_TYPES.map((v) => `worker.postType.${v}`),
      ...EMPLOYMENT_TYPES.map((v) => `worker.employmentType.${v}`),
      ...EDUCATION_LEVELS.map((v) => `worker.education.${v}`),
      ...WORKER_STATUSES.map((v) => `worker.status.${v}`),
      ...QUALIFICATION_LEVELS.map((v) => `worker.qualification.${v}`),
      ...ASSESSMENT_RESULTS.map((v) => `worker.assessment.${v}`),
      ...DISCIPLINE_KINDS.map((v) => `worker.discipline.${v}`),
      ...PARTY_POSTS.map((v) => `worker.partyPost.${v}`),
      ...RESIDENTS_COMMITTEE_POSTS.map((v) => `worker.residentsCommitteePost.${v}`),
      ...QUALIFICATION_ELIGIBILITY_BASES.map((v) => `worker.eligibilityBasis.${v}`),
    ];
    // Values a rule set lists (exit reasons) carry their titles in the rule set; fixed values need translations.
    const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;
    const probe: RuleSet = {
      ...rules,
      exit: { ...rules.exit, reasons: [{ code: 'probe', title: { zh: '探针', en: 'Probe' }, status: 'inferred', basis: 'test' }] },
    };
    type PayloadSchema = { properties: Record<string, { enum?: string[] }> };
    for (const definition of registeredDefinitions()) {
      const schema = payloadJsonSchema(definition, rules) as PayloadSchema;
      const underProbe = payloadJsonSchema(definition, probe) as PayloadSchema;
      for (const [name, property] of Object.entries(schema.properties)) {
        expected.push(`field.${definition.type}.${name}`);
        for (const value of property.enum ?? [])
          if (underProbe.properties[name]?.enum?.includes(value)) expected.push(`option.${name}.${value}`);
      }
      for (const stage of definition.stages)
        for (const field of stage.fields ?? []) for (const value of field.options ?? []) expected.push(`option.${field.name}.${value}`);
    }
    // Field errors: zod's issue codes a form meets, and each schema's own check by the key it names (params.key).
    expected.push(
      ...['too_small', 'too_big', 'invalid_type', 'invalid_value', 'invalid_format', 'unrecognized_keys'].map((c) => `fieldError.${c}`),
    );
    const domainSources = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
        const full = path.join(dir, d.name);
        return d.isDirectory() ? domainSources(full) : d.name.endsWith('.ts') ? [fs.readFileSync(full, 'utf8')] : [];
      });
    const checkKeys = domainSources(path.join(__dirname, '..', '..', 'domain')).flatMap((text) =>
      [...text.matchAll(/params:\s*\{\s*key:\s*'([\w-]+)'/g)].map((m) => `fieldError.custom.${m[1]}`),
    );
    expect(checkKeys.length).toBeGreaterThanOrEqual(3);
    expected.push(...checkKeys);
    expect(expected.filter((k) => !keys.has(k))).toEqual([]);
  });

  test('the UI knows every status, action and event the engine produces', () => {
    expect([...web.CASE_STATUSES]).toEqual([...CASE_STATUSES]);
    expect([...web.CASE_ACTIONS]).toEqual([...CASE_ACTIONS]);
    // emit() takes only declared event names; this catches one passed around the type (a cast, a variable).
    const dir = path.join(__dirname, '..', '..', 'domain', 'process');
    const engine = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
      .join('\n');
    const emitted = new Set([...engine.matchAll(/\bemit\(\s*state,\s*now,\s*\w+,\s*'([\w-]+)'/g)].map((m) => m[1] as string));
    expect(emitted.size).toBeGreaterThan(20);
    expect([...emitted].filter((a) => !(web.CASE_EVENTS as readonly string[]).includes(a))).toEqual([]);
    expect(engine.match(/\bemit\(\s*state,\s*now,\s*\w+,\s*[^'\s]/g)).toBeNull();
  });

  test('no visible text is written into the code: no Chinese outside the translation files', () => {
    const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
    const translations = ['i18n/case-types.ts'];
    const offending = sources
      .filter(({ file, text }) => !translations.includes(file) && cjk.test(withoutComments(text)))
      .map((s) => s.file);
    expect(offending).toEqual([]);
  });
});
