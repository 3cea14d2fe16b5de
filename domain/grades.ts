import { firstJanuaryOnOrAfter } from './dates';
import { EDUCATION_LEVELS, type Education, type PostType } from './personnel';
import type { GradeBand, RuleSet } from './rules/rule-set';

/**
 * Grade arithmetic of 三岗十八级 (post types with overlapping grade bands): the next grade for each kind of
 * promotion, the starting grade of a new hire, and when a promotion takes effect. Pure; the bands and steps
 * come from the rule set.
 */

// POST_TYPES lists head first; promotion needs the opposite order.
const POST_RANK: Record<PostType, number> = { general: 0, deputy: 1, head: 2 };

/** Negative when post type a is lower than b (一般 < 副职 < 正职). */
export function comparePostType(a: PostType, b: PostType): number {
  return POST_RANK[a] - POST_RANK[b];
}

/** Negative when education a is lower than b (高中 < 中专 < 大专 < 本科 < 硕士 < 博士). */
export function compareEducation(a: Education, b: Education): number {
  return EDUCATION_LEVELS.indexOf(a) - EDUCATION_LEVELS.indexOf(b);
}

export function gradeBand(rules: RuleSet, postType: PostType): GradeBand {
  return rules.grades.bands[postType];
}

export type GradeMove = { kind: 'regular' } | { kind: 'early' } | { kind: 'post-change'; newPostType: PostType };

export interface NextGrade {
  fromGrade: number;
  toGrade: number;
  /** The post type after the move (the new one for a post change). */
  postType: PostType;
  band: GradeBand;
  /** Whether toGrade lies within the band; a promotion beyond the ceiling cannot be made. */
  withinBand: boolean;
}

/**
 * The grade a promotion leads to. Regular and early promotions rise one grade within the band; a move to a
 * higher post enters the new band at the higher of the current grade and the band minimum, plus the rule
 * set's bonus.
 */
export function nextGrade(current: { grade: number; postType: PostType }, move: GradeMove, rules: RuleSet): NextGrade {
  const postType = move.kind === 'post-change' ? move.newPostType : current.postType;
  const band = gradeBand(rules, postType);
  const toGrade = move.kind === 'post-change' ? Math.max(current.grade, band.min) + rules.grades.postChangeBonus : current.grade + 1;
  return { fromGrade: current.grade, toGrade, postType, band, withinBand: toGrade >= band.min && toGrade <= band.max };
}

/**
 * The starting grade of a new hire: the band minimum plus one grade for every full step of service, where a
 * degree counts as years of service (学士/硕士/博士), capped at the band maximum.
 */
export function initialGrade(education: Education, postType: PostType, yearsOfService: number, rules: RuleSet): number {
  if (!Number.isFinite(yearsOfService) || yearsOfService < 0) throw new RangeError(`years of service must be ≥ 0, got ${yearsOfService}`);
  const band = gradeBand(rules, postType);
  const credited = yearsOfService + (rules.grades.degreeCreditYears[education] ?? 0);
  return Math.min(band.max, band.min + Math.floor(credited / rules.grades.stepYears));
}

/**
 * When a promotion takes effect. A move to a higher post takes effect as grades.postChangeEffectiveFrom says (by
 * default on the decision date: a secretary elected in March is a head from then). A step by years follows
 * grades.effectiveFrom: next-january (「从次年1月起」) is the first 1 January on or after the day the conditions
 * were met, so a grade since 1 January 2023 steps up on 1 January 2026 even when the street decides in March,
 * and the three-year rhythm does not drift with the date of each year's round; decision-date is the date of the
 * decision (asOf).
 */
export function promotionEffectiveFrom(kind: GradeMove['kind'], conditionsMetOn: string, asOf: string, rules: RuleSet): string {
  const rule = kind === 'post-change' ? rules.grades.postChangeEffectiveFrom : rules.grades.effectiveFrom;
  return rule === 'decision-date' ? asOf : firstJanuaryOnOrAfter(conditionsMetOn);
}
