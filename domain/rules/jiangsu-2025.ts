import type { CaseTypeName } from '../case-types/names';
import { appealRules } from '../case-types/appeal/rules';
import { assessmentRules } from '../case-types/assessment/rules';
import { secondmentRules } from '../case-types/secondment/rules';
import { commendationRules } from '../case-types/commendation/rules';
import { errorToleranceRules } from '../case-types/error-tolerance/rules';
import { exitRules } from '../case-types/exit/rules';
import { nameClearingRules } from '../case-types/name-clearing/rules';
import { promotionRules } from '../case-types/promotion/rules';
import { recruitmentRules } from '../case-types/recruitment/rules';
import { disciplineRules } from './discipline';
import { analogue, inferred, sourced, workingDays, type CaseTypeRules, type SourcedApproval, type SourcedPeriod } from './provenance';
import type { RuleSet } from './rule-set';
import { SRC } from './sources';

/*
 * Jiangsu provincial rules (《关于加强社区工作者队伍建设的16条措施》). The full text of the 16条 has not been
 * located, so many values come from other places' published rules (analogue) or common practice (inferred);
 * `provenance` says which, with the sources of docs/policy.md (SRC). Analogue and inferred values are
 * configurable defaults, not policy.
 *
 * Each case type brings its own values (domain/case-types/<type>/rules.ts); this file assembles them with
 * the values every type shares: the grade system, disciplinary measures, collective decisions, the public notice
 * and the first reminder.
 */

/** The values of every case type in these rules. */
const CASE_TYPE_VALUES: Record<CaseTypeName, CaseTypeRules> = {
  promotion: promotionRules,
  recruitment: recruitmentRules,
  'error-tolerance': errorToleranceRules,
  'name-clearing': nameClearingRules,
  commendation: commendationRules,
  exit: exitRules,
  appeal: appealRules,
  secondment: secondmentRules,
  assessment: assessmentRules,
};

const SHARED_PERIODS: Record<string, SourcedPeriod> = {
  'reminder.first': { period: workingDays(3), provenance: inferred('First reminder to the assignees 3 working days after a stage opens.') },
};

const values = Object.values(CASE_TYPE_VALUES);
const periods: Record<string, SourcedPeriod> = Object.fromEntries(
  [...values, { periods: SHARED_PERIODS }].flatMap((v) => Object.entries(v.periods)),
);
const approvals: Record<string, SourcedApproval> = Object.fromEntries(values.flatMap((v) => Object.entries(v.approvals)));

