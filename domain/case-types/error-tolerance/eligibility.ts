import { z } from 'zod';
import { calendarDate } from '../../dates';
import type { PersonnelRecord } from '../../personnel';
import type { RuleSet } from '../../rules/rule-set';
import { eligibilityRule, reason, resultOf } from '../../eligibility/common';
import type { EligibilityResult } from '../../eligibility/types';

export interface ErrorToleranceRequest {
  incidentDate: string;
}

/** An application for an error-tolerance ruling concerns a mistake that has already happened. */
export function evaluateErrorTolerance(
  _worker: PersonnelRecord,
  request: ErrorToleranceRequest,
  _rules: RuleSet,
  asOf: string,
): EligibilityResult {
  const past = request.incidentDate <= asOf;
  return resultOf([
    reason(
      'error-tolerance.incident-date',
      past,
      past ? `失误发生于${request.incidentDate}` : `失误日期${request.incidentDate}晚于${asOf}`,
      past ? `The mistake happened on ${request.incidentDate}` : `The incident date ${request.incidentDate} is after ${asOf}`,
      { incidentDate: request.incidentDate, asOf },
    ),
  ]);
}

export const errorToleranceEligibility = eligibilityRule(z.object({ incidentDate: calendarDate }), evaluateErrorTolerance);
