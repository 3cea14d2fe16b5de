import { z } from 'zod';
import { attachmentIds, attachmentRef } from '../attachments';
import { calendarDate } from '../dates';
import { safeJson, safeText } from '../input';
import { builtOnFirstUse, once } from '../lazy';
import { DEPARTMENT_TYPES, ORG_LEVELS, ROLES, type DepartmentType, type Role } from '../org';
import { ADD_POSITIONS, OBJECTION_CHANNELS, OBJECTION_RESOLUTIONS, UPHELD_EFFECTS, VOTE_CHOICES, type CaseAction } from './vocabulary';

/**
 * The message of every action, declared once: what a client sends for it (ACTION_BODIES, the body of
 * POST /cases/:id/actions and its OpenAPI schema), and the command the case workflow receives (the body with
 * the acting user, whom the API takes from the verified token). The workflow's Update validator parses the
 * command with these schemas before the engine's checks; the web's action form is typed from them.
 * zod only, so the workflow bundle and the web's type checker can read this module. Every string and JSON value
 * is checked as domain/input.ts says (no NUL, no lone surrogate, bounded depth), so a workflow refuses what
 * PostgreSQL could not store even when a client reaches it without the API.
 * Each action's schemas are built the first time they are read (domain/lazy.ts): the worker evaluates this
 * module for every case it loads, and an Update needs the one schema of its action.
 */

const text = safeText().trim().max(4000);
const optionalComment = text.optional();
/** A comment the action cannot do without; the message says why it is needed. */
const needed = (why: string) => text.min(1, why);
const stageData = z.record(safeText(), safeJson()).describe("data recorded at the stage (see the stage's dataSchema in GET /case-types)");
const userId = safeText().min(1).max(100);
// The domain's own date check: z.iso.date() refused valid dates in the workflow's Update validator.
const date = calendarDate;

/** One member of the committee at the meeting: present with their vote, or absent or recused with the reason (one variant per ATTENDANCE). */
const memberAtMeeting = once(() =>
  z.discriminatedUnion('attendance', [
    z.object({ userId, attendance: z.literal('present'), vote: z.enum(VOTE_CHOICES) }),
    z.object({ userId, attendance: z.literal('absent'), reason: needed('an absence needs its reason') }),
    z.object({ userId, attendance: z.literal('recused'), reason: needed('a recusal (回避) needs its reason') }),
  ]),
);
/**
 * Files sent with an action: the client names its pending uploads by id; the API replaces them with their
 * references (name, type, size, SHA-256, kind) before the command reaches the workflow (COMMANDS below).
 */
const files = { attachments: attachmentIds.optional() };

export const ACTION_BODIES = builtOnFirstUse({
  approve: () => z.object({ action: z.literal('approve'), ...files, comment: optionalComment, data: stageData.optional() }),
  reject: () => z.object({ action: z.literal('reject'), ...files, comment: needed('a rejection needs a comment giving the reason') }),
  return: () =>
    z.object({
      action: z.literal('return'),
      ...files,
      comment: needed('a return needs a comment saying what to amend'),
      to: safeText().min(1).max(100).describe('"applicant", or the id of an earlier stage to decide again'),
    }),
  resubmit: () =>
    z.object({
      action: z.literal('resubmit'),
      ...files,
      payload: z.record(safeText(), safeJson(), { error: 'resubmit needs the amended payload object' }),
      comment: optionalComment,
    }),
  withdraw: () => z.object({ action: z.literal('withdraw'), comment: optionalComment }),
  transfer: () => z.object({ action: z.literal('transfer'), toUserId: userId, comment: optionalComment }),
  'add-approver': () => z.object({ action: z.literal('add-approver'), userId, position: z.enum(ADD_POSITIONS), comment: optionalComment }),
  vote: () => z.object({ action: z.literal('vote'), ...files, choice: z.enum(VOTE_CHOICES), comment: optionalComment }),
  'close-vote': () =>
    z.object({
      action: z.literal('close-vote'),
      ...files,
      minutes: needed('closing a vote needs the minutes (会议纪要)'),
      data: stageData.optional(),
    }),
  'record-meeting': () =>
    z.object({
      action: z.literal('record-meeting'),
      ...files,
      meetingDate: date.describe('the date of the meeting'),
      members: z
        .array(memberAtMeeting())
        .min(1)
        .describe(
          'every member who should attend (应到): present with their vote (同意/不同意/弃权), or absent or recused with the reason',
        ),
      minutes: needed('a meeting record needs its minutes (会议纪要)'),
      resolution: needed('a meeting record needs its resolution (决定事项)'),
      data: stageData.optional(),
    }),
  comment: () => z.object({ action: z.literal('comment'), ...files, comment: needed('a comment cannot be empty') }),
  remind: () => z.object({ action: z.literal('remind'), comment: optionalComment }),
  object: () =>
    z.object({
      action: z.literal('object'),
      ...files,
      comment: needed('an objection needs its content'),
      channel: z
        .enum(OBJECTION_CHANNELS)
        .optional()
        .describe('how the objection reached you: phone, letter, in-person (recorded by staff), online (your own; the default)'),
    }),
  'resolve-objection': () =>
    z.object({
      action: z.literal('resolve-objection'),
      ...files,
      objectionId: safeText().min(1).max(100),
      resolution: z.enum(OBJECTION_RESOLUTIONS),
      effect: z.enum(UPHELD_EFFECTS).optional().describe('for an upheld objection: decide the case again (reconsider), or reject it'),
      comment: needed('a ruling on an objection needs a comment'),
    }),
} satisfies { [A in CaseAction]: () => z.ZodObject<{ action: z.ZodLiteral<A> }> });

