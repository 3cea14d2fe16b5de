import type { Period } from '../calendar';
import type { AppealRules } from '../case-types/appeal/rules';
import type { CommendationRules } from '../case-types/commendation/rules';
import type { ExitRules } from '../case-types/exit/rules';
import type { RecruitmentRules } from '../case-types/recruitment/rules';
import type { SecondmentRules } from '../case-types/secondment/rules';
import type { Localized } from '../localized';
import type { Approval } from '../org';
import type { AssessmentResult, Education, PostType } from '../personnel';
import type { DisciplineRules } from './discipline';
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
  /**
   * The approval matrix: who decides each stage, by key ("promotion.street-decision"), as the department of a
   * given type at a given level above the case's community. The case types' definitions name these keys.
   */
  approvals: Record<string, Approval>;
  /** 集体研究决定: how a party committee's (党委/党工委/党组) meeting decides. */
  collectiveDecision: CollectiveDecisionRules;
  /** A vote of the residents' meeting (居民会议), e.g. recalling a member of the residents' committee (罢免). */
  residentsMeeting: HeadcountVoteRules;
  /** The public notice (公示). */
  notice: NoticeRules;
  /** Ranges of the scores officers record, by key ("recruitment.examScore"). */
  scales: Record<string, Scale>;
  grades: GradeRules;
  /** 定向招录(聘): targeted recruitment into civil-service or public-institution (事业单位) posts. */
  // The sections a case type owns are declared in its folder (domain/case-types/<type>/rules.ts).
  recruitment: RecruitmentRules;
  commendation: CommendationRules;
  exit: ExitRules;
  discipline: DisciplineRules;
  /** 年度晋升: the street's yearly promotion round and its quota (domain/promotion-rounds.ts). */
  promotionRounds: PromotionRoundRules;
  /** 年度考核: the annual assessment of each community's workers (domain/annual-assessment.ts). */
  annualAssessment: AnnualAssessmentRules;
  /** 复核/申诉: the period to appeal in. */
  appeal: AppealRules;
  /** 借调: the limits on lending a worker to another body. */
  secondment: SecondmentRules;
  /**
   * Where each value comes from, keyed by rule path ("grades.bands", "periods.promotion.notice",
   * "recruitment.civil-service.maxAge"), so the API can show which values are sourced, which are borrowed from
   * elsewhere and which are configurable defaults awaiting confirmation.
   */
  provenance: Record<string, Provenance>;
}

/**
 * A share of a whole: numerator/denominator, reached with "at least" (以上, which includes the number itself) or
 * "more than" (超过, 过半数: strictly more).
 */
export interface Share {
  numerator: number;
  denominator: number;
  strict: boolean;
}

/** Whether `count` of `whole` reaches the share (exact integer arithmetic: 6 of 9 is two thirds). */
export function reachesShare(count: number, whole: number, share: Share): boolean {
  const left = count * share.denominator;
  const right = share.numerator * whole;
  return share.strict ? left > right : left >= right;
}

/**
 * The largest count of `whole` within a share used as a ceiling (以内: at most it; strict: below it), e.g. the
 * most people a quota of a fifth allows; exact integer arithmetic, so a third of 9 is 3.
 */
export function largestWithin(whole: number, share: Share): number {
  const exact = share.numerator * whole;
  const floor = Math.floor(exact / share.denominator);
  return share.strict && floor * share.denominator === exact ? Math.max(0, floor - 1) : floor;
}

/** The smallest count of `whole` that reaches the share. */
export function smallestReaching(whole: number, share: Share): number {
  for (let n = 0; n <= whole; n += 1) if (reachesShare(n, whole, share)) return n;
  return whole + 1;
}

export interface CollectiveDecisionRules {
  /** Members present (实到) as a share of the members who should attend (应到), for the meeting to decide. */
  quorum: Share;
  /** Members voting for as a share of 应到 (not of those present), for the proposal to pass. */
  passing: Share;
  /** Whether a member who recuses themselves (回避) still counts among 应到 (and so as not present). */
  recusedCountAsExpected: boolean;
}

export interface HeadcountVoteRules {
  /** Those present as a share of those entitled to attend, for the meeting to be held. */
  quorum: Share;
  /** Votes for as a share of those present, for the motion to pass. */
  passing: Share;
}

export interface NoticeRules {
  /**
   * true: the first objection pauses the notice while it is verified (异议核查) and what is left of the period
   * runs again once every objection is dismissed; false: the period runs on while objections are verified, and a
   * notice whose period ends with an objection open waits until every objection is ruled on.
   */
  objectionsPause: boolean;
}

export interface Scale {
  min: number;
  max: number;
}

/** A round's quota: a number of people, or a share of the workers eligible that year. */
export type RoundQuota = { kind: 'count'; max: number } | { kind: 'share'; share: Share };

export interface PromotionRoundRules {
  /** The quota of a street that has no entry of its own. */
  defaultQuota: RoundQuota;
  /** Quotas by the street's org-unit id. */
  quotas: Record<string, RoundQuota>;
}

export interface AnnualAssessmentRules {
  /** 优秀 may be given to at most this share of the workers assessed in a community (以内). */
  excellentShare: Share;
  /** Results the evaluation group must give a written reason for. */
  reasonRequired: AssessmentResult[];
  /** How the 民主测评 scores of each group weigh in the combined score (the weights add up to 1). */
  evaluationWeights: { residents: number; colleagues: number };
}

