import type { Period } from '../calendar';

/**
 * Where a rule value comes from. Every value of a rule set carries one (docs/policy.md explains the marks and
 * names the sources), so the API can show which values are sourced and which are defaults awaiting
 * confirmation.
 */
export interface Provenance {
  status: 'sourced' | 'inferred' | 'believed';
  source?: string;
  note?: string;
}

export const inferred = (note: string): Provenance => ({ status: 'inferred', note });
export const sourced = (source: string, note?: string): Provenance => ({ status: 'sourced', source, ...(note ? { note } : {}) });

export const workingDays = (n: number): Period => ({ workingDays: n });

/** A time limit with where it comes from. */
export interface SourcedPeriod {
  period: Period;
  provenance: Provenance;
}

/**
 * What a case type brings to a rule set: its time limits (keys "<type>.<name>", which its definition names),
 * the values of any rule section it owns (`Sections`), and where each section value comes from, by rule path
 * ("recruitment.civil-service.maxAge").
 */
export type CaseTypeRules<Sections extends object = object> = {
  periods: Record<string, SourcedPeriod>;
  provenance: Record<string, Provenance>;
} & Sections;
