import { runAgainstService } from '../helpers/stack';
import { CLUSTER_AUTH, startCluster, type RunningCluster } from './topology';

/**
 * The case types' end-to-end suite (test/case-types.test.ts), unchanged, against `npm run cluster`: its requests
 * go through the port in front of the two API replicas, the two worker replicas run the cases on the full
 * Temporal server over mTLS, and the suite reads and checks the cluster's database (every chain verified at the
 * end). The switch is runAgainstService (test/helpers/stack.ts), set here before the suite's own setup runs. The
 * cluster starts without its demo cases: their exit case removes a seeded worker (w-jyj-02) the suite drives.
 */
const log = (line: string) => process.stderr.write(`[end to end] ${line}\n`);
let cluster: RunningCluster | undefined;

beforeAll(async () => {
  const started = Date.now();
  cluster = await startCluster({ restartDelayMs: 5_000, log, withoutDemoCases: true });
  log(`npm run cluster came up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const state = cluster.state();
  runAgainstService({ url: state.url, databaseUrl: state.databaseUrl, auth: CLUSTER_AUTH });
}, 25 * 60_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

// Loaded after the hooks above, so the suite's describe blocks are registered under them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../case-types.test');
