import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * What a new case type needs, shown with the TypeScript compiler. A throwaway type (传帮带, from
 * test/fixtures/scaffold-case-type/) is laid over the sources in memory: its folder under
 * domain/case-types/, its name in names.ts and its line in the registry, which is adding it. The compiler then
 * names exactly the pieces it still needs outside its folder, each one a Record over the case type names:
 * its outcome applier, its rule values in the built-in rules, its labels in the web, and a case for the
 * history recorder (whose recorded history the replay test then requires).
 * With those added, everything type-checks. Nothing is written to disk.
 */

const ROOT = path.join(__dirname, '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'scaffold-case-type');
const TYPE = 'mentoring';

/** The programs' roots: the registry and every per-type table. */
const ROOTS = [
  'domain/case-types/index.ts',
  'domain/rules/index.ts',
  'activities/outcomes/index.ts',
  'web/src/i18n/case-types.ts',
  'scripts/history-scenarios.ts',
];

type Overlay = Map<string, string>;

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Inserts `entry` as the first member of the object literal that follows `declaration` in `file`. */
function addEntry(overlay: Overlay, file: string, declaration: string, entry: string) {
  const text = overlay.get(file) ?? read(file);
  const at = text.indexOf(declaration);
  expect({ file, declaration, found: at >= 0 }).toEqual({ file, declaration, found: true });
  const brace = text.indexOf('{', at + declaration.length - 1);
  overlay.set(file, `${text.slice(0, brace + 1)}\n  ${entry}${text.slice(brace + 1)}`);
}

function addImport(overlay: Overlay, file: string, line: string) {
  overlay.set(file, `${line}\n${overlay.get(file) ?? read(file)}`);
}

/** Type-checks the roots with the repository's compiler options, files in the overlay replacing those on disk. */
function diagnose(overlay: Overlay, oldProgram?: ts.Program) {
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!config) throw new Error('tsconfig.json does not parse');
  const files = new Map([...overlay].map(([file, text]) => [path.join(ROOT, file), text]));
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (file) => files.get(file) ?? readFile(file);
  host.fileExists = (file) => files.has(file) || ts.sys.fileExists(file);
  host.directoryExists = (dir) => [...files.keys()].some((file) => file.startsWith(`${dir}${path.sep}`)) || ts.sys.directoryExists(dir);
  host.getSourceFile = (file, language, onError, create) => {
    const text = files.get(file);
    return text === undefined ? getSourceFile(file, language, onError, create) : ts.createSourceFile(file, text, language, true);
  };
  const program = ts.createProgram({
    rootNames: ROOTS.map((r) => path.join(ROOT, r)),
    options: { ...config.options, noEmit: true },
    host,
    oldProgram,
  });
  // Our sources only: checking them checks what they use of the libraries and the generated Prisma client,
  // without checking all of those (which is most of the time a full check takes).
  const ours = program.getSourceFiles().filter((f) => !/[\\/](node_modules|generated)[\\/]/.test(f.fileName));
  const found = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...ours.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  const diagnostics = found.map((d) => ({
    file: d.file ? path.relative(ROOT, d.file.fileName) : '(global)',
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
  return { program, diagnostics };
}

test('a new case type needs nothing outside its folder but its outcome applier, its rule values, its labels and a history to record', () => {
  const overlay: Overlay = new Map();
  // The type's folder, as a developer writes it.
  for (const name of fs.readdirSync(path.join(FIXTURE, 'domain', 'case-types', TYPE))) {
    overlay.set(`domain/case-types/${TYPE}/${name}`, fs.readFileSync(path.join(FIXTURE, 'domain', 'case-types', TYPE, name), 'utf8'));
  }
  // Adding it: its name, and its folder in the registry.
  overlay.set(
    'domain/case-types/names.ts',
    read('domain/case-types/names.ts').replace("  'assessment',\n] as const", `  'assessment',\n  '${TYPE}',\n] as const`),
  );
  addEntry(
    overlay,
    'domain/case-types/index.ts',
    'const CASE_TYPE_MODULES = {',
    `${TYPE}: () => (require('./${TYPE}') as typeof import('./${TYPE}')).${TYPE},`,
  );

  const first = diagnose(overlay);
  // One error per missing piece, each in its table, each naming the new type.
  expect([...new Set(first.diagnostics.map((d) => d.file))].sort()).toEqual([
    'activities/outcomes/index.ts',
    'domain/rules/jiangsu-2025.ts',
    'scripts/history-scenarios.ts',
    'web/src/i18n/case-types.ts',
  ]);
  for (const d of first.diagnostics) expect(d.message).toContain(`'${TYPE}'`);

  // The pieces the compiler named.
  overlay.set(`activities/outcomes/${TYPE}.ts`, fs.readFileSync(path.join(FIXTURE, 'activities', 'outcomes', `${TYPE}.ts`), 'utf8'));
  addImport(overlay, 'activities/outcomes/index.ts', `import { applyMentoring } from './${TYPE}';`);
  addEntry(overlay, 'activities/outcomes/index.ts', 'const APPLIERS: Record<CaseTypeName, OutcomeApplier> = {', `${TYPE}: applyMentoring,`);
  addImport(overlay, 'domain/rules/jiangsu-2025.ts', `import { mentoringRules } from '../case-types/${TYPE}/rules';`);
  addEntry(
    overlay,
    'domain/rules/jiangsu-2025.ts',
    'const CASE_TYPE_VALUES: Record<CaseTypeName, CaseTypeRules> = {',
    `${TYPE}: mentoringRules,`,
  );
  addEntry(
    overlay,
    'web/src/i18n/case-types.ts',
    'export const PAYLOAD_FIELD_LABELS: { [T in CaseTypeName]: Record<PayloadField<T>, Localized> } = {',
    `${TYPE}: { menteeName: { zh: '结对新人', en: 'Mentee' }, months: { zh: '结对月数', en: 'Months' } },`,
  );
  addEntry(
    overlay,
    'scripts/history-scenarios.ts',
    'export const SCENARIOS: Record<CaseTypeName, Scenario[]> = {',
    `${TYPE}: [{ name: '${TYPE}-approved', subjectId: 'w-jsl-03', applicantId: 'clerk-jsl', payload: { menteeName: '新社工', months: 3 }, steps: [{ by: 'dgw-nhl-1', action: 'approve' }] }],`,
  );
  expect(diagnose(overlay, first.program).diagnostics).toEqual([]);
});

test('a payload field without a label in the web does not compile either', () => {
  const overlay: Overlay = new Map();
  const definition = 'domain/case-types/promotion/definition.ts';
  overlay.set(
    definition,
    read(definition).replace(
      '  reason: z.string().trim().max(2000).optional(),',
      '  reason: z.string().trim().max(2000).optional(),\n  urgency: z.string().optional(),',
    ),
  );
  const { diagnostics } = diagnose(overlay);
  expect(diagnostics.map((d) => d.file)).toEqual(['web/src/i18n/case-types.ts']);
  expect(diagnostics[0]?.message).toContain("'urgency'");
});
