/**
 * The case types the service runs. Every per-type table (the registry in index.ts, eligibility, outcome
 * appliers, rule values, the web's labels, the recorded histories) is a Record over this union, so a type
 * missing from one of them does not compile. No imports: the web's type checker reads it as it is.
 */
export const CASE_TYPE_NAMES = [
  'promotion',
  'recruitment',
  'error-tolerance',
  'name-clearing',
  'commendation',
  'exit',
  'appeal',
  'secondment',
  'assessment',
] as const;
export type CaseTypeName = (typeof CASE_TYPE_NAMES)[number];
