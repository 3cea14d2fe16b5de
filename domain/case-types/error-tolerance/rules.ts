import { analogue, inferred, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { SRC } from '../../rules/sources';

/** Error tolerance's values in the Jiangsu rules (docs/policy.md): no time limit is sourced. */
export const errorToleranceRules: CaseTypeRules = {
  periods: {
    'errorTolerance.acceptance': { period: workingDays(5), provenance: inferred('No sourced limit for 容错.') },
    'errorTolerance.verification': {
      period: workingDays(20),
      provenance: inferred('No sourced limit; local rules commonly 15–30 working days.'),
    },
    'errorTolerance.statement': { period: workingDays(5), provenance: inferred('No sourced limit.') },
    'errorTolerance.decision': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'errorTolerance.reply': { period: workingDays(5), provenance: inferred('No sourced limit for the written reply.') },
    'errorTolerance.copyToHr': { period: workingDays(5), provenance: inferred('No sourced limit for the letter to 组织人事.') },
    'errorTolerance.filing': { period: workingDays(10), provenance: inferred('No sourced limit for 报备.') },
    'errorTolerance.correction': { period: workingDays(30), provenance: inferred('No sourced limit for the correction (纠错) deadline.') },
  },
  approvals: {
    'error-tolerance.acceptance': {
      approval: { level: 'street', department: 'discipline', escalateTo: { level: 'county', department: 'discipline' } },
      provenance: analogue(SRC.changning, 'The application goes in writing to the 纪检监察机关 (受理).'),
    },
    'error-tolerance.verification': {
      approval: { level: 'street', department: 'discipline' },
      provenance: analogue(SRC.changning, '核实: the case-hearing office and other departments verify the facts.'),
    },
    'error-tolerance.statement': {
      approval: { level: 'street', department: 'discipline' },
      provenance: inferred('The worker is heard by the verifying body.'),
    },
    'error-tolerance.collective-decision': {
      approval: { level: 'county', department: 'discipline' },
      provenance: analogue(
        SRC.changning,
        'The county 纪委常委会 decides (认定); Nanyang: 党委(党组), 纪检监察机关 or 组织部门 by case ownership.',
      ),
    },
    'error-tolerance.reply': {
      approval: { level: 'county', department: 'discipline' },
      provenance: analogue(SRC.changning, 'The result is fed back in writing to the applicant.'),
    },
    'error-tolerance.copy-to-hr': {
      approval: { level: 'county', department: 'organisation_hr' },
      provenance: analogue(SRC.changning, 'The result is sent by letter to the same-level 组织人事部门.'),
    },
    'error-tolerance.filing': {
      approval: { level: 'county', department: 'discipline' },
      provenance: analogue(SRC.changning, '报备: the result is filed with the same-level 党委/政府.'),
    },
    'error-tolerance.correction': {
      approval: { level: 'street', department: 'discipline' },
      provenance: analogue(SRC.toleranceConditions, 'A correction order (督促整改纠错) is verified where the worker serves.'),
    },
  },
  provenance: {},
};
