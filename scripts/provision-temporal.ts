/**
 * Installs (once) and reports the Temporal CLI (dev server) and the time-skipping test server, following the
 * resolution order in infra/temporal-binaries.ts. Used by .ci/run; `npm start` and the tests call the same code.
 *
 * `npm run provision -- --cluster` also provides the full Temporal server and its SQL tool (built with
 * `go install`, ~4 minutes the first time) and locates their PostgreSQL schemas, for the production topology.
 */
import { parseArgs } from 'node:util';
import { resolveTemporalBinary } from '../infra/temporal-binaries';
import { resolveClusterTools } from '../infra/temporal-cluster-binaries';

const { values } = parseArgs({ options: { cluster: { type: 'boolean', default: false } } });

for (const kind of ['cli', 'test-server'] as const) {
  const resolved = resolveTemporalBinary(kind, { log: (line) => console.log(`[temporal ${kind}] ${line}`) });
  if (resolved.executable.type !== 'existing-path') {
    console.log(`[temporal ${kind}] not installed locally; the SDK will download it on first use (needs internet)`);
  }
}

if (values.cluster) {
  const started = Date.now();
  resolveClusterTools({ log: (line) => console.log(`[temporal cluster] ${line}`) });
  console.log(`[temporal cluster] ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
