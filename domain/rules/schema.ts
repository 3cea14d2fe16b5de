import { z } from 'zod';
import { ASSESSMENT_RESULTS, DISCIPLINE_KINDS, EDUCATION_LEVELS, POST_TYPES } from '../personnel';
import { rulePathExists, type RuleSet } from './rule-set';

/**
 * The schema of a whole rule set, so a county can run its own variant from a JSON file (RULES_FILE) and a
 * malformed file is refused at start-up with the path of every problem, not at the first case that needs
 * the value.
 */

const localized = z.strictObject({ zh: z.string().min(1), en: z.string().min(1) });
const count = z.int().min(0);
const positive = z.int().min(1);
const assessmentResult = z.enum(ASSESSMENT_RESULTS);
const postType = z.enum(POST_TYPES);
const education = z.enum(EDUCATION_LEVELS);

const period = z.union(
  [
    z.strictObject({ workingDays: count }),
    z.strictObject({ days: count }),
    z.strictObject({ seconds: z.number().positive().finite() }),
  ],
  { error: 'expected exactly one of { workingDays: n }, { days: n } (n a whole number ≥ 0) or { seconds: n > 0 }' },
);

const band = z
  .strictObject({ min: positive, max: positive })
  .refine((b) => b.min <= b.max, { error: 'min must not exceed max' });

const grades = z.strictObject({
  bands: z.strictObject({ head: band, deputy: band, general: band }),
  stepYears: positive,
  effectiveFrom: z.enum(['next-january', 'decision-date']),
  earlyPromotion: z.strictObject({ consecutiveExcellent: positive, yearsEarly: count, maxPerCareer: count }),
  blockingResults: z.array(assessmentResult),
  degreeCreditYears: z.partialRecord(education, count),
  postChangeBonus: count,
  requireEveryAssessment: z.boolean(),
});

const recruitmentTrack = z
  .strictObject({
    eligiblePostTypes: z.array(postType).min(1),
    minYearsInPost: z.partialRecord(postType, count),
    minAge: count.optional(),
    maxAge: count.optional(),
    minEducation: education,
    assessment: z.strictObject({ lastYears: positive, minResult: assessmentResult, atLeastExcellent: count }),
    noActiveDiscipline: z.boolean(),
  })
  .superRefine((track, ctx) => {
    if (track.minAge !== undefined && track.maxAge !== undefined && track.minAge > track.maxAge) {
      ctx.addIssue({ code: 'custom', path: ['minAge'], message: 'minAge must not exceed maxAge' });
    }
    if (track.assessment.atLeastExcellent > track.assessment.lastYears) {
      ctx.addIssue({ code: 'custom', path: ['assessment', 'atLeastExcellent'], message: 'cannot exceed assessment.lastYears' });
    }
    for (const type of track.eligiblePostTypes) {
      if (track.minYearsInPost[type] === undefined) {
        ctx.addIssue({ code: 'custom', path: ['minYearsInPost', type], message: `required for eligible post type "${type}"` });
      }
    }
  });

const exit = z
  .strictObject({
    reasons: z
      .array(
        z.strictObject({
          code: z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'a code is lower-case letters, digits and "-"' }),
          title: localized,
          status: z.enum(['confirmed', 'inferred']),
          basis: z.string().min(1),
        }),
      )
      .min(1),
    assessmentTriggers: z.array(
      z.strictObject({
        reasonCode: z.string(),
        result: assessmentResult,
        consecutiveYears: positive,
        orWorse: z.boolean().optional(),
      }),
    ),
    qualificationDeadlineYears: positive,
    qualificationWarningDays: count,
    qualificationReasonCode: z.string().optional(),
  })
  .superRefine((rules, ctx) => {
    const codes = new Set<string>();
    rules.reasons.forEach((reason, i) => {
      if (codes.has(reason.code)) ctx.addIssue({ code: 'custom', path: ['reasons', i, 'code'], message: `duplicate code "${reason.code}"` });
      codes.add(reason.code);
    });
    rules.assessmentTriggers.forEach((trigger, i) => {
      if (!codes.has(trigger.reasonCode)) {
        ctx.addIssue({ code: 'custom', path: ['assessmentTriggers', i, 'reasonCode'], message: `no exit reason has code "${trigger.reasonCode}"` });
      }
    });
    if (rules.qualificationReasonCode !== undefined && !codes.has(rules.qualificationReasonCode)) {
      ctx.addIssue({ code: 'custom', path: ['qualificationReasonCode'], message: `no exit reason has code "${rules.qualificationReasonCode}"` });
    }
  });

export const ruleSetSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an id is lower-case letters, digits and "-"' }),
    version: positive,
    title: localized,
    periods: z.record(z.string().min(1), period),
    grades,
    recruitment: z.strictObject({ 'civil-service': recruitmentTrack, 'public-institution': recruitmentTrack }),
    commendation: z.strictObject({ disciplineFreeYears: count, minLatestAssessment: assessmentResult }),
    exit,
    discipline: z.strictObject({ blocksPromotion: z.array(z.enum(DISCIPLINE_KINDS)) }),
    provenance: z.record(
      z.string().min(1),
      z.strictObject({ status: z.enum(['sourced', 'inferred', 'believed']), source: z.string().optional(), note: z.string().optional() }),
    ),
  })
  .superRefine((ruleSet, ctx) => {
    // A provenance entry for a value that does not exist is a typo that would hide the real value's status.
    for (const key of Object.keys(ruleSet.provenance)) {
      if (!rulePathExists(ruleSet as RuleSet, key)) {
        ctx.addIssue({ code: 'custom', path: ['provenance', key], message: 'names no value of this rule set' });
      }
    }
  });

// The schema and the RuleSet interface must describe the same data; this fails to compile if they drift.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesRuleSet: Same<z.output<typeof ruleSetSchema>, RuleSet> = true;
void schemaMatchesRuleSet;

export class RuleSetError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid rule set ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RuleSetError';
  }
}

/** A readable path: recruitment.civil-service.maxAge, periods["promotion.notice"].workingDays, exit.reasons[2].code. */
export function formatRulePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && /^[A-Za-z_][\w-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out || '(root)';
}

/**
 * Validates a rule set read from JSON. Throws RuleSetError listing every problem as "path: message";
 * `source` (a file name) is only used in the message.
 */
export function parseRuleSet(json: unknown, source = '(JSON)'): RuleSet {
  const result = ruleSetSchema.safeParse(json);
  if (result.success) return result.data;
  throw new RuleSetError(
    source,
    result.error.issues.map((issue) => `${formatRulePath(issue.path)}: ${issue.message}`),
  );
}
