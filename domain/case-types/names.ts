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

/**
 * Payload fields that name another case (an appeal's original, or for an appeal of a disciplinary measure the
 * record; an extension's secondment). The API answers what they name (GET /cases/:id `references`) and the web UI
 * shows that, the short number and the subject, never the id.
 */
export const CASE_REFERENCE_FIELDS: Partial<Record<CaseTypeName, readonly string[]>> = {
  appeal: ['appealOf'],
  secondment: ['extensionOf'],
};
