import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { CASE_TYPE_NAMES } from '../domain/case-types';

// The SDK's own loader of a bundle and its reusable V8 context (the worker's default, reuseV8Context), from its
// lib/: what a worker does with the bundle for every workflow it loads, which no public API exposes.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseWorkflowCode } = require('@temporalio/worker/lib/worker') as {
  parseWorkflowCode: (code: string, codePath?: string) => { code: string; sourceMap: unknown; filename: string };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ReusableVMWorkflowCreator } = require('@temporalio/worker/lib/workflow/reusable-vm') as {
  ReusableVMWorkflowCreator: {
    create: (bundle: ReturnType<typeof parseWorkflowCode>, timeoutMs: number, activities: Set<string>) => Promise<Creator>;
  };
};
interface Creator {
  createWorkflow: (
    options: object,
  ) => Promise<{ activator: { moduleCache: Map<string, { exports: Record<string, unknown> }> }; dispose: () => Promise<void> }>;
  destroy: () => Promise<void>;
}

let code: string;
beforeAll(async () => {
  // The service's own bundle (the tests' adds their hand-made definitions).
  ({ code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') }));
});

/**
 * The workflow bundle holds the workflows, the pure domain they host and the libraries the domain uses: no
 * activity, adapter or database code (which the sandbox could not run, and which would make replays depend
 * on it). Type-only imports of activities are fine; a value import would show up here.
 */
test('the workflow bundle pulls in no activity, infrastructure or database code', () => {
  // webpack names every module it bundles in a comment: /*!*** ./domain/process/engine.ts ***!*/
  const modules = [...code.matchAll(/!\*{3} (\S+) \*{3}!/g)].map((m) => m[1] as string);
  const ours = modules.filter((m) => !m.includes('node_modules/'));
  expect(ours).toContain('./workflows/case.ts');
  expect(ours).toContain('./domain/process/commands.ts');
  // Every case type's folder, though the registry requires each only on first use (domain/case-types/index.ts).
  for (const type of CASE_TYPE_NAMES) expect(ours).toContain(`./domain/case-types/${type}/definition.ts`);
  expect(ours.filter((m) => !/^\.\/(workflows|domain)\//.test(m))).toEqual([]);
  expect(modules.filter((m) => /node_modules\/(@prisma|prisma|pg|pino|express|@temporalio\/activity)\//.test(m))).toEqual([]);
});

/**
 * The worker evaluates the bundle's modules again for every workflow it loads (issue #19): a case evaluates the
 * registry but no case type's folder until it asks for its own type, and then that one alone.
 */
test('a workflow evaluates no case type but its own, and that one when it asks for it', async () => {
  const creator = await ReusableVMWorkflowCreator.create(parseWorkflowCode(code), 10_000, new Set());
  try {
    const workflow = await creator.createWorkflow({
      info: {
        workflowType: 'caseWorkflow',
        runId: 'run',
        workflowId: 'case',
        namespace: 'default',
        taskQueue: 'cases',
        unsafe: { isReplaying: false },
      },
      randomnessSeed: [1],
      now: Date.now(),
      showStackTraceSources: false,
    });
    const { moduleCache } = workflow.activator;
    const caseTypeModules = () => [...moduleCache.keys()].filter((m) => /^\.\/domain\/case-types\/[^/]+\//.test(m)).sort();
    expect(caseTypeModules()).toEqual([]);

    const registry = moduleCache.get('./domain/case-types/index.ts')?.exports as {
      definitionOf: (type: string, version: number) => { type: string } | undefined;
    };
    expect(registry.definitionOf('name-clearing', 1)?.type).toBe('name-clearing');
    expect(caseTypeModules().every((m) => m.startsWith('./domain/case-types/name-clearing/'))).toBe(true);
    expect(caseTypeModules()).toContain('./domain/case-types/name-clearing/definition.ts');

    await workflow.dispose();
  } finally {
    await creator.destroy();
  }
});
