import { z } from 'zod';
import { assessmentLabel, assessmentsByYear, compareAssessment } from '../../assessments';
import { anniversary, yearOf } from '../../dates';
import type { PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import {
  assertAsOf,
  describeDiscipline,
  disciplineData,
  eligibilityRule,
  overlaps,
  reason,
  resultOf,
  statusReason,
} from '../../eligibility/common';
import type { EligibilityResult } from '../../eligibility/types';

/** 表彰奖励: the nomination's own content (award, achievements) is judged by people, not by these rules. */
export type CommendationRequest = Record<string, unknown>;

/**
 * The qualification check of a nomination (资格审查): an active worker, no disciplinary measure starting or
 * in force within the window before asOf (the 纪检 opinion), and the previous year's assessment at least the
 * minimum. The previous year must be recorded; an older result does not stand in for it.
 */
export function evaluateCommendation(
  worker: PersonnelRecord,
  _request: CommendationRequest,
  rules: RuleSet,
  asOf: string,
): EligibilityResult {
  assertAsOf(asOf);
  const { disciplineFreeYears, minLatestAssessment } = rules.commendation;
  const windowStart = anniversary(asOf, -disciplineFreeYears);
  const inWindow = worker.disciplinary.filter((d) => overlaps(d, windowStart, asOf));
  const text = describeDiscipline(inWindow);

  const year = yearOf(asOf) - 1;
  const latest = assessmentsByYear(worker).get(year) ?? null;
  const min = assessmentLabel(minLatestAssessment);
  const latestPassed = latest !== null && compareAssessment(latest, minLatestAssessment) >= 0;

  return resultOf([
    statusReason('commendation.status', worker),
    reason(
      'commendation.discipline-window',
      inWindow.length === 0,
      inWindow.length === 0 ? `${windowStart}至${asOf}期间无处分` : `${windowStart}至${asOf}期间有处分：${text.zh}`,
      inWindow.length === 0
        ? `No disciplinary measure from ${windowStart} to ${asOf}`
        : `Disciplinary measure between ${windowStart} and ${asOf}: ${text.en}`,
      { windowStart, asOf, years: disciplineFreeYears, records: disciplineData(inWindow) },
    ),
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
