import { eligibilityOf } from '../domain/case-types';
import type { Json } from '../domain/history';
import type { EligibilitySummary } from '../domain/process/engine';
import { upgradeRuleSet, type RuleSet } from '../domain/rules';
import type { Store } from '../store';

export interface RecheckInput {
  caseId: string;
  type: string;
  subjectId: string;
  payload: Record<string, Json>;
  /** The rule set frozen into the case when it started. */
  rules: RuleSet;
}

/**
 * Re-evaluates a case type's eligibility against the records as they are now, for stages that re-check
 * before the final decision. A case type without eligibility rules is always eligible.
 */
export function createEligibilityActivities({ store, today }: { store: Pick<Store, 'personnel' | 'calendar'>; today: () => string }) {
  return {
    async recheckEligibility(input: RecheckInput): Promise<EligibilitySummary> {
      const rule = eligibilityOf(input.type);
      const record = await store.personnel.record(input.subjectId);
      if (!record) throw new Error(`community worker ${input.subjectId} of case ${input.caseId} no longer exists`);
      if (!rule) return { eligible: true, reasons: [] };
      // A case started before the rules were put right froze a rule set of the first shape.
      const result = rule(record, input.payload, upgradeRuleSet(input.rules), today(), await store.calendar.workflowCalendar());
      return { eligible: result.eligible, reasons: result.reasons };
    },
  };
}
