import { suiteAgainstCluster } from './topology';

/** The case types' end-to-end suite (test/case-types.test.ts), unchanged, against `npm run cluster` (suiteAgainstCluster). */
suiteAgainstCluster('end to end');

// Loaded after the hooks above, so the suite's describe blocks are registered under them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../case-types.test');
