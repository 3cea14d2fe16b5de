import { inferred, workingDays, type CaseTypeRules } from '../../rules/provenance';

/** Error tolerance's time limits in the Jiangsu rules: none is sourced (docs/policy.md). */
export const errorToleranceRules: CaseTypeRules = {
  periods: {
    'errorTolerance.acceptance': { period: workingDays(5), provenance: inferred('No sourced limit for 容错.') },
    'errorTolerance.verification': {
      period: workingDays(20),
      provenance: inferred('No sourced limit; local rules commonly 15–30 working days.'),
    },
    'errorTolerance.statement': { period: workingDays(5), provenance: inferred('No sourced limit.') },
    'errorTolerance.decision': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'errorTolerance.correction': { period: workingDays(30), provenance: inferred('No sourced limit for the correction (纠错) deadline.') },
  },
  provenance: {},
};
