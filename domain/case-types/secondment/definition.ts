import { z } from 'zod';
import { calendarDate } from '../../dates';
import type { ProcessDefinition } from '../../process/definition';

/** 借调: a community worker lent to another (usually higher-level) body for a limited time, then back to post. */
export const secondmentPayload = z
  .object({
    borrowingBody: z.string().trim().min(1).max(200).describe('the body that borrows the worker (借调单位)'),
    reason: z.string().trim().min(1).max(2000).describe('why the worker is needed there (urgent or special work)'),
    from: calendarDate.describe('first day of the secondment'),
    to: calendarDate.describe('last day of the secondment; the worker is back at post the day after'),
    extensionOf: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('for an extension: the case id of the secondment it extends (the new term starts the day after it ends)'),
  })
  .refine((p) => p.from <= p.to, {
    error: 'to: the secondment ends on or after its first day',
    path: ['to'],
    params: { key: 'endsBeforeStart' }, // the web UI's fieldError.custom.endsBeforeStart
  });

export const definition = {
  type: 'secondment' as const,
  version: 1,
  title: { zh: '借调', en: 'Secondment' },
  description: {
    zh: '借调须经街道（乡镇）党（工）委同意，报县（区）委社会工作部审批；每次借调和累计借调期限、延期申请时限、再次借调间隔均按规则执行，期满当日回原岗位。',
    en: 'A secondment is agreed by the street party committee and approved by the county social-work department; the length of each secondment and in total, when an extension must be asked for, and the interval before the same worker is seconded again follow the rules; the worker is back at post when it ends.',
  },
  payload: () => secondmentPayload,
  stages: [
    {
      id: 'street-approval',
      title: { zh: '街道党（工）委同意', en: 'The street party committee agrees' },
      actor: 'secondment.street-approval',
      mode: 'any',
      deadline: 'secondment.streetApproval',
      reminders: ['reminder.first'],
      onExpiry: 'escalate',
      recheckEligibility: true,
    },
    {
      id: 'county-approval',
      title: { zh: '县（区）委社会工作部审批', en: 'The county social-work department approves' },
      actor: 'secondment.county-approval',
      mode: 'any',
      deadline: 'secondment.countyApproval',
      reminders: ['reminder.first'],
      onExpiry: 'none',
      recheckEligibility: true,
    },
  ],
} satisfies ProcessDefinition<typeof secondmentPayload>;