export const jiangsu2025: RuleSet = {
  id: 'jiangsu-2025',
  version: 2,
  title: { zh: '江苏省社区工作者队伍建设16条（2025）', en: 'Jiangsu 16 measures on community workers (2025)' },
  periods: Object.fromEntries(Object.entries(periods).map(([key, p]) => [key, p.period])),
  approvals: Object.fromEntries(Object.entries(approvals).map(([key, a]) => [key, a.approval])),
  collectiveDecision: {
    quorum: { numerator: 2, denominator: 3, strict: false },
    passing: { numerator: 1, denominator: 2, strict: true },
    recusedCountAsExpected: true,
  },
  residentsMeeting: {
    quorum: { numerator: 1, denominator: 2, strict: true },
    passing: { numerator: 1, denominator: 2, strict: true },
  },
  notice: { objectionsPause: true },
  scales: { 'recruitment.examScore': { min: 0, max: 100 } },
  grades: {
    // 三岗十八级: 正职 7–18, 副职 4–15, 一般工作人员 1–12.
    bands: { head: { min: 7, max: 18 }, deputy: { min: 4, max: 15 }, general: { min: 1, max: 12 } },
    stepYears: 3,
    effectiveFrom: 'next-january',
    postChangeEffectiveFrom: 'decision-date',
    earlyPromotion: { consecutiveExcellent: 2, yearsEarly: 1, maxPerCareer: 2, withinCurrentGrade: true },
    weakResults: { basically_competent: 'year-not-counted', incompetent: 'year-not-counted' },
    degreeCreditYears: { bachelor: 3, master: 5, doctorate: 7 },
    postChangeBonus: 0,
    requireEveryAssessment: true,
    midYearHireExempt: true,
  },
  recruitment: recruitmentRules.recruitment,
  commendation: commendationRules.commendation,
  exit: exitRules.exit,
  discipline: disciplineRules.discipline,
  promotionRounds: {
    defaultQuota: { kind: 'share', share: { numerator: 1, denominator: 3, strict: false } },
    quotas: {},
  },
  annualAssessment: {
    excellentShare: { numerator: 1, denominator: 5, strict: false },
    reasonRequired: ['basically_competent', 'incompetent'],
    evaluationWeights: { residents: 0.5, colleagues: 0.5 },
  },
  appeal: appealRules.appeal,
  secondment: secondmentRules.secondment,
  provenance: {
    'collectiveDecision.quorum': analogue(
      SRC.cadreSelection,
      'Party committees decide personnel matters only with at least two thirds of their members present (必须有三分之二以上成员到会); a rule for cadre appointments, applied to community-worker decisions.',
    ),
    'collectiveDecision.passing': analogue(
      SRC.cadreSelection,
      '以应到会成员超过半数同意形成决定: more than half of the members who should attend, not of those present.',
    ),
    'collectiveDecision.recusedCountAsExpected': inferred(
      'No source says whether a recused member (回避) counts among 应到; counted, the stricter reading, so a recusal can never lower the bar.',
    ),
    'residentsMeeting.quorum': sourced(
      SRC.residentsCommitteeLaw,
      'Held only with more than half of the adult residents or of the households’ representatives present (第十条); a meeting of the residents’ groups’ elected representatives needs two thirds of them, which a county whose recalls go to such a meeting sets here.',
    ),
    'residentsMeeting.passing': sourced(SRC.residentsCommitteeLaw, 'Its decisions pass with more than half of those present (第十条).'),
    'notice.objectionsPause': inferred('An objection pauses the 公示 while it is verified (异议核查); no source either way.'),
    'scales.recruitment.examScore': inferred('Exam and interview scores out of 100; the recruiting authority’s scale is not sourced.'),
    'grades.bands': analogue(SRC.bands, 'Typical 三岗十八级 bands; Jiangsu’s own ranges are not confirmed.'),
    'grades.stepYears': analogue(SRC.promotion, 'A local rule (「工作年限每满三年」), not the Jiangsu text; Ningxia 2025 uses 2 years.'),
    'grades.effectiveFrom': analogue(SRC.promotion, '「从次年1月起提升一个等级」, a local rule for the regular step.'),
    'grades.postChangeEffectiveFrom': inferred(
      'A post change takes effect with the decision that makes it (a secretary elected in March is a head from then); the next-January rule is for steps by years.',
    ),
    'grades.earlyPromotion.consecutiveExcellent': analogue(SRC.promotion, '2 consecutive 优秀 → one grade early; a local rule.'),
    'grades.earlyPromotion.yearsEarly': analogue(SRC.promotion, 'One year early; a local rule.'),
    'grades.earlyPromotion.maxPerCareer': analogue(SRC.promotion, 'At most twice in a career; a local rule.'),
    'grades.earlyPromotion.withinCurrentGrade': inferred(
      'The 优秀 years must fall in the current grade, so one pair of 优秀 earns one early step.',
    ),
    'grades.weakResults': analogue(
      SRC.publicInstitutionAssessment,
      '事业单位: a 基本合格 year does not count toward seniority, and 不合格 delays promotion; clock-restarts is the stricter alternative.',
    ),
    'grades.degreeCreditYears': analogue(SRC.degrees, '学士/硕士/博士 count as 3/5/7 years of community service.'),
    'grades.postChangeBonus': inferred(
      'Moving to a higher post enters the new band at max(current grade, band minimum); some cities add +1.',
    ),
    'grades.requireEveryAssessment': inferred('「年度考核合格后」: a year without a recorded assessment is treated as not passed.'),
    'grades.midYearHireExempt': inferred('Someone hired after 1 January is not assessed for that year, so it is not required.'),
    'promotionRounds.defaultQuota': inferred(
      'No source gives a quota for the yearly round; a third of those eligible is a default for the street to set (a count or a share, per street in promotionRounds.quotas).',
    ),
    'promotionRounds.quotas': inferred('No street has a quota of its own by default.'),
    'annualAssessment.excellentShare': analogue(
      SRC.civilServiceAssessment,
      'The civil-service cap of about 20% 优秀, applied to a community’s workers (public institutions use the same figure).',
    ),
    'annualAssessment.reasonRequired': inferred(
      'The issue asks a written reason for 基本合格 and 不合格 (both count toward an exit); no source located.',
    ),
    'annualAssessment.evaluationWeights': inferred(
      'Residents’ representatives and colleagues weigh equally in the 民主测评; no source gives the weights.',
    ),
    ...disciplineRules.provenance,
    ...Object.fromEntries(values.flatMap((v) => Object.entries(v.provenance))),
    ...Object.fromEntries(Object.entries(periods).map(([key, p]) => [`periods.${key}`, p.provenance])),
    ...Object.fromEntries(Object.entries(approvals).map(([key, a]) => [`approvals.${key}`, a.provenance])),
  },
};
