import { z } from 'zod';
import { attachmentIds, attachmentRef } from '../attachments';
import { ADD_POSITIONS, OBJECTION_CHANNELS, OBJECTION_RESOLUTIONS, UPHELD_EFFECTS, VOTE_CHOICES, type CaseAction } from './vocabulary';

/**
 * The message of every action, declared once: what a client sends for it (ACTION_BODIES, the body of
 * POST /cases/:id/actions and its OpenAPI schema), and the command the case workflow receives (the body with
 * the acting user, whom the API takes from the verified token). The workflow's Update validator parses the
 * command with these schemas before the engine's checks; the web's action form is typed from them.
 * zod only, so the workflow bundle and the web's type checker can read this module.
 */

const text = z.string().trim().max(4000);
const optionalComment = text.optional();
/** A comment the action cannot do without; the message says why it is needed. */
const needed = (why: string) => text.min(1, why);
const stageData = z.record(z.string(), z.json()).describe("data recorded at the stage (see the stage's dataSchema in GET /case-types)");
const userId = z.string().min(1);
/**
 * Files sent with an action: the client names its pending uploads by id; the API replaces them with their
 * references (name, type, size, SHA-256, kind) before the command reaches the workflow (COMMANDS below).
 */
const files = { attachments: attachmentIds.optional() };

export const ACTION_BODIES = {
  approve: z.object({ action: z.literal('approve'), ...files, comment: optionalComment, data: stageData.optional() }),
  reject: z.object({ action: z.literal('reject'), ...files, comment: needed('a rejection needs a comment giving the reason') }),
  return: z.object({
    action: z.literal('return'),
    ...files,
    comment: needed('a return needs a comment saying what to amend'),
    to: z.string().min(1).describe('"applicant", or the id of an earlier stage to decide again'),
  }),
  resubmit: z.object({
    action: z.literal('resubmit'),
    ...files,
    payload: z.record(z.string(), z.json(), { error: 'resubmit needs the amended payload object' }),
    comment: optionalComment,
  }),
  withdraw: z.object({ action: z.literal('withdraw'), comment: optionalComment }),
  transfer: z.object({ action: z.literal('transfer'), toUserId: userId, comment: optionalComment }),
  'add-approver': z.object({ action: z.literal('add-approver'), userId, position: z.enum(ADD_POSITIONS), comment: optionalComment }),
  vote: z.object({ action: z.literal('vote'), ...files, choice: z.enum(VOTE_CHOICES), comment: optionalComment }),
  'close-vote': z.object({
    action: z.literal('close-vote'),
    ...files,
    minutes: needed('closing a vote needs the minutes (会议纪要)'),
    data: stageData.optional(),
  }),
  comment: z.object({ action: z.literal('comment'), ...files, comment: needed('a comment cannot be empty') }),
  remind: z.object({ action: z.literal('remind'), comment: optionalComment }),
  object: z.object({
    action: z.literal('object'),
    ...files,
    comment: needed('an objection needs its content'),
    channel: z
      .enum(OBJECTION_CHANNELS)
      .optional()
      .describe('how the objection reached you: phone, letter, in-person (recorded by staff), online (your own; the default)'),
  }),
  'resolve-objection': z.object({
    action: z.literal('resolve-objection'),
    ...files,
    objectionId: z.string().min(1),
    resolution: z.enum(OBJECTION_RESOLUTIONS),
    effect: z.enum(UPHELD_EFFECTS).optional().describe('for an upheld objection: decide the case again (reconsider), or reject it'),
    comment: needed('a ruling on an objection needs a comment'),
  }),
} satisfies { [A in CaseAction]: z.ZodObject<{ action: z.ZodLiteral<A> }> };

/** What the workflow receives besides a body: who acts (from the token), and the files as references. */
const actor = { actorId: z.string().min(1), attachments: z.array(attachmentRef).max(20).optional() };

/** The command of each action: its body and who acts. */
export const COMMANDS = {
  approve: ACTION_BODIES.approve.extend(actor),
  reject: ACTION_BODIES.reject.extend(actor),
  return: ACTION_BODIES.return.extend(actor),
  resubmit: ACTION_BODIES.resubmit.extend(actor),
  withdraw: ACTION_BODIES.withdraw.extend(actor),
  transfer: ACTION_BODIES.transfer.extend(actor),
  'add-approver': ACTION_BODIES['add-approver'].extend(actor),
  vote: ACTION_BODIES.vote.extend(actor),
  'close-vote': ACTION_BODIES['close-vote'].extend(actor),
  comment: ACTION_BODIES.comment.extend(actor),
  remind: ACTION_BODIES.remind.extend(actor),
  // A public objection names the resident's record in PostgreSQL (their name and telephone stay there).
  object: ACTION_BODIES.object.extend({ ...actor, reference: z.string().min(1).max(100).optional() }),
  'resolve-objection': ACTION_BODIES['resolve-objection'].extend(actor),
} satisfies { [A in CaseAction]: z.ZodObject };

/** An approver's or applicant's action on a running case: the case workflow's Update input. */
export type CaseCommand = { [A in CaseAction]: z.output<(typeof COMMANDS)[A]> }[CaseAction];
export type CommandOf<A extends CaseAction> = z.output<(typeof COMMANDS)[A]>;

/**
 * The body of POST /cases/:id/actions: the bodies above, one variant per action in the order of CASE_ACTIONS;
 * a return goes to the applicant unless it names a stage.
 */
export const actionBody = z.discriminatedUnion('action', [
  ACTION_BODIES.approve,
  ACTION_BODIES.reject,
  ACTION_BODIES.return.extend({ to: ACTION_BODIES.return.shape.to.default('applicant') }),
  ACTION_BODIES.resubmit,
  ACTION_BODIES.withdraw,
  ACTION_BODIES.transfer,
  ACTION_BODIES['add-approver'],
  ACTION_BODIES.vote,
  ACTION_BODIES['close-vote'],
  ACTION_BODIES.comment,
  ACTION_BODIES.remind,
  ACTION_BODIES.object,
  ACTION_BODIES['resolve-objection'],
]);
/** What a client sends for an action (the web's action form builds these). */
export type ActionBody = z.input<typeof actionBody>;
