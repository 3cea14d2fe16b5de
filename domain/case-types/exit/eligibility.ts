import { z } from 'zod';
import { detectExitTriggers } from '../../exit';
import type { PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import { eligibilityRule, reason, resultOf, statusReason } from '../../eligibility/common';
import type { EligibilityReason, EligibilityResult } from '../../eligibility/types';

export interface ExitRequest {
  reason: string;
}

/**
 * An exit case must name one of the rule set's exit situations. Where the records alone can show the
 * situation (an assessment run, an overdue certificate), they must show it; the other situations (失职,
 * 违纪违法, ...) rest on facts the street review establishes.
 */
export function evaluateExit(worker: PersonnelRecord, request: ExitRequest, rules: RuleSet, asOf: string): EligibilityResult {
  const known = rules.exit.reasons.find((r) => r.code === request.reason);
  const reasons: EligibilityReason[] = [
    statusReason('exit.status', worker),
    reason(
      'exit.reason-known',
      known !== undefined,
      known ? `退出情形：${known.title.zh}` : `“${request.reason}”不是规则集中的退出情形`,
      known ? `Exit situation: ${known.title.en}` : `"${request.reason}" is not an exit situation of the rule set`,
      { reason: request.reason, known: rules.exit.reasons.map((r) => r.code) },
    ),
  ];
  if (worker.employmentType === 'elected') {
    // 免职 and 罢免 are decided by different bodies, so the exit needs to know which posts end.
    const hasPosts = worker.partyPost !== null || worker.residentsCommitteePost !== null;
    reasons.push(
      reason(
        'exit.elected-posts',
        hasPosts,
        hasPosts ? '两委职务已登记' : '两委成员未登记党组织职务或居民委员会职务，须先登记（免职、罢免由不同机关办理）',
        hasPosts
          ? 'The elected posts are on record'
          : 'An elected member with no party or residents’ committee post on record: record the posts first (removal and recall are decided by different bodies)',
        { partyPost: worker.partyPost, residentsCommitteePost: worker.residentsCommitteePost },
      ),
    );
  }
  const shownByRecords =
    rules.exit.assessmentTriggers.some((t) => t.reasonCode === request.reason) || rules.exit.qualification.reasonCode === request.reason;
  if (known && shownByRecords) {
    const trigger = detectExitTriggers(worker, rules, asOf).find((t) => t.reasonCode === request.reason);
    reasons.push(
      reason(
        'exit.records-show-situation',
        trigger !== undefined,
        trigger ? `档案显示：${trigger.detail.zh}` : `截至${asOf}，档案未显示该情形`,
        trigger ? `The records show it: ${trigger.detail.en}` : `As of ${asOf} the records do not show this situation`,
        trigger ? { ...trigger.data, asOf } : { asOf },
      ),
    );
  }
  return resultOf(reasons);
}

export const exitEligibility = eligibilityRule(z.object({ reason: z.string() }), evaluateExit);
