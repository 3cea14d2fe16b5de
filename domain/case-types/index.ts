import { z } from 'zod';
import type { Json } from '../history';
import { definitionProblems, periodKeysOf, snapshotDefinition, type ProcessDefinition, type ProcessSnapshot } from '../process/definition';
import { periodOf, type RuleSet } from '../rules/rule-set';
import { commendation } from './commendation';
import { errorTolerance } from './error-tolerance';
import { exit } from './exit';
import { nameClearing } from './name-clearing';
import { promotion } from './promotion';
import { recruitment } from './recruitment';

/** Every case type the service runs. Adding a type: one definition file here, one outcome activity. */
export const CASE_TYPES: Record<string, ProcessDefinition> = Object.fromEntries(
  [promotion, recruitment, errorTolerance, nameClearing, commendation, exit].map((d) => [d.type, d as unknown as ProcessDefinition]),
);

export function caseTypeOf(type: string): ProcessDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(CASE_TYPES, type) ? CASE_TYPES[type] : undefined;
}

/** JSON Schema of a case type's payload (draft 2020-12), as listed by the API and frozen into each case. */
export function payloadJsonSchema(definition: ProcessDefinition): Json {
  return z.toJSONSchema(definition.payload, { target: 'draft-2020-12' }) as Json;
}

/** Freezes a definition with the rule set's periods, for a case about to start with this payload. */
export function snapshotFor(definition: ProcessDefinition, ruleSet: RuleSet, payload: Record<string, unknown>): ProcessSnapshot {
  return snapshotDefinition(
    definition,
    ruleSet,
    (key) => periodOf(ruleSet, key),
    payloadJsonSchema(definition),
    payload,
  );
}

/**
 * Problems with the registered definitions against a rule set; the Temporal worker and the API refuse to start with any.
 */
export function caseTypeProblems(ruleSet: RuleSet): string[] {
  const problems: string[] = [];
  for (const definition of Object.values(CASE_TYPES)) {
    for (const p of definitionProblems(definition)) problems.push(`${definition.type}: ${p}`);
    for (const key of periodKeysOf(definition)) {
      if (!ruleSet.periods[key]) problems.push(`${definition.type}: rule set ${ruleSet.id} has no period "${key}"`);
    }
  }
  return problems;
}
