import type { Period } from '../calendar';
import { jiangsu2025 } from './jiangsu-2025';
import type { RuleSet } from './rule-set';

// Notices and the wait before a return visit elapse on their own in a demo; stages wait for people.
const SHORT_PERIOD = /(^|\.)(notice|notice\.civilService|notice\.publicInstitution|returnVisitDelay)$/;

/** The demo length of a Jiangsu period: seconds, so a whole case runs in minutes. */
export function demoPeriod(key: string): Period {
  if (key === 'reminder.first') return { seconds: 300 };
  if (SHORT_PERIOD.test(key)) return { seconds: 3 };
  return { seconds: 600 };
}

/**
 * The Jiangsu rules with every period in seconds, for demos and end-to-end tests. Derived from jiangsu-2025
 * key by key, so a period added there cannot be missing here.
 */
export const demo: RuleSet = {
  ...jiangsu2025,
  id: 'demo',
  title: { zh: '演示规则（期限以秒计）', en: 'Demo rules (periods in seconds)' },
  periods: Object.fromEntries(Object.keys(jiangsu2025.periods).map((key) => [key, demoPeriod(key)])),
};
