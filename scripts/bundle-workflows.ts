/**
 * `node --import tsx scripts/bundle-workflows.ts <file>`: the workflows bundled into one file (the Dockerfile runs
 * it at build time), which a worker loads with WORKFLOW_BUNDLE_PATH instead of bundling at every start.
 */
import { buildWorkflowBundle } from '../app/runtime';

const file = process.argv[2];
if (!file) {
  console.error('usage: bundle-workflows.ts <output file>');
  process.exit(2);
}
buildWorkflowBundle(file).then(
  () => console.log(`workflow bundle written to ${file}`),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
