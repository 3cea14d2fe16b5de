/**
 * Installs (once) and reports the Temporal CLI (dev server) and the time-skipping test server, following the
 * resolution order in infra/temporal-binaries.ts. Used by .ci/run; `npm start` and the tests call the same code.
 */
import { resolveTemporalBinary } from '../infra/temporal-binaries';

for (const kind of ['cli', 'test-server'] as const) {
  const resolved = resolveTemporalBinary(kind, { log: (line) => console.log(`[temporal ${kind}] ${line}`) });
  if (resolved.executable.type !== 'existing-path') {
    console.log(`[temporal ${kind}] not installed locally; the SDK will download it on first use (needs internet)`);
  }
}
