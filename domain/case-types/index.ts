import { z } from 'zod';
import type { EligibilityRule } from '../eligibility/types';
import type { Json } from '../history';
import {
  approvalKeysOf,
  definitionProblems,
  periodKeysOf,
  renderText,
  scaleKeysOf,
  snapshotDefinition,
  type ProcessDefinition,
  type ProcessSnapshot,
} from '../process/definition';
import { periodOf, type RuleSet } from '../rules/rule-set';
import type { CaseType } from './case-type';
import { CASE_TYPE_NAMES, type CaseTypeName } from './names';

export { CASE_TYPE_NAMES, type CaseTypeName } from './names';
export type { CaseType } from './case-type';

/* eslint-disable @typescript-eslint/no-require-imports -- a require() in a function is what loads a type on first use, in Node and in the workflow bundle alike (webpack bundles the module and evaluates it when required). */
/**
 * Every case type the service runs, each from its folder, loaded the first time something asks for it. Adding a
 * type: its folder, its name in names.ts and its line here; then the compiler names what else it needs (its
 * outcome applier, its rule values, its labels in the web, a recorded history) — test/case-type-scaffold.test.ts
 * shows it.
 *
 * Why on first use: the Temporal worker's reusable V8 context evaluates the workflow bundle's modules again for
 * every workflow it loads, and building every type's zod schemas and rules for every case was most of that cost
 * (issue #19, bench/results/regression-2026-12-02.md). A case's workflow now evaluates only its own type's folder.
 * Each line must call require() with its literal path, which is what webpack bundles.
 */
const CASE_TYPE_MODULES = {
  promotion: () => (require('./promotion') as typeof import('./promotion')).promotion,
  recruitment: () => (require('./recruitment') as typeof import('./recruitment')).recruitment,
  'error-tolerance': () => (require('./error-tolerance') as typeof import('./error-tolerance')).errorTolerance,
  'name-clearing': () => (require('./name-clearing') as typeof import('./name-clearing')).nameClearing,
  commendation: () => (require('./commendation') as typeof import('./commendation')).commendation,
  exit: () => (require('./exit') as typeof import('./exit')).exit,
  appeal: () => (require('./appeal') as typeof import('./appeal')).appeal,
  secondment: () => (require('./secondment') as typeof import('./secondment')).secondment,
  assessment: () => (require('./assessment') as typeof import('./assessment')).assessment,
} satisfies { [Name in CaseTypeName]: () => CaseType<Name> };
/* eslint-enable @typescript-eslint/no-require-imports */

type CaseTypes = { readonly [Name in CaseTypeName]: ReturnType<(typeof CASE_TYPE_MODULES)[Name]> };

/**
 * The registry: `CASE_TYPES.promotion` loads the promotion's folder on first use (then it is the module system's
 * cached module, per workflow in the worker's sandbox). Enumerating it (Object.values) loads every type.
 */
export const CASE_TYPES: CaseTypes = Object.defineProperties(
  {} as CaseTypes,
  Object.fromEntries(CASE_TYPE_NAMES.map((name) => [name, { get: CASE_TYPE_MODULES[name], enumerable: true }])),
);

/** The names of a case type's payload fields (what the web labels for it). */
export type PayloadField<T extends CaseTypeName> = keyof z.input<ReturnType<(typeof CASE_TYPES)[T]['definition']['payload']>> & string;

export const isCaseTypeName = (type: string): type is CaseTypeName => Object.prototype.hasOwnProperty.call(CASE_TYPES, type);

/** The definition of a case type by name, or undefined for a name that is none (from a request or a row). */
export function caseTypeOf(type: string): ProcessDefinition | undefined {
  return isCaseTypeName(type) ? CASE_TYPES[type].definition : undefined;
}

/**
 * The definition of a case type at a version: the current one or one it superseded (previousVersions), which
 * cases started on it keep running. Undefined for a type or version that is none. The case workflow loads its
 * definition here, by the type and version its history recorded, never from its input.
 */
export function definitionOf(type: string, version: number): ProcessDefinition | undefined {
  if (!isCaseTypeName(type)) return undefined;
  const caseType: CaseType = CASE_TYPES[type];
  return [caseType.definition, ...caseType.previousVersions].find((d) => d.version === version);
}

/** A case type's eligibility rule; null for a type without one or an unknown type. */
export function eligibilityOf(type: string): EligibilityRule | null {
  return isCaseTypeName(type) ? CASE_TYPES[type].eligibility : null;
}

/** Every registered type's current definition, in the order of CASE_TYPE_NAMES (this loads every type). */
export const registeredDefinitions = (): ProcessDefinition[] => CASE_TYPE_NAMES.map((name) => CASE_TYPES[name].definition);

/** JSON Schema of a case type's payload (draft 2020-12) under a rule set, as listed by the API and frozen into each case. */
export function payloadJsonSchema(definition: ProcessDefinition, ruleSet: RuleSet): Json {
  return z.toJSONSchema(definition.payload(ruleSet), { target: 'draft-2020-12' }) as Json;
}

/** Freezes a definition with the rule set's periods, for a case about to start with this payload. */
export function snapshotFor(definition: ProcessDefinition, ruleSet: RuleSet, payload: Record<string, unknown>): ProcessSnapshot {
  return snapshotDefinition(definition, ruleSet, (key) => periodOf(ruleSet, key), payloadJsonSchema(definition, ruleSet), payload);
}

/**
 * Problems with the registered definitions against a rule set; the Temporal worker and the API refuse to start
 * with any.
 */
export function caseTypeProblems(ruleSet: RuleSet): string[] {
  const problems: string[] = [];
  for (const definition of registeredDefinitions()) {
    for (const p of definitionProblems(definition)) problems.push(`${definition.type}: ${p}`);
    for (const key of periodKeysOf(definition)) {
      if (!ruleSet.periods[key]) problems.push(`${definition.type}: rule set ${ruleSet.id} has no period "${key}"`);
    }
    for (const key of approvalKeysOf(definition)) {
      if (!ruleSet.approvals[key]) problems.push(`${definition.type}: rule set ${ruleSet.id} has no approval "${key}"`);
    }
    for (const key of scaleKeysOf(definition)) {
      if (!ruleSet.scales[key]) problems.push(`${definition.type}: rule set ${ruleSet.id} has no scale "${key}"`);
    }
    try {
      renderText(definition.description, ruleSet);
    } catch (err) {
      problems.push(`${definition.type}: ${(err as Error).message}`);
    }
  }
  return problems;
}
