import type { CaseTypeName } from '../case-types/names';
import { commendationRules } from '../case-types/commendation/rules';
import { errorToleranceRules } from '../case-types/error-tolerance/rules';
import { exitRules } from '../case-types/exit/rules';
import { nameClearingRules } from '../case-types/name-clearing/rules';
import { promotionRules } from '../case-types/promotion/rules';
import { recruitmentRules } from '../case-types/recruitment/rules';
import { inferred, sourced, workingDays, type CaseTypeRules, type SourcedPeriod } from './provenance';
import type { RuleSet } from './rule-set';
import { SRC } from './sources';

/*
 * Jiangsu provincial rules (《关于加强社区工作者队伍建设的16条措施》). The full text of the 16条 has not been
 * located, so many values come from published local rules or common practice; `provenance` says which, with
 * the sources of docs/policy.md (SRC). Inferred values are configurable defaults, not policy.
 *
 * Each case type brings its own values (domain/case-types/<type>/rules.ts); this file assembles them with
 * the values every type shares: the grade system of the personnel records and the first reminder.
 */

/** The values of every case type in these rules. */
const CASE_TYPE_VALUES: Record<CaseTypeName, CaseTypeRules> = {
  promotion: promotionRules,
  recruitment: recruitmentRules,
  'error-tolerance': errorToleranceRules,
  'name-clearing': nameClearingRules,
  commendation: commendationRules,
  exit: exitRules,
};

const SHARED_PERIODS: Record<string, SourcedPeriod> = {
  'reminder.first': { period: workingDays(3), provenance: inferred('First reminder to the assignees 3 working days after a stage opens.') },
};

const periods: Record<string, SourcedPeriod> = Object.fromEntries(
  [...Object.values(CASE_TYPE_VALUES), { periods: SHARED_PERIODS }].flatMap((values) => Object.entries(values.periods)),
);

export const jiangsu2025: RuleSet = {
  id: 'jiangsu-2025',
  version: 1,
  title: { zh: '江苏省社区工作者队伍建设16条（2025）', en: 'Jiangsu 16 measures on community workers (2025)' },
  periods: Object.fromEntries(Object.entries(periods).map(([key, p]) => [key, p.period])),
  grades: {
    // 三岗十八级: 正职 7–18, 副职 4–15, 一般工作人员 1–12.
    bands: { head: { min: 7, max: 18 }, deputy: { min: 4, max: 15 }, general: { min: 1, max: 12 } },
    stepYears: 3,
    effectiveFrom: 'next-january',
    earlyPromotion: { consecutiveExcellent: 2, yearsEarly: 1, maxPerCareer: 2 },
    blockingResults: ['basically_competent', 'incompetent'],
    degreeCreditYears: { bachelor: 3, master: 5, doctorate: 7 },
    postChangeBonus: 0,
    requireEveryAssessment: true,
  },
  recruitment: recruitmentRules.recruitment,
  commendation: commendationRules.commendation,
  exit: exitRules.exit,
  discipline: promotionRules.discipline,
  provenance: {
    'grades.bands': inferred(`Typical 三岗十八级 bands (${SRC.bands}); Jiangsu's own ranges are not confirmed.`),
    'grades.stepYears': sourced(SRC.promotion, 'A local rule (「工作年限每满三年」), not the Jiangsu text; Ningxia 2025 uses 2 years.'),
    'grades.effectiveFrom': sourced(SRC.promotion, '「从次年1月起提升一个等级」, a local rule.'),
    'grades.earlyPromotion': sourced(SRC.promotion, '2 consecutive 优秀 → one grade early, at most twice; a local rule.'),
    'grades.blockingResults': inferred('基本合格 or 不合格 stops the 3-year clock, which restarts the next 1 January (common practice).'),
    'grades.degreeCreditYears': sourced(SRC.degrees, '学士/硕士/博士 count as 3/5/7 years of community service.'),
    'grades.postChangeBonus': inferred(
      'Moving to a higher post enters the new band at max(current grade, band minimum); some cities add +1.',
    ),
    'grades.requireEveryAssessment': inferred('「年度考核合格后」: a year without a recorded assessment is treated as not passed.'),
    ...recruitmentRules.provenance,
    ...commendationRules.provenance,
    ...exitRules.provenance,
    ...promotionRules.provenance,
    ...Object.fromEntries(Object.entries(periods).map(([key, p]) => [`periods.${key}`, p.provenance])),
  },
};