/** A grade band of 三岗十八级: the lowest and highest grade a post type can hold. */
export interface GradeBand {
  min: number;
  max: number;
}

/** What a weak annual result (基本合格, 不合格) does to the step clock. */
export const WEAK_RESULT_EFFECTS = ['year-not-counted', 'clock-restarts'] as const;
export type WeakResultEffect = (typeof WEAK_RESULT_EFFECTS)[number];

export interface GradeRules {
  bands: Record<PostType, GradeBand>;
  /** Years of service in a grade for one regular step. */
  stepYears: number;
  /** When a regular or early step takes effect. next-january: 「从次年1月起」 after the years are complete; decision-date: from the decision. */
  effectiveFrom: 'next-january' | 'decision-date';
  /** When a move to a higher post (and its grade) takes effect: on the decision date, or the following 1 January. */
  postChangeEffectiveFrom: 'decision-date' | 'next-january';
  earlyPromotion: {
    /** This many most recent annual assessments all 优秀 … */
    consecutiveExcellent: number;
    /** … shorten the step by this many years … */
    yearsEarly: number;
    /** … at most this many times in a career … */
    maxPerCareer: number;
    /** … and the 优秀 years must fall within the current grade's clock (no year counted for two steps). */
    withinCurrentGrade: boolean;
  };
  /**
   * What a weak result in a year of the current grade does: year-not-counted (the year does not count toward
   * the step, which comes a year later), or clock-restarts (the years count again from the next 1 January).
   * A result not listed does not affect the clock.
   */
  weakResults: Partial<Record<AssessmentResult, WeakResultEffect>>;
  /** Degrees counted as years of community service for the starting grade (学士/硕士/博士). */
  degreeCreditYears: Partial<Record<Education, number>>;
  /** Grades added on moving to a higher post, on top of entering the new band. */
  postChangeBonus: number;
  /** Whether a year with no recorded assessment blocks regular promotion. */
  requireEveryAssessment: boolean;
  /** A worker hired after 1 January is not assessed for that year, so the year of hiring is not required. */
  midYearHireExempt: boolean;
}

export function periodOf(ruleSet: RuleSet, key: string): Period {
  const period = ruleSet.periods[key];
  if (!period) throw new Error(`rule set ${ruleSet.id} v${ruleSet.version} has no period "${key}"`);
  return period;
}

export function approvalOf(ruleSet: RuleSet, key: string): Approval {
  const approval = ruleSet.approvals[key];
  if (!approval) throw new Error(`rule set ${ruleSet.id} v${ruleSet.version} has no approval "${key}"`);
  return approval;
}

export function scaleOf(ruleSet: RuleSet, key: string): Scale {
  const scale = ruleSet.scales[key];
  if (!scale) throw new Error(`rule set ${ruleSet.id} v${ruleSet.version} has no scale "${key}"`);
  return scale;
}

export function gradeBandOf(ruleSet: RuleSet, postType: PostType): GradeBand {
  return ruleSet.grades.bands[postType];
}

/**
 * The value a provenance key names, or undefined. Keys are dotted paths; a segment may itself contain dots where
 * the object's keys do ("periods.promotion.notice"), and array members are named by their `code` or `reasonCode`
 * ("exit.reasons.dereliction").
 */
export function ruleValueAt(ruleSet: RuleSet, path: string): unknown {
  const walk = (value: unknown, segments: string[]): unknown => {
    if (segments.length === 0) return value;
    if (value === null || typeof value !== 'object') return undefined;
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
      if (next === undefined) continue;
      const found = walk(next, segments.slice(take));
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(ruleSet, path.split('.'));
}

/** Whether a provenance key names a value of the rule set. */
export function rulePathExists(ruleSet: RuleSet, path: string): boolean {
  return ruleValueAt(ruleSet, path) !== undefined;
}

/**
 * The parameters of a rule set: every value a county may set, by rule path. A value is a parameter when it is a
 * leaf (a number, text, boolean or list of those), or an entry of a table whose entries are set as a whole: a
 * period, an approval, a scale, a grade band, a share, a discipline effect, an exit reason or trigger, a
 * recruitment track's age or assessment rule. Each needs a provenance entry of its own or of an enclosing value.
 */
export function parameterPaths(ruleSet: RuleSet): string[] {
  const paths: string[] = [];
  const isLeaf = (v: unknown) =>
    v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'));
  const add = (prefix: string, value: unknown) => {
    if (isLeaf(value)) {
      paths.push(prefix);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value as { code?: string; reasonCode?: string }[]) paths.push(`${prefix}.${item.code ?? item.reasonCode ?? ''}`);
      return;
    }
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) add(`${prefix}.${key}`, child);
  };
  const { id: _id, version: _v, title: _t, provenance: _p, periods, approvals, scales, ...sections } = ruleSet;
  for (const key of Object.keys(periods)) paths.push(`periods.${key}`);
  for (const key of Object.keys(approvals)) paths.push(`approvals.${key}`);
  for (const key of Object.keys(scales)) paths.push(`scales.${key}`);
  for (const [name, value] of Object.entries(sections)) add(name, value);
  return paths;
}

/** The provenance that covers a parameter: its own entry, or the nearest enclosing value's. */
export function provenanceOf(ruleSet: RuleSet, path: string): Provenance | undefined {
  const parts = path.split('.');
  for (let n = parts.length; n >= 1; n -= 1) {
    const entry = ruleSet.provenance[parts.slice(0, n).join('.')];
    if (entry) return entry;
  }
  return undefined;
}
