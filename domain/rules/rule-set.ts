import type { Period } from '../calendar';
import type { Localized } from '../process/definition';

/**
 * A rule set is a versioned bundle of every policy value the service applies. Counties run variants of the
 * provincial rules, so none of these values is a constant in code.
 */
export interface RuleSet {
  id: string;
  version: number;
  title: Localized;
  /** Every time limit, by key ("promotion.notice"), in working days, calendar days or seconds. */
  periods: Record<string, Period>;
}

export function periodOf(ruleSet: RuleSet, key: string): Period {
  const period = ruleSet.periods[key];
  if (!period) throw new Error(`rule set ${ruleSet.id} v${ruleSet.version} has no period "${key}"`);
  return period;
}
