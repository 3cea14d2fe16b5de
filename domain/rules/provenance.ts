import type { Period } from '../calendar';
import type { Approval } from '../org';

/**
 * Where a rule value comes from. Every value of a rule set carries one (docs/policy.md lists them all and names
 * the sources), so the API can show which values bind the matter, which are borrowed and which are defaults
 * awaiting confirmation:
 * - sourced: a rule that governs this matter in Jiangsu as written: the province's own documents, or national
 *   law and party rules that apply to community workers directly;
 * - analogue: another place's rule (another province, city or county), or a rule written for another group
 *   (e.g. party cadres, public-institution staff), adopted by default until Jiangsu's own is known;
 * - inferred: no source found; a default from common practice.
 */
export const PROVENANCE_STATUSES = ['sourced', 'analogue', 'inferred'] as const;
export type ProvenanceStatus = (typeof PROVENANCE_STATUSES)[number];

export interface Provenance {
  status: ProvenanceStatus;
  source?: string;
  note?: string;
}

export const inferred = (note: string): Provenance => ({ status: 'inferred', note });
export const sourced = (source: string, note?: string): Provenance => ({ status: 'sourced', source, ...(note ? { note } : {}) });
export const analogue = (source: string, note?: string): Provenance => ({ status: 'analogue', source, ...(note ? { note } : {}) });

export const workingDays = (n: number): Period => ({ workingDays: n });

/** A time limit with where it comes from. */
export interface SourcedPeriod {
  period: Period;
  provenance: Provenance;
}

/**
 * What a case type brings to a rule set: its time limits (keys "<type>.<name>", which its definition names),
 * who decides each of its stages (approval keys, which its definition names), the values of any rule section it
 * owns (`Sections`), and where each section value comes from, by rule path ("recruitment.civil-service.maxAge").
 */
export type CaseTypeRules<Sections extends object = object> = {
  periods: Record<string, SourcedPeriod>;
  approvals: Record<string, SourcedApproval>;
  provenance: Record<string, Provenance>;
} & Sections;

/** Who decides a stage, with where that assignment comes from. */
export interface SourcedApproval {
  approval: Approval;
  provenance: Provenance;
}
