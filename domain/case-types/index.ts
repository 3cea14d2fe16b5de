import { z } from 'zod';
import type { Json } from '../history';
import { definitionProblems, snapshotDefinition, type ProcessDefinition, type ProcessSnapshot } from '../process/definition';
import { periodOf, type RuleSet } from '../rules/rule-set';
import { promotion } from './promotion';

/** Every case type the service runs. Adding a type: one definition file here, one outcome activity. */
export const CASE_TYPES: Record<string, ProcessDefinition> = {
  [promotion.type]: promotion,
};

export function caseTypeOf(type: string): ProcessDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(CASE_TYPES, type) ? CASE_TYPES[type] : undefined;
}

/** JSON Schema of a case type's payload (draft 2020-12), as listed by the API and frozen into each case. */
export function payloadJsonSchema(definition: ProcessDefinition): Json {
  return z.toJSONSchema(definition.payload, { target: 'draft-2020-12' }) as Json;
}

/** Freezes a definition with the rule set's periods, for a case about to start. */
export function snapshotFor(definition: ProcessDefinition, ruleSet: RuleSet): ProcessSnapshot {
  return snapshotDefinition(
    definition,
    { id: ruleSet.id, version: ruleSet.version },
    (key) => periodOf(ruleSet, key),
    payloadJsonSchema(definition),
  );
}

/**
 * Problems with the registered definitions against a rule set; the worker and API refuse to start with any.
 */
export function caseTypeProblems(ruleSet: RuleSet): string[] {
  const problems: string[] = [];
  for (const definition of Object.values(CASE_TYPES)) {
    for (const p of definitionProblems(definition)) problems.push(`${definition.type}: ${p}`);
    try {
      snapshotFor(definition, ruleSet);
    } catch (err) {
      problems.push(`${definition.type}: ${(err as Error).message}`);
    }
  }
  return problems;
}
