import { runAgainstService } from '../helpers/stack';
import { CLUSTER_AUTH, startCluster, type RunningCluster } from './topology';

/**
 * The case types' end-to-end suite (test/case-types.test.ts), unchanged, against `npm run cluster`: its requests
 * go through the port in front of the two API replicas, the two worker replicas run the cases on the full
 * Temporal server over mTLS, and the suite reads and checks the cluster's database (every chain verified at the
 * end). The switch is runAgainstService (test/helpers/stack.ts), set here before the suite's own setup runs. The
 * cluster starts without its demo cases: their exit case removes a seeded worker (w-jyj-02) the suite drives.
 * Its API and workers evaluate eligibility on the real date, where the in-process suite pins TEST_TODAY
 * (2026-11-27) for both; the seeded records are written for that date, and nothing in the suite depended on the
 * difference when it ran on 2026-12-02. A date far from it (e.g. a new assessment year) can change what a seeded
 * worker is eligible for, and the failure then names the rule that refused.
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
