import type { RuleSet } from './rule-set';

/** Jiangsu provincial rules (《关于加强社区工作者队伍建设的16条措施》), with the sources in POLICY.md. */
export const jiangsu2025: RuleSet = {
  id: 'jiangsu-2025',
  version: 1,
  title: { zh: '江苏省社区工作者队伍建设16条（2025）', en: 'Jiangsu 16 measures on community workers (2025)' },
  periods: {
    // [I] No sourced limit for the street decision; 10 working days is a configurable default.
    'promotion.streetDecision': { workingDays: 10 },
  },
};
