import { inferred, sourced, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { SRC } from '../../rules/sources';

/** Name clearing's time limits in the Jiangsu rules, with their sources (docs/policy.md). */
export const nameClearingRules: CaseTypeRules = {
  periods: {
    'nameClearing.assessment': { period: workingDays(5), provenance: sourced(SRC.jilinClearing, 'Routine steps ≤5 working days.') },
    'nameClearing.approval': {
      period: workingDays(10),
      provenance: sourced(SRC.jilinClearing, 'Steps needing inter-department coordination ≤10 working days.'),
    },
    'nameClearing.implementation': {
      period: workingDays(15),
      provenance: sourced(SRC.hunanClearing, 'Implement within 15 working days after approval.'),
    },
    'nameClearing.returnVisitDelay': {
      period: { days: 30 },
      provenance: inferred('No sourced 回访 delay; common practice 1–3 months after clearance.'),
    },
    'nameClearing.returnVisit': { period: workingDays(10), provenance: inferred('No sourced limit.') },
  },
  provenance: {},
};
