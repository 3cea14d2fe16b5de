import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

/**
 * The workflow bundle holds the workflows, the pure domain they host and the libraries the domain uses: no
 * activity, adapter or database code (which the sandbox could not run, and which would make replays depend
 * on it). Type-only imports of activities are fine; a value import would show up here.
 */
test('the workflow bundle pulls in no activity, infrastructure or database code', async () => {
  // The service's own bundle (the tests' adds their hand-made definitions).
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
  // webpack names every module it bundles in a comment: /*!*** ./domain/process/engine.ts ***!*/
  const modules = [...code.matchAll(/!\*{3} (\S+) \*{3}!/g)].map((m) => m[1] as string);
  const ours = modules.filter((m) => !m.includes('node_modules/'));
  expect(ours).toContain('./workflows/case.ts');
  expect(ours).toContain('./domain/process/commands.ts');
  expect(ours.filter((m) => !/^\.\/(workflows|domain)\//.test(m))).toEqual([]);
  expect(modules.filter((m) => /node_modules\/(@prisma|prisma|pg|pino|express|@temporalio\/activity)\//.test(m))).toEqual([]);
});
