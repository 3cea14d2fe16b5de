import type { WorkingCalendar } from '../calendar';
import type { Json } from '../history';
import type { PersonnelRecord } from '../personnel';
import type { RuleSet } from '../rules/rule-set';

// Type aliases rather than interfaces: an alias of an object type is assignable to Json, so results can be
// recorded in case history and returned by the API as they are.

/** One rule checked for one worker: which rule, whether it passed, why in words, and the data it used. */
export type EligibilityReason = {
  /** Stable id of the rule, e.g. "promotion.years-in-grade". */
  ruleId: string;
  passed: boolean;
  detail: { zh: string; en: string };
  /** The values the rule used (dates, counts, thresholds), so a reviewer can retrace the result. */
  data: Record<string, Json>;
};

/** Every rule of a case type, passed or not: eligible only when all passed. */
export type EligibilityResult = {
  eligible: boolean;
  reasons: EligibilityReason[];
};

/** A case type's eligibility: every rule it checks for a community worker's record, as of a date (YYYY-MM-DD). */
/**
 * The working-day calendar is for rules counted in working days (a secondment's extension notice); the service and
 * the activities always pass the published one. Without it only weekends are days off (EMPTY_CALENDAR).
 */
export type EligibilityRule = (
  record: PersonnelRecord,
  payload: unknown,
  rules: RuleSet,
  asOf: string,
  calendar?: WorkingCalendar,
) => EligibilityResult;
