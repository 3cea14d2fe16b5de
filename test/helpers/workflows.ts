/**
 * The tests' workflow bundle: the service's workflows, with the case workflow also knowing the hand-made test
 * definitions (test-definitions.ts) as versions of their case type. Cases of registered versions run exactly as
 * in production, so the replay test replays the saved histories with this bundle too.
 */
import { caseTypeOf } from '../../domain/case-types';
import type { ProcessSnapshot } from '../../domain/process/definition';
import { caseWorkflowOver, REGISTERED_DEFINITIONS } from '../../workflows/case';
import { TEST_DEFINITIONS } from './test-definitions';

export { recordsWatchWorkflow } from '../../workflows/records-watch';
export { notificationDispatchWorkflow } from '../../workflows/notifications';
export { caseGroupWorkflow } from '../../workflows/case-group';
export { heldUpdatesWorkflow } from './held-updates-workflow';

const TESTS = new Map<string, ProcessSnapshot>(Object.values(TEST_DEFINITIONS).map((d) => [`${d.type}@${d.version}`, d]));

export const caseWorkflow = caseWorkflowOver({
  snapshot(type, version, ruleSet, payload) {
    const test = TESTS.get(`${type}@${version}`);
    return test ? { ...test, ruleSet } : REGISTERED_DEFINITIONS.snapshot(type, version, ruleSet, payload);
  },
  // A test version takes the payload of its type's current definition.
  payload: (type, version, ruleSet) =>
    REGISTERED_DEFINITIONS.payload(type, TESTS.has(`${type}@${version}`) ? (caseTypeOf(type)?.version ?? version) : version, ruleSet),
});
