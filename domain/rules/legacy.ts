import type { AssessmentResult } from '../personnel';
import { jiangsu2025 } from './jiangsu-2025';
import type { GradeRules, RuleSet, WeakResultEffect } from './rule-set';

/**
 * The shape of the rule sets frozen into cases started before the rules were put right (issue 15): no approval
 * matrix, collective-decision, notice or scale values; a step clock stopped by `blockingResults`; post changes
 * dated like steps; a certificate deadline for everyone; disciplinary kinds of the first release.
 */
interface RuleSetV1 extends Omit<
  RuleSet,
  'approvals' | 'collectiveDecision' | 'residentsMeeting' | 'notice' | 'scales' | 'grades' | 'exit' | 'promotionRounds' | 'annualAssessment'
> {
  grades: Omit<GradeRules, 'postChangeEffectiveFrom' | 'weakResults' | 'midYearHireExempt' | 'earlyPromotion'> & {
    blockingResults: AssessmentResult[];
    earlyPromotion: Omit<GradeRules['earlyPromotion'], 'withinCurrentGrade'>;
  };
  exit: Omit<RuleSet['exit'], 'qualification'> & {
    qualificationDeadlineYears: number;
    qualificationWarningDays: number;
    qualificationReasonCode?: string;
  };
}

const isV1 = (rules: RuleSet | RuleSetV1): rules is RuleSetV1 => !('approvals' in rules);

/**
 * A rule set frozen into a case, in today's shape, for the code that applies it to a running case (eligibility
 * re-checks, outcomes). A rule set of the first shape keeps every value it has, and each new value reproduces
 * what that code did: weak results restart the clock, post changes date like steps, the certificate deadline
 * binds everyone from the date of eligibility, and early steps count 优秀 years of the current grade only. Two
 * cannot: the approval matrix and the collective decision belong to the new definitions only (a case runs the
 * definition it started with, so they are never read), and the disciplinary kinds were migrated, so their effect
 * is today's (discipline.effects). Today's rule sets are returned as they are.
 */
export function upgradeRuleSet(rules: RuleSet | RuleSetV1): RuleSet {
  if (!isV1(rules)) return rules;
  const { blockingResults, earlyPromotion, ...grades } = rules.grades;
  const { qualificationDeadlineYears, qualificationWarningDays, qualificationReasonCode, ...exit } = rules.exit;
  const weakResults: Partial<Record<AssessmentResult, WeakResultEffect>> = Object.fromEntries(
    blockingResults.map((result) => [result, 'clock-restarts']),
  );
  return {
    ...rules,
    approvals: jiangsu2025.approvals,
    collectiveDecision: jiangsu2025.collectiveDecision,
    residentsMeeting: jiangsu2025.residentsMeeting,
    notice: { objectionsPause: true },
    scales: jiangsu2025.scales,
    grades: {
      ...grades,
      postChangeEffectiveFrom: grades.effectiveFrom,
      earlyPromotion: { ...earlyPromotion, withinCurrentGrade: true },
      weakResults,
      midYearHireExempt: true,
    },
    recruitment: { ...jiangsu2025.recruitment, ...rules.recruitment },
    commendation: { minLatestAssessment: rules.commendation.minLatestAssessment },
    exit: {
      ...exit,
      qualification: {
        years: qualificationDeadlineYears,
        effectiveFrom: '1900-01-01',
        appliesTo: 'everyone',
        countsFrom: 'eligibility',
        warningDays: qualificationWarningDays,
        ...(qualificationReasonCode !== undefined ? { reasonCode: qualificationReasonCode } : {}),
      },
    },
    discipline: jiangsu2025.discipline,
    promotionRounds: jiangsu2025.promotionRounds,
    annualAssessment: jiangsu2025.annualAssessment,
    appeal: jiangsu2025.appeal,
    secondment: jiangsu2025.secondment,
  };
}
