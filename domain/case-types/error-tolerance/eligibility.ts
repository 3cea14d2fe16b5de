import { z } from 'zod';
import { calendarDate } from '../../dates';
import type { PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import { eligibilityRule, reason, resultOf } from '../../eligibility/common';
import type { EligibilityReason, EligibilityResult } from '../../eligibility/types';

export interface ErrorToleranceRequest {
  incidentDate: string;
  accountabilityStartedOn?: string;
  accountabilityDecidedOn?: string;
}

/**
 * An application for an error-tolerance ruling concerns a mistake that has already happened, and is made in its
 * time: after the accountability proceedings start and before their decision (申请 after 问责程序启动, 作出问责决定前).
 * Applications of the first version of the case type carry no accountability dates; for them only the incident
 * date is checked.
 */
export function evaluateErrorTolerance(
  _worker: PersonnelRecord,
  request: ErrorToleranceRequest,
  _rules: RuleSet,
  asOf: string,
): EligibilityResult {
  const past = request.incidentDate <= asOf;
  const reasons: EligibilityReason[] = [
    reason(
      'error-tolerance.incident-date',
      past,
      past ? `失误发生于${request.incidentDate}` : `失误日期${request.incidentDate}晚于${asOf}`,
      past ? `The mistake happened on ${request.incidentDate}` : `The incident date ${request.incidentDate} is after ${asOf}`,
      { incidentDate: request.incidentDate, asOf },
    ),
  ];
  const started = request.accountabilityStartedOn;
  if (started !== undefined) {
    const decided = request.accountabilityDecidedOn ?? null;
    const afterStart = started <= asOf;
    const beforeDecision = decided === null || decided > asOf;
    const inTime = afterStart && beforeDecision;
    reasons.push(
      reason(
        'error-tolerance.timing',
        inTime,
        !afterStart
          ? `问责程序${started}方启动，须在启动后申请`
          : !beforeDecision
            ? `问责决定已于${decided}作出，须在作出决定前申请`
            : `问责程序于${started}启动，尚未作出问责决定`,
        !afterStart
          ? `The accountability proceedings start on ${started}; apply after they start`
          : !beforeDecision
            ? `The accountability decision was made on ${decided}; apply before it`
            : `Accountability proceedings started on ${started} and are not yet decided`,
        { accountabilityStartedOn: started, accountabilityDecidedOn: decided, asOf },
      ),
    );
  }
  return resultOf(reasons);
}

export const errorToleranceEligibility = eligibilityRule(
  z.object({
    incidentDate: calendarDate,
    accountabilityStartedOn: calendarDate.optional(),
    accountabilityDecidedOn: calendarDate.optional(),
  }),
  evaluateErrorTolerance,
);
