import type { Approval } from '../../org';
import {
  analogue,
  inferred,
  sourced,
  workingDays,
  type CaseTypeRules,
  type Provenance,
  type SourcedApproval,
} from '../../rules/provenance';
import { SRC } from '../../rules/sources';

/**
 * 谁核实谁澄清: the body that verified the complaint handles the clearance (承办部门) and its leadership approves it,
 * by cadre-management authority. These are the bodies that verify complaints about community workers.
 */
export const VERIFYING_BODIES = ['street-discipline', 'county-discipline', 'county-organisation'] as const;
export type VerifyingBody = (typeof VERIFYING_BODIES)[number];

const BODIES: Record<VerifyingBody, Approval> = {
  'street-discipline': { level: 'street', department: 'discipline' },
  'county-discipline': { level: 'county', department: 'discipline' },
  'county-organisation': { level: 'county', department: 'organisation_hr' },
};

const handler = sourced(
  SRC.ccdiClearing,
  '分级负责、谁核实谁澄清: the office that handled the complaint (承办部门) carries the clearance out.',
);
const approver = sourced(SRC.ccdiClearing, 'The clearance is approved (审批手续) by the leadership of the body that verified it.');
const entries = (stage: string, provenance: Provenance): Record<string, SourcedApproval> =>
  Object.fromEntries(VERIFYING_BODIES.map((body) => [`name-clearing.${stage}.${body}`, { approval: BODIES[body], provenance }]));

/** Name clearing's values in the Jiangsu rules, with their sources (docs/policy.md). */
export const nameClearingRules: CaseTypeRules = {
  periods: {
    'nameClearing.assessment': { period: workingDays(5), provenance: analogue(SRC.jilinClearing, 'Routine steps ≤5 working days.') },
    'nameClearing.wishes': { period: workingDays(5), provenance: analogue(SRC.jilinClearing, 'Routine steps ≤5 working days.') },
    'nameClearing.approval': {
      period: workingDays(10),
      provenance: analogue(SRC.jilinClearing, 'Steps needing inter-department coordination ≤10 working days.'),
    },
    'nameClearing.implementation': {
      period: workingDays(15),
      provenance: analogue(SRC.hunanClearing, 'Implement within 15 working days after approval.'),
    },
    'nameClearing.referral': { period: workingDays(5), provenance: analogue(SRC.jilinClearing, 'Routine steps ≤5 working days.') },
    'nameClearing.returnVisitDelay': {
      period: { days: 30 },
      provenance: inferred('No sourced 回访 delay; common practice 1–3 months after clearance.'),
    },
    'nameClearing.returnVisit': { period: workingDays(10), provenance: inferred('No sourced limit.') },
    'nameClearing.archive': { period: workingDays(5), provenance: inferred('No sourced limit; Hunan’s procedure ends with 归档.') },
  },
  approvals: { ...entries('handler', handler), ...entries('approval', approver) },
  provenance: {},
};
