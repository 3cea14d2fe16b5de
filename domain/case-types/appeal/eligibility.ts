import { z } from 'zod';
import { localDate } from '../../calendar';
import { addDays } from '../../dates';
import { eligibilityRule, reason, resultOf } from '../../eligibility/common';
import type { EligibilityReason, EligibilityResult } from '../../eligibility/types';
import type { PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import { APPEAL_GROUNDS, GROUND_DECISION_KIND, decisionKindTitle, type AppealGround } from './rules';

export interface AppealRequest {
  appealOf: string;
  ground: AppealGround;
}

/**
 * An appeal names a decision on the worker's own records, of the kind its ground says, and is filed within the
 * rule set's period (appeal.filingDays calendar days from the day of the decision, that day not counted).
 */
export function evaluateAppeal(record: PersonnelRecord, request: AppealRequest, rules: RuleSet, asOf: string): EligibilityResult {
  const decision = (record.decisions ?? []).find((d) => d.id === request.appealOf);
  const reasons: EligibilityReason[] = [];
  if (!decision) {
    reasons.push(
      reason(
        'appeal.original',
        false,
        `${record.name}的档案中没有已作出的决定${request.appealOf}`,
        `No decision ${request.appealOf} is on ${record.name}'s records`,
        { appealOf: request.appealOf },
      ),
    );
    return resultOf(reasons);
  }
  const expected = GROUND_DECISION_KIND[request.ground];
  const kindMatches = decision.kind === expected;
  const original = decisionKindTitle(decision.kind);
  const asked = decisionKindTitle(expected);
  reasons.push(
    reason(
      'appeal.ground',
      kindMatches,
      kindMatches ? `原决定为${original.zh}` : `原决定为${original.zh}，与申请复核事项（${asked.zh}）不符`,
      kindMatches
        ? `The original decision: ${original.en}`
        : `The original decision (${original.en}) is not what the appeal names (${asked.en})`,
      { appealOf: decision.id, kind: decision.kind, ground: request.ground },
    ),
  );
  // A decision that set its own period (an assessment's review period) is appealed within it: its last day is the
  // local day before the instant it ends.
  const lastDay = decision.appealUntil
    ? localDate(new Date(Date.parse(decision.appealUntil) - 1))
    : addDays(decision.decidedOn, rules.appeal.filingDays);
  const inTime = asOf <= lastDay;
  reasons.push(
    reason(
      'appeal.filing-period',
      inTime,
      inTime
        ? `原决定于${decision.decidedOn}作出，可在${lastDay}前申请复核`
        : decision.appealUntil
          ? `原决定于${decision.decidedOn}作出，复核申请期限已于${decision.appealUntil}届满`
          : `原决定于${decision.decidedOn}作出，复核申请期限（${rules.appeal.filingDays}日）已于${lastDay}届满`,
      inTime
        ? `Decided on ${decision.decidedOn}; an appeal may be filed until ${lastDay}`
        : decision.appealUntil
          ? `Decided on ${decision.decidedOn}; the period for a review it set ended at ${decision.appealUntil}`
          : `Decided on ${decision.decidedOn}; the ${rules.appeal.filingDays}-day period for an appeal ended on ${lastDay}`,
      decision.appealUntil
        ? { decidedOn: decision.decidedOn, appealUntil: decision.appealUntil, lastDay, asOf }
        : { decidedOn: decision.decidedOn, filingDays: rules.appeal.filingDays, lastDay, asOf },
    ),
  );
  return resultOf(reasons);
}

export const appealEligibility = eligibilityRule(z.object({ appealOf: z.string(), ground: z.enum(APPEAL_GROUNDS) }), evaluateAppeal);
