import { jiangsu2025 } from './jiangsu-2025';
import type { RuleSet } from './rule-set';

/** The Jiangsu rules with every period shortened to seconds, for demos and end-to-end tests. */
export const demo: RuleSet = {
  ...jiangsu2025,
  id: 'demo',
  title: { zh: '演示规则（期限以秒计）', en: 'Demo rules (periods in seconds)' },
  periods: Object.fromEntries(Object.keys(jiangsu2025.periods).map((key) => [key, { seconds: 30 }])),
};
