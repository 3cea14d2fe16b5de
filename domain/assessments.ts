import { ASSESSMENT_LABELS, type AssessmentResult, type PersonnelRecord } from './personnel';

/** Annual assessment results from worst to best; compare with compareAssessment. */
const ASSESSMENT_RANK: Record<AssessmentResult, number> = { incompetent: 0, basically_competent: 1, competent: 2, excellent: 3 };

/** Negative when a is worse than b, 0 when equal, positive when better. */
export function compareAssessment(a: AssessmentResult, b: AssessmentResult): number {
  return ASSESSMENT_RANK[a] - ASSESSMENT_RANK[b];
}

/** Results by year; when a year is recorded twice (a 复核 review), the last entry wins. */
export function assessmentsByYear(worker: Pick<PersonnelRecord, 'assessments'>): Map<number, AssessmentResult> {
  const byYear = new Map<number, AssessmentResult>();
  for (const a of worker.assessments) byYear.set(a.year, a.result);
  return byYear;
}

/** Years from `from` to `to`, both inclusive (empty when to < from). */
export function yearRange(from: number, to: number): number[] {
  const years: number[] = [];
  for (let y = from; y <= to; y += 1) years.push(y);
  return years;
}

export function assessmentLabel(result: AssessmentResult): { zh: string; en: string } {
  return ASSESSMENT_LABELS[result];
}
