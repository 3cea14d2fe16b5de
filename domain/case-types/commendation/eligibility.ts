import { z } from 'zod';
import { assessmentLabel, assessmentsByYear, compareAssessment } from '../../assessments';
import { yearOf } from '../../dates';
import type { PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import { assertAsOf, disciplineEffectReason, eligibilityRule, reason, resultOf, statusReason } from '../../eligibility/common';
import type { EligibilityResult } from '../../eligibility/types';

/** 表彰奖励: the nomination's own content (award, achievements) is judged by people, not by these rules. */
export type CommendationRequest = Record<string, unknown>;

/**
 * The qualification check of a nomination (资格审查): an active worker, no disciplinary measure whose effect on
 * commendations runs on asOf (discipline.effects), and the previous year's assessment at least the minimum. The
 * previous year must be recorded; an older result does not stand in for it.
 */
export function evaluateCommendation(
  worker: PersonnelRecord,
  _request: CommendationRequest,
  rules: RuleSet,
  asOf: string,
): EligibilityResult {
  assertAsOf(asOf);
  const { minLatestAssessment } = rules.commendation;
  const year = yearOf(asOf) - 1;
  const latest = assessmentsByYear(worker).get(year) ?? null;
  const min = assessmentLabel(minLatestAssessment);
  const latestPassed = latest !== null && compareAssessment(latest, minLatestAssessment) >= 0;

  return resultOf([
    statusReason('commendation.status', worker),
    disciplineEffectReason('commendation.discipline', worker, asOf, rules, 'commendation'),
    reason(
      'commendation.latest-assessment',
      latestPassed,
      latest === null ? `缺少${year}年度考核结果` : `${year}年度考核${assessmentLabel(latest).zh}，要求${min.zh}以上`,
      latest === null
        ? `No annual assessment recorded for ${year}`
        : `The ${year} annual assessment was ${assessmentLabel(latest).en.toLowerCase()}; ${min.en.toLowerCase()} or better required`,
      { year, result: latest, minResult: minLatestAssessment },
    ),
  ]);
}

export const commendationEligibility = eligibilityRule(z.record(z.string(), z.unknown()), evaluateCommendation);
