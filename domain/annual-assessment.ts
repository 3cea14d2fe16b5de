import { assessmentLabel } from './assessments';
import type { Localized } from './localized';
import type { AssessmentResult } from './personnel';
import { largestWithin, type AnnualAssessmentRules } from './rules/rule-set';

/**
 * 年度考核: each community assesses its workers once a year (述职, 民主测评 by residents' representatives and
 * colleagues, the evaluation group's proposal, the street's confirmation). The rule set caps the share of 优秀 and
 * names the results that need a written reason.
 */

export interface ProposedResult {
  workerId: string;
  result: AssessmentResult;
  reason?: string | undefined;
}

export interface ProposalProblem {
  code: 'assessment.excellent-share' | 'assessment.reason-required';
  workerId: string | null;
  message: Localized;
}

/** What keeps the evaluation group's proposal from going to the street: the 优秀 cap and the missing reasons. */
export function proposalProblems(results: readonly ProposedResult[], rules: AnnualAssessmentRules): ProposalProblem[] {
  const problems: ProposalProblem[] = [];
  const excellent = results.filter((r) => r.result === 'excellent').length;
  const limit = largestWithin(results.length, rules.excellentShare);
  if (excellent > limit) {
    const { numerator, denominator } = rules.excellentShare;
    problems.push({
      code: 'assessment.excellent-share',
      workerId: null,
      message: {
        zh: `优秀${excellent}人，超过参加考核人数（${results.length}人）的${numerator}/${denominator}，最多${limit}人`,
        en: `${excellent} excellent, over ${numerator}/${denominator} of the ${results.length} assessed: at most ${limit}`,
      },
    });
  }
  for (const r of results) {
    if (rules.reasonRequired.includes(r.result) && !(r.reason && r.reason.trim())) {
      const label = assessmentLabel(r.result);
      problems.push({
        code: 'assessment.reason-required',
        workerId: r.workerId,
        message: { zh: `评定为${label.zh}须写明理由`, en: `a result of ${label.en.toLowerCase()} needs a written reason` },
      });
    }
  }
  return problems;
}

export interface EvaluationScore {
  group: 'residents' | 'colleagues';
  /** One evaluator's score, 0–100. */
  score: number;
}

/**
 * The 民主测评 score: the mean of each group's scores, weighted by the rule set; a group nobody scored in leaves
 * the other's mean as the score. Null when nobody scored. Rounded to two decimals so it reads as recorded.
 */
export function evaluationScore(scores: readonly EvaluationScore[], weights: AnnualAssessmentRules['evaluationWeights']): number | null {
  const mean = (group: EvaluationScore['group']) => {
    const of = scores.filter((s) => s.group === group).map((s) => s.score);
    return of.length ? of.reduce((a, b) => a + b, 0) / of.length : null;
  };
  const residents = mean('residents');
  const colleagues = mean('colleagues');
  if (residents === null && colleagues === null) return null;
  const combined =
    residents === null
      ? (colleagues as number)
      : colleagues === null
        ? residents
        : residents * weights.residents + colleagues * weights.colleagues;
  return Math.round(combined * 100) / 100;
}
