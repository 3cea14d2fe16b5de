import { demo } from './demo';
import { jiangsu2025 } from './jiangsu-2025';
import type { RuleSet } from './rule-set';

export * from './rule-set';
export { parseRuleSet, RuleSetError, ruleSetSchema, formatRulePath } from './schema';
export { demoPeriod } from './demo';
export { upgradeRuleSet } from './legacy';

export const BUILT_IN_RULE_SETS: Record<string, RuleSet> = {
  [jiangsu2025.id]: jiangsu2025,
  [demo.id]: demo,
};
