import { z } from 'zod';
import { POST_TYPES, type PersonnelRecord } from '../personnel';
import { RECRUITMENT_TRACKS, type RuleSet } from '../rules/rule-set';
import { evaluateCommendation } from './commendation';
import { reason, resultOf } from './common';
import { evaluateErrorTolerance } from './error-tolerance';
import { evaluateExit } from './exit';
import { evaluatePromotion } from './promotion';
import { evaluateRecruitment } from './recruitment';
import type { EligibilityResult } from './types';

export * from './types';
export { evaluateCommendation, type CommendationRequest } from './commendation';
export { evaluatePromotion, requiredAssessmentYears, stepClock, type PromotionEligibility, type PromotionProposal, type PromotionRequest, type StepClock } from './promotion';
export { evaluateRecruitment, type RecruitmentRequest } from './recruitment';
export { evaluateExit, type ExitRequest } from './exit';
export { evaluateErrorTolerance, type ErrorToleranceRequest } from './error-tolerance';

export type EligibilityRule = (worker: PersonnelRecord, payload: unknown, rules: RuleSet, asOf: string) => EligibilityResult;

// Only the fields the rules read; the case type's own schema validates the rest of the payload.
const promotionRequest = z.object({ kind: z.enum(['regular', 'early', 'post-change']), newPostType: z.enum(POST_TYPES).optional() });
const recruitmentRequest = z.object({ track: z.enum(RECRUITMENT_TRACKS) });
const commendationRequest = z.record(z.string(), z.unknown());
const exitRequest = z.object({ reason: z.string() });
const errorToleranceRequest = z.object({ incidentDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });

function withPayload<T>(schema: z.ZodType<T>, evaluate: (worker: PersonnelRecord, request: T, rules: RuleSet, asOf: string) => EligibilityResult): EligibilityRule {
  return (worker, payload, rules, asOf) => {
    const parsed = schema.safeParse(payload);
    if (parsed.success) return evaluate(worker, parsed.data, rules, asOf);
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
    return resultOf([
      reason('request.payload', false, `申请内容不完整：${problems.join('；')}`, `The request is incomplete: ${problems.join('; ')}`, { problems }),
    ]);
  };
}

/**
 * Eligibility rules by case type; a case type not listed here has none. No prototype, so a type named
 * "constructor" finds nothing rather than Object's.
 */
export const ELIGIBILITY: Record<string, EligibilityRule> = Object.assign(Object.create(null) as Record<string, EligibilityRule>, {
  promotion: withPayload(promotionRequest, evaluatePromotion),
  recruitment: withPayload(recruitmentRequest, evaluateRecruitment),
  commendation: withPayload(commendationRequest, evaluateCommendation),
  exit: withPayload(exitRequest, evaluateExit),
  'error-tolerance': withPayload(errorToleranceRequest, evaluateErrorTolerance),
});
