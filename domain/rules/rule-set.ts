import type { Period } from '../calendar';
import type { CommendationRules } from '../case-types/commendation/rules';
import type { ExitRules } from '../case-types/exit/rules';
import type { DisciplineRules } from '../case-types/promotion/rules';
import type { RecruitmentRules } from '../case-types/recruitment/rules';
import type { Localized } from '../localized';
import type { AssessmentResult, Education, PostType } from '../personnel';
import type { Provenance } from './provenance';

/**
 * A rule set is a versioned bundle of every policy value the service applies. Counties run variants of the
 * provincial rules, so none of these values is a constant in code. Rule sets are plain JSON data (no
 * functions), so a county can load its own from a file (see schema.ts) and a running case can freeze it.
 */
export interface RuleSet {
  id: string;
  version: number;
  title: Localized;
  /** Every time limit, by key ("promotion.notice"), in working days, calendar days or seconds. */
  periods: Record<string, Period>;
  grades: GradeRules;
  /** 定向招录(聘): targeted recruitment into civil-service or public-institution (事业单位) posts. */
  // The sections a case type owns are declared in its folder (domain/case-types/<type>/rules.ts).
  recruitment: RecruitmentRules;
  commendation: CommendationRules;
  exit: ExitRules;
  discipline: DisciplineRules;
  /**
   * Where each value comes from, keyed by rule path ("grades.bands", "periods.promotion.notice",
   * "recruitment.civil-service.maxAge"), so the API can show which values are sourced and which are
   * configurable defaults awaiting confirmation.
   */
  provenance: Record<string, Provenance>;
}

/** A grade band of 三岗十八级: the lowest and highest grade a post type can hold. */
export interface GradeBand {
  min: number;
  max: number;
}

export interface GradeRules {
  bands: Record<PostType, GradeBand>;
  /** Years of service in a grade for one regular step. */
  stepYears: number;
  /** next-january: 「从次年1月起」 after the years are complete; decision-date: from the decision. */
  effectiveFrom: 'next-january' | 'decision-date';
  earlyPromotion: {
    /** This many most recent annual assessments all 优秀 … */
    consecutiveExcellent: number;
    /** … shorten the step by this many years … */
    yearsEarly: number;
    /** … at most this many times in a career. */
    maxPerCareer: number;
  };
  /** Assessment results that stop the step clock; it restarts on 1 January of the following year. */
  blockingResults: AssessmentResult[];
  /** Degrees counted as years of community service for the starting grade (学士/硕士/博士). */
  degreeCreditYears: Partial<Record<Education, number>>;
  /** Grades added on moving to a higher post, on top of entering the new band. */
  postChangeBonus: number;
  /** Whether a year with no recorded assessment blocks regular promotion. */
  requireEveryAssessment: boolean;
}

export function periodOf(ruleSet: RuleSet, key: string): Period {
  const period = ruleSet.periods[key];
  if (!period) throw new Error(`rule set ${ruleSet.id} v${ruleSet.version} has no period "${key}"`);
  return period;
}

export function gradeBandOf(ruleSet: RuleSet, postType: PostType): GradeBand {
  return ruleSet.grades.bands[postType];
}

/**
 * Whether a provenance key names a value of the rule set. Keys are dotted paths; a segment may itself
 * contain dots where the object's keys do ("periods.promotion.notice"), and array members are named by
 * their `code` or `reasonCode` ("exit.reasons.dereliction").
 */
export function rulePathExists(ruleSet: RuleSet, path: string): boolean {
  const walk = (value: unknown, segments: string[]): boolean => {
    if (segments.length === 0) return value !== undefined;
    if (value === null || typeof value !== 'object') return false;
    // Longest key first, so "periods.recruitment.notice.civilService" finds the period, not a prefix.
    for (let take = segments.length; take >= 1; take -= 1) {
      const key = segments.slice(0, take).join('.');
      const next: unknown = Array.isArray(value)
        ? value.find((item) => {
            const named = item as { code?: unknown; reasonCode?: unknown } | null;
            return named !== null && typeof named === 'object' && (named.code ?? named.reasonCode) === key;
          })
        : Object.prototype.hasOwnProperty.call(value, key)
          ? (value as Record<string, unknown>)[key]
          : undefined;
      if (next !== undefined && walk(next, segments.slice(take))) return true;
    }
    return false;
  };
  return walk(ruleSet, path.split('.'));
}
