/**
 * Writes the parameter table of docs/policy.md (between its markers) and the county example
 * docs/examples/county-variant.json from the built-in Jiangsu rules:
 *
 *   npm run -s docs:policy
 *
 * test/domain/policy-doc.test.ts fails when either no longer matches the rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { BUILT_IN_RULE_SETS, type RuleSet } from '../domain/rules';
import { countyVariant, parameterRows, renderTable, TABLE_END, TABLE_START } from './policy-table';

const ROOT = path.join(__dirname, '..');
const rules = BUILT_IN_RULE_SETS['jiangsu-2025'] as RuleSet;

const docPath = path.join(ROOT, 'docs', 'policy.md');
const doc = fs.readFileSync(docPath, 'utf8');
const start = doc.indexOf(TABLE_START);
const end = doc.indexOf(TABLE_END);
if (start < 0 || end < start) throw new Error(`${docPath} has no markers ${TABLE_START} … ${TABLE_END}`);
fs.writeFileSync(docPath, `${doc.slice(0, start)}${renderTable(parameterRows(rules))}${doc.slice(end + TABLE_END.length)}`);

async function writeExample() {
  const examplePath = path.join(ROOT, 'docs', 'examples', 'county-variant.json');
  fs.mkdirSync(path.dirname(examplePath), { recursive: true });
  // Formatted as the repository formats JSON, so npm run lint's Prettier check holds.
  const options = await prettier.resolveConfig(examplePath);
  fs.writeFileSync(examplePath, await prettier.format(JSON.stringify(countyVariant(rules)), { ...options, parser: 'json' }));
  console.log(`wrote ${path.relative(ROOT, docPath)} and ${path.relative(ROOT, examplePath)}`);
}

writeExample().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