/** A role someone holds as the staff directory has it now (domain/access.ts RoleGrant). */
const roleGrants = once(() =>
  z
    .array(
      z.object({
        role: z.enum(Object.keys(ROLES) as [Role, ...Role[]]),
        orgUnitId: safeText().min(1).max(100),
        orgPath: safeText().min(1).max(1000),
        orgLevel: z.enum(ORG_LEVELS),
        departmentType: z.enum(Object.keys(DEPARTMENT_TYPES) as [DepartmentType, ...DepartmentType[]]).nullable(),
      }),
    )
    .max(100),
);

/**
 * Who acts, and (from the API, which reads them from the staff directory with every request) the roles they hold
 * now: the engine then refuses someone whose role was taken away since the stage was assigned to them
 * (permissions.ts, refuseRoles). Commands without roles (tools, tests, Updates recorded before) skip that check.
 */
const actor = once(() => ({
  actorId: safeText().min(1),
  actorRoles: roleGrants().optional(),
  // The files as references (the body names them by id).
  attachments: z.array(attachmentRef).max(20).optional(),
  /**
   * 委托: who took the action on the actor's behalf (the API checked that the actor's delegation to them holds
   * today). The actor stays the one whose duty it is; the events record the delegate beside them.
   */
  delegate: z.object({ userId, name: safeText().min(1).max(200) }).optional(),
}));
/** The roles the user a transfer or add-approver names holds now: they must be able to decide the stage. */
const target = once(() => ({ targetRoles: roleGrants().optional() }));

/** The command of each action: its body and who acts. */
export const COMMANDS = builtOnFirstUse({
  approve: () => ACTION_BODIES.approve.extend(actor()),
  reject: () => ACTION_BODIES.reject.extend(actor()),
  return: () => ACTION_BODIES.return.extend(actor()),
  resubmit: () => ACTION_BODIES.resubmit.extend(actor()),
  withdraw: () => ACTION_BODIES.withdraw.extend(actor()),
  transfer: () => ACTION_BODIES.transfer.extend(actor()).extend(target()),
  'add-approver': () => ACTION_BODIES['add-approver'].extend(actor()).extend(target()),
  vote: () => ACTION_BODIES.vote.extend(actor()),
  'close-vote': () => ACTION_BODIES['close-vote'].extend(actor()),
  'record-meeting': () => ACTION_BODIES['record-meeting'].extend(actor()),
  comment: () => ACTION_BODIES.comment.extend(actor()),
  remind: () => ACTION_BODIES.remind.extend(actor()),
  // A public objection names the resident's record in PostgreSQL (their name and telephone stay there).
  object: () => ACTION_BODIES.object.extend({ ...actor(), reference: z.string().min(1).max(100).optional() }),
  'resolve-objection': () => ACTION_BODIES['resolve-objection'].extend(actor()),
} satisfies { [A in CaseAction]: () => z.ZodObject });

/** An approver's or applicant's action on a running case: the case workflow's Update input. */
export type CaseCommand = { [A in CaseAction]: z.output<(typeof COMMANDS)[A]> }[CaseAction];
export type CommandOf<A extends CaseAction> = z.output<(typeof COMMANDS)[A]>;

/**
 * The body of POST /cases/:id/actions: the bodies above, one variant per action in the order of CASE_ACTIONS;
 * a return goes to the applicant unless it names a stage.
 */
export const actionBody = once(() =>
  z.discriminatedUnion('action', [
    ACTION_BODIES.approve,
    ACTION_BODIES.reject,
    ACTION_BODIES.return.extend({ to: ACTION_BODIES.return.shape.to.default('applicant') }),
    ACTION_BODIES.resubmit,
    ACTION_BODIES.withdraw,
    ACTION_BODIES.transfer,
    ACTION_BODIES['add-approver'],
    ACTION_BODIES.vote,
    ACTION_BODIES['close-vote'],
    ACTION_BODIES['record-meeting'],
    ACTION_BODIES.comment,
    ACTION_BODIES.remind,
    ACTION_BODIES.object,
    ACTION_BODIES['resolve-objection'],
  ]),
);
/** What a client sends for an action (the web's action form builds these). */
export type ActionBody = z.input<ReturnType<typeof actionBody>>;
