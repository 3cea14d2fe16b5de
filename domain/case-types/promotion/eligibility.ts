import { z } from 'zod';
import { assessmentLabel, assessmentsByYear, yearRange } from '../../assessments';
import { anniversary, formatDate, fullYearsSince, yearOf } from '../../dates';
import { comparePostType, nextGrade, promotionEffectiveFrom, type GradeMove } from '../../grades';
import type { Json } from '../../history';
import { POST_TYPE_LABELS, POST_TYPES, type AssessmentResult, type PostType, type PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import { assertAsOf, disciplineEffectReason, eligibilityRule, reason, resultOf, statusReason } from '../../eligibility/common';
import type { EligibilityReason, EligibilityResult } from '../../eligibility/types';

/** 岗位等级晋升: regular (by years), early (after consecutive 优秀), or on moving to a higher post. */
export interface PromotionRequest {
  kind: 'regular' | 'early' | 'post-change';
  newPostType?: PostType;
}

export type PromotionProposal = {
  fromGrade: number;
  toGrade: number;
  /** The post type after the promotion (the new one for a post change). */
  postType: PostType;
  effectiveFrom: string;
};

/** The proposal is present only when the worker is eligible, so it can be applied as it stands. */
export type PromotionEligibility = EligibilityResult & { proposal?: PromotionProposal };

export interface StepClock {
  /** When the years toward the next step started counting. */
  start: string;
  /** The latest result in the current grade that restarted the clock (weakResults: clock-restarts). */
  resetBy: { year: number; result: AssessmentResult } | null;
  /** Years since the start whose result does not count toward the step (weakResults: year-not-counted). */
  notCounted: { year: number; result: AssessmentResult }[];
}

/**
 * The step clock: it runs from gradeSince. A weak result (基本合格/不合格) in a year of the current grade either
 * restarts it on 1 January of the following year, or leaves that year out of the count, as the rule set says for
 * that result.
 */
export function stepClock(worker: PersonnelRecord, rules: RuleSet): StepClock {
  const firstYear = yearOf(worker.gradeSince);
  const effects = rules.grades.weakResults;
  const inGrade = [...assessmentsByYear(worker)].filter(([year]) => year >= firstYear).sort(([a], [b]) => a - b);
  let resetBy: StepClock['resetBy'] = null;
  for (const [year, result] of inGrade) if (effects[result] === 'clock-restarts') resetBy = { year, result };
  const restart = resetBy ? formatDate(resetBy.year + 1, 1, 1) : worker.gradeSince;
  const start = restart > worker.gradeSince ? restart : worker.gradeSince;
  const notCounted = inGrade
    .filter(([year, result]) => year >= yearOf(start) && effects[result] === 'year-not-counted')
    .map(([year, result]) => ({ year, result }));
  return { start, resetBy, notCounted };
}

/**
 * The assessment years a step needs: every year from the clock's start to the year before asOf. The year of
 * hiring is left out when the worker joined after 1 January and the rules exempt it (a newcomer may not be
 * assessed that year).
 */
export function requiredAssessmentYears(worker: PersonnelRecord, clockStart: string, asOf: string, rules: RuleSet): number[] {
  const hireYear = yearOf(worker.hireDate);
  const exempt = rules.grades.midYearHireExempt && worker.hireDate > formatDate(hireYear, 1, 1);
  return yearRange(yearOf(clockStart), yearOf(asOf) - 1).filter((y) => !(exempt && y === hireYear));
}

function yearsInGradeReason(worker: PersonnelRecord, clock: StepClock, required: number, asOf: string): EligibilityReason {
  // A year not counted moves the step a year later.
  const needed = required + clock.notCounted.length;
  const years = fullYearsSince(clock.start, asOf);
  const metOn = anniversary(clock.start, needed);
  const passed = years >= needed;
  const reset = clock.resetBy
    ? {
        zh: `（${clock.resetBy.year}年度考核${assessmentLabel(clock.resetBy.result).zh}，自${clock.start}起重新计算）`,
        en: ` (the ${clock.resetBy.year} assessment was ${assessmentLabel(clock.resetBy.result).en.toLowerCase()}, so the clock restarted on ${clock.start})`,
      }
    : { zh: '', en: '' };
  const skipped = clock.notCounted.length
    ? {
        zh: `（${clock.notCounted.map((n) => `${n.year}年度考核${assessmentLabel(n.result).zh}`).join('、')}，该年度不计算）`,
        en: ` (${clock.notCounted.map((n) => `${n.year} ${assessmentLabel(n.result).en.toLowerCase()}`).join(', ')}: not counted)`,
      }
    : { zh: '', en: '' };
  return reason(
    'promotion.years-in-grade',
    passed,
    `自${clock.start}起在现等级满${years}年，需满${needed}年${passed ? '' : `，${metOn}方满`}${reset.zh}${skipped.zh}`,
    `${years} full year(s) in grade since ${clock.start}, ${needed} required${passed ? '' : `; reached on ${metOn}`}${reset.en}${skipped.en}`,
    {
      gradeSince: worker.gradeSince,
      clockStart: clock.start,
      resetBy: clock.resetBy,
      notCounted: clock.notCounted,
      asOf,
      yearsInGrade: years,
      required: needed,
      reachedOn: metOn,
    },
  );
}

function assessmentsReason(worker: PersonnelRecord, rules: RuleSet, clockStart: string, asOf: string): EligibilityReason {
  const byYear = assessmentsByYear(worker);
  const required = requiredAssessmentYears(worker, clockStart, asOf, rules);
  const missing = required.filter((y) => !byYear.has(y));
  const enforced = rules.grades.requireEveryAssessment;
  const passed = !enforced || missing.length === 0;
  const recorded: Json[] = required.filter((y) => byYear.has(y)).map((y) => ({ year: y, result: byYear.get(y) ?? null }));
  const years = missing.join('、');
  return reason(
    'promotion.assessments',
    passed,
    missing.length === 0
      ? `${required.length ? `${required[0]}–${required[required.length - 1]}年度考核均已记录` : '本等级期间尚无须记录的年度考核'}`
      : `缺少${years}年度考核结果${enforced ? '' : '（本规则不要求逐年考核）'}`,
    missing.length === 0
      ? required.length
        ? `Every annual assessment ${required[0]}–${required[required.length - 1]} is recorded`
        : 'No annual assessment is due yet in this grade'
      : `No annual assessment recorded for ${missing.join(', ')}${enforced ? '' : ' (not required by these rules)'}`,
    { requiredYears: required, missingYears: missing, recorded, requireEveryAssessment: enforced },
  );
}

function excellentReason(worker: PersonnelRecord, rules: RuleSet, clock: StepClock, asOf: string): EligibilityReason {
  const { consecutiveExcellent, withinCurrentGrade } = rules.grades.earlyPromotion;
  const byYear = assessmentsByYear(worker);
  const years = yearRange(yearOf(asOf) - consecutiveExcellent, yearOf(asOf) - 1);
  const results = years.map((y) => byYear.get(y) ?? null);
  // One pair of 优秀 earns one early step: the years must fall in the current grade's clock (when the rules say so).
  const firstYear = yearOf(clock.start);
  const allExcellent = results.every((r) => r === 'excellent');
  const inGrade = !withinCurrentGrade || years.every((y) => y >= firstYear);
  const passed = allExcellent && inGrade;
  const shown = years.map((y, i) => {
    const r = results[i];
    return { zh: `${y}年${r ? assessmentLabel(r).zh : '无记录'}`, en: `${y} ${r ? assessmentLabel(r).en.toLowerCase() : 'not recorded'}` };
  });
  return reason(
    'promotion.early.consecutive-excellent',
    passed,
    `最近${consecutiveExcellent}年度考核：${shown.map((s) => s.zh).join('、')}${allExcellent ? (inGrade ? '，连续优秀' : `，但早于本等级计时起点${clock.start}`) : '，未连续优秀'}`,
    `Last ${consecutiveExcellent} annual assessments: ${shown.map((s) => s.en).join(', ')}${allExcellent ? (inGrade ? ', consecutively excellent' : `, but before the grade clock started on ${clock.start}`) : ', not consecutively excellent'}`,
    { years, results, clockStart: clock.start, required: consecutiveExcellent },
  );
}

function earlyLimitReason(worker: PersonnelRecord, rules: RuleSet): EligibilityReason {
  const max = rules.grades.earlyPromotion.maxPerCareer;
  const used = worker.gradeChanges.filter((g) => g.reason === 'early').length;
  return reason(
    'promotion.early.limit',
    used < max,
    `已提前晋升${used}次，职业生涯内最多${max}次`,
    `${used} early promotion(s) so far, at most ${max} in a career`,
    { used, max },
  );
}

/**
 * Evaluates a promotion request as of a date. Every rule is reported, passed or not; the proposal (grades
 * and effective date) is given when all pass.
 */
export function evaluatePromotion(worker: PersonnelRecord, request: PromotionRequest, rules: RuleSet, asOf: string): PromotionEligibility {
  assertAsOf(asOf);
  const reasons: EligibilityReason[] = [
    statusReason('promotion.status', worker),
    disciplineEffectReason('promotion.discipline', worker, asOf, rules, 'promotion'),
  ];

  let move: GradeMove | null = null;
  let conditionsMetOn = asOf;
  if (request.kind === 'post-change') {
    const target = request.newPostType;
    const from = POST_TYPE_LABELS[worker.postType];
    const higher = target !== undefined && comparePostType(target, worker.postType) > 0;
    reasons.push(
      reason(
        'promotion.post-change.higher-post',
        higher,
        target === undefined ? '未说明新岗位类别' : `由${from.zh}转任${POST_TYPE_LABELS[target].zh}${higher ? '' : '，不是更高岗位'}`,
        target === undefined
          ? 'No new post type given'
          : `From ${from.en.toLowerCase()} to ${POST_TYPE_LABELS[target].en.toLowerCase()}${higher ? '' : ', which is not a higher post'}`,
        { postType: worker.postType, newPostType: target ?? null },
      ),
    );
    if (target !== undefined) move = { kind: 'post-change', newPostType: target };
  } else {
    move = { kind: request.kind };
    const clock = stepClock(worker, rules);
    const { stepYears } = rules.grades;
    const required = request.kind === 'regular' ? stepYears : Math.max(0, stepYears - rules.grades.earlyPromotion.yearsEarly);
    reasons.push(yearsInGradeReason(worker, clock, required, asOf), assessmentsReason(worker, rules, clock.start, asOf));
    conditionsMetOn = anniversary(clock.start, required + clock.notCounted.length);
    if (request.kind === 'early') {
      reasons.push(excellentReason(worker, rules, clock, asOf), earlyLimitReason(worker, rules));
      // The last 优秀 is known once its year is over.
      const afterAssessments = formatDate(yearOf(asOf), 1, 1);
      if (afterAssessments > conditionsMetOn) conditionsMetOn = afterAssessments;
    }
  }

  const next = move ? nextGrade(worker, move, rules) : null;
  if (next) {
    const label = POST_TYPE_LABELS[next.postType];
    reasons.push(
      reason(
        'promotion.band-ceiling',
        next.withinBand,
        next.withinBand
          ? `${next.toGrade === next.fromGrade ? `保持${next.toGrade}级` : `拟由${next.fromGrade}级晋升至${next.toGrade}级`}，在${label.zh}${next.band.min}–${next.band.max}级范围内`
          : `${next.toGrade}级超出${label.zh}${next.band.min}–${next.band.max}级范围（现为${next.fromGrade}级）`,
        next.withinBand
          ? `${next.toGrade === next.fromGrade ? `Stays at grade ${next.toGrade}` : `Grade ${next.fromGrade} → ${next.toGrade}`}, within the ${label.en.toLowerCase()} band ${next.band.min}–${next.band.max}`
          : `Grade ${next.toGrade} is outside the ${label.en.toLowerCase()} band ${next.band.min}–${next.band.max} (now grade ${next.fromGrade})`,
        { grade: worker.grade, toGrade: next.toGrade, postType: next.postType, bandMin: next.band.min, bandMax: next.band.max },
      ),
    );
  } else {
    reasons.push(
      reason(
        'promotion.band-ceiling',
        false,
        '未说明新岗位类别，无法确定等级范围',
        'No new post type given, so there is no band to check',
        {
          grade: worker.grade,
          toGrade: null,
          postType: null,
          bandMin: null,
          bandMax: null,
        },
      ),
    );
  }

  const result = resultOf(reasons);
  if (!result.eligible || !next) return result;
  return {
    ...result,
    proposal: {
      fromGrade: next.fromGrade,
      toGrade: next.toGrade,
      postType: next.postType,
      effectiveFrom: promotionEffectiveFrom(request.kind, conditionsMetOn, asOf, rules),
    },
  };
}

// Only the fields the rules read; the case type's own schema validates the rest of the payload.
export const promotionEligibility = eligibilityRule(
  z.object({ kind: z.enum(['regular', 'early', 'post-change']), newPostType: z.enum(POST_TYPES).optional() }),
  evaluatePromotion,
);
