import { randomUUID } from 'node:crypto';
import type { CaseRequest } from '../../workflows/messages';
import { TEST_DEFINITIONS, type TestDefinitionName } from './test-definitions';

/** The definition version each test case was asked to run on (read by the tests' worker, temporal.ts). */
const testVersions = new Map<string, number>();

/** The definition version a case of the tests runs: a hand-made one it asked for, else the registry's own. */
export const testDefinitionVersion = ({ caseId }: { caseId: string }): number | undefined => testVersions.get(caseId);

/**
 * The request that starts a case on a hand-made test definition (test-definitions.ts), for a seeded worker, as
 * the API sends it: a promotion, submitted now.
 */
export function caseRequestFor(definition: TestDefinitionName, subjectId: string, applicantId = 'clerk-jsl'): CaseRequest {
  const caseId = randomUUID();
  testVersions.set(caseId, TEST_DEFINITIONS[definition].version);
  return { caseId, type: 'promotion', subjectId, payload: { kind: 'regular' }, applicantId, submittedAt: new Date().toISOString() };
}
