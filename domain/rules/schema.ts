import { z } from 'zod';
import { appealRulesSchema } from '../case-types/appeal/rules';
import { secondmentRulesSchema } from '../case-types/secondment/rules';
import { commendationRulesSchema } from '../case-types/commendation/rules';
import { exitRulesSchema } from '../case-types/exit/rules';
import { recruitmentRulesSchema } from '../case-types/recruitment/rules';
import { DEPARTMENT_TYPES, ORG_LEVELS, ROLES } from '../org';
import { disciplineRulesSchema } from './discipline';
import { PROVENANCE_STATUSES } from './provenance';
import { WEAK_RESULT_EFFECTS, rulePathExists, type RuleSet } from './rule-set';
import { assessmentResult, count, education, localized, positive } from './schema-parts';

/**
 * The schema of a whole rule set, so a county can run its own variant from a JSON file (RULES_FILE) and a
 * malformed file is refused at start-up with the path of every problem, not at the first case that needs
 * the value.
 */

const period = z.union(
  [z.strictObject({ workingDays: count }), z.strictObject({ days: count }), z.strictObject({ seconds: z.number().positive().finite() })],
  { error: 'expected exactly one of { workingDays: n }, { days: n } (n a whole number ≥ 0) or { seconds: n > 0 }' },
);

const band = z.strictObject({ min: positive, max: positive }).refine((b) => b.min <= b.max, { error: 'min must not exceed max' });

const grades = z.strictObject({
  bands: z.strictObject({ head: band, deputy: band, general: band }),
  stepYears: positive,
  effectiveFrom: z.enum(['next-january', 'decision-date']),
  postChangeEffectiveFrom: z.enum(['decision-date', 'next-january']),
  earlyPromotion: z.strictObject({
    consecutiveExcellent: positive,
    yearsEarly: count,
    maxPerCareer: count,
    withinCurrentGrade: z.boolean(),
  }),
  weakResults: z.partialRecord(assessmentResult, z.enum(WEAK_RESULT_EFFECTS)),
  degreeCreditYears: z.partialRecord(education, count),
  postChangeBonus: count,
  requireEveryAssessment: z.boolean(),
  midYearHireExempt: z.boolean(),
});

const actor = z.strictObject({
  level: z.enum(ORG_LEVELS),
  department: z.enum(Object.keys(DEPARTMENT_TYPES) as [keyof typeof DEPARTMENT_TYPES]),
  role: z.enum(Object.keys(ROLES) as [keyof typeof ROLES]).optional(),
});
const approval = actor.extend({ escalateTo: actor.optional() });

const share = z
  .strictObject({ numerator: positive, denominator: positive, strict: z.boolean() })
  .refine((s) => s.numerator <= s.denominator, { error: 'a share is at most the whole (numerator ≤ denominator)' });

const scale = z
  .strictObject({ min: z.number().finite(), max: z.number().finite() })
  .refine((s) => s.min < s.max, { error: 'min must be below max' });

const roundQuota = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('count'), max: count }),
  z.strictObject({ kind: z.literal('share'), share }),
]);

const weight = z.number().min(0).max(1);
const annualAssessment = z.strictObject({
  excellentShare: share,
  reasonRequired: z.array(assessmentResult),
  evaluationWeights: z
    .strictObject({ residents: weight, colleagues: weight })
    .refine((w) => Math.abs(w.residents + w.colleagues - 1) < 1e-9, { error: 'the weights add up to 1' }),
});

export const ruleSetSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'an id is lower-case letters, digits and "-"' }),
    version: positive,
    title: localized,
    periods: z.record(z.string().min(1), period),
    approvals: z.record(z.string().min(1), approval),
    collectiveDecision: z.strictObject({ quorum: share, passing: share, recusedCountAsExpected: z.boolean() }),
    residentsMeeting: z.strictObject({ quorum: share, passing: share }),
    notice: z.strictObject({ objectionsPause: z.boolean() }),
    scales: z.record(z.string().min(1), scale),
    grades,
    recruitment: recruitmentRulesSchema,
    commendation: commendationRulesSchema,
    exit: exitRulesSchema,
    discipline: disciplineRulesSchema,
    promotionRounds: z.strictObject({ defaultQuota: roundQuota, quotas: z.record(z.string().min(1), roundQuota) }),
    annualAssessment,
    appeal: appealRulesSchema,
    secondment: secondmentRulesSchema,
    provenance: z.record(
      z.string().min(1),
      z.strictObject({ status: z.enum(PROVENANCE_STATUSES), source: z.string().optional(), note: z.string().optional() }),
    ),
  })
  .superRefine((ruleSet, ctx) => {
    for (const [key, entry] of Object.entries(ruleSet.provenance)) {
      if (entry.status !== 'inferred' && !entry.source) {
        ctx.addIssue({ code: 'custom', path: ['provenance', key, 'source'], message: `a ${entry.status} value names its source` });
      }
    }
    // A provenance entry for a value that does not exist is a typo that would hide the real value's status.
    for (const key of Object.keys(ruleSet.provenance)) {
      if (!rulePathExists(ruleSet, key)) {
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
