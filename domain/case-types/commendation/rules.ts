import { z } from 'zod';
import type { AssessmentResult } from '../../personnel';
import { inferred, sourced, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { assessmentResult, count } from '../../rules/schema-parts';
import { SRC } from '../../rules/sources';

export interface CommendationRules {
  /** No disciplinary measure starting or in force within this many years before the check. */
  disciplineFreeYears: number;
  /** The previous year's annual assessment must be at least this. */
  minLatestAssessment: AssessmentResult;
}

export const commendationRulesSchema = z.strictObject({ disciplineFreeYears: count, minLatestAssessment: assessmentResult });

/** Commendation's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const commendationRules: CaseTypeRules<{ commendation: CommendationRules }> = {
  periods: {
    'commendation.nomination': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.qualificationReview': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.evaluation': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'commendation.notice': {
      period: workingDays(5),
      provenance: sourced(SRC.nationalCommendation, '公示 5 working days (some provincial rules: 7 days).'),
    },
    'commendation.decision': {
      period: { days: 30 },
      provenance: sourced(SRC.provincialAward, 'The approving body decides within 30 days of receiving the materials.'),
    },
  },
  commendation: { disciplineFreeYears: 1, minLatestAssessment: 'competent' },
  provenance: {
    'commendation.disciplineFreeYears': inferred(
      'No disciplinary measure starting or in force within 1 year (纪检 opinion in the nomination).',
    ),
    'commendation.minLatestAssessment': inferred('The previous year assessed 合格 or better.'),
  },
};
