import { z } from 'zod';
import { analogue, inferred, workingDays, type CaseTypeRules } from '../../rules/provenance';
import { SRC } from '../../rules/sources';

/** The limits on lending a community worker to another body (借调管理). */
export interface SecondmentRules {
  /** The longest single secondment or extension, in months. */
  maxMonthsAtATime: number;
  /** An extension is asked for at least this many working days before the current secondment ends. */
  extensionNoticeWorkingDays: number;
  /** A secondment with all its extensions lasts at most this many months. */
  maxMonthsInTotal: number;
  /** After a secondment ends, the same worker is not seconded again for this many months. */
  coolingOffMonths: number;
  /** The borrowing body and the street are reminded this many working days before a secondment ends. */
  reminderWorkingDays: number;
}

const months = z.int().min(1).max(120);
export const secondmentRulesSchema = z.strictObject({
  maxMonthsAtATime: months,
  extensionNoticeWorkingDays: z.int().min(0).max(60),
  maxMonthsInTotal: months,
  coolingOffMonths: z.int().min(0).max(120),
  reminderWorkingDays: z.int().min(1).max(60),
});

/** Secondment's values in the Jiangsu rules (docs/policy.md): a provincial rule on 借调 by party and government bodies. */
export const secondmentRules: CaseTypeRules<{ secondment: SecondmentRules }> = {
  periods: {
    'secondment.streetApproval': { period: workingDays(5), provenance: inferred('No sourced limit for the street’s approval.') },
    'secondment.countyApproval': { period: workingDays(5), provenance: inferred('No sourced limit for the county’s approval.') },
  },
  approvals: {
    'secondment.street-approval': {
      approval: { level: 'street', department: 'party_committee' },
      provenance: inferred('The street party committee, which manages community workers day to day, agrees to lend one.'),
    },
    'secondment.county-approval': {
      approval: { level: 'county', department: 'social_work' },
      provenance: analogue(
        SRC.provincialSecondment,
        '借调 only with approval; beyond the limits the higher-level 组织人事 department decides. The county social-work department, which leads community-worker affairs, approves (an [I] reading for community workers).',
      ),
    },
  },
  secondment: {
    maxMonthsAtATime: 6,
    extensionNoticeWorkingDays: 10,
    maxMonthsInTotal: 12,
    coolingOffMonths: 24,
    reminderWorkingDays: 10,
  },
  provenance: {
    'secondment.maxMonthsAtATime': analogue(SRC.provincialSecondment, '借调 ≤ 6 months at a time.'),
    'secondment.extensionNoticeWorkingDays': analogue(SRC.provincialSecondment, 'An extension is filed 10 working days before expiry.'),
    'secondment.maxMonthsInTotal': analogue(
      SRC.provincialSecondment,
      'Cumulative ≤ 1 year (beyond it only with the higher-level 组织人事 department).',
    ),
    'secondment.coolingOffMonths': analogue(SRC.provincialSecondment, 'No re-secondment of the same person within 2 years.'),
    'secondment.reminderWorkingDays': inferred('Reminded as early as an extension must be asked for.'),
  },
};
