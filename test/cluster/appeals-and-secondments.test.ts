import { BUILT_IN_RULE_SETS, type RuleSet } from '../../domain/rules';
import { suiteAgainstCluster } from './topology';

/**
 * Appeals and secondments (test/appeals-and-secondments.test.ts), unchanged, against `npm run cluster`, which runs
 * that suite's rules as a county would give them, in RULES_FILE: the demo rules with an exit held while its appeal
 * is open. The suite's stack checks that the service runs exactly its rules (GET /rule-set), so if the two ever
 * differ the run stops there, saying so.
 */
const demo = BUILT_IN_RULE_SETS.demo as RuleSet;
suiteAgainstCluster('appeals and secondments', { rules: { ...demo, appeal: { ...demo.appeal, holdsExit: true } } });

// Loaded after the hooks above, so the suite's describe blocks are registered under them.
// eslint-disable-next-line @typescript-eslint/no-require-imports
require('../appeals-and-secondments.test');
