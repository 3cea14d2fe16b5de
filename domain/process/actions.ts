import type { ChainedEvent } from '../history';
import type { ActionRule, ActionRules } from './action-rule';
import { attachFiles, refuseActionFiles } from './attachments';
import { CASE_LEVEL_ACTIONS } from './case-actions';
import { COMMANDS, type CaseCommand, type CommandOf } from './commands';
import { countDelegate, invalid, refuseClosed, refuseDelegate, refuseObserver, refuseRoles, refuseTarget } from './permissions';
import { STAGE_ACTIONS } from './stage-actions';
import { currentStage, type CaseState, type RecordedCaseState, type Refusal } from './state';
import { CASE_ACTIONS, type CaseAction } from './vocabulary';

/** Every action's rule (who may, what content is valid, what it changes), by action. */
const ACTIONS: ActionRules = { ...STAGE_ACTIONS, ...CASE_LEVEL_ACTIONS };

const ruleOf = <A extends CaseAction>(action: A) => ACTIONS[action] as ActionRule<A>;
const isAction = (action: unknown): action is CaseAction => (CASE_ACTIONS as readonly unknown[]).includes(action);

/** Refuses an action for an actor in the current state, regardless of the command's content. */
export function refuseActor(state: RecordedCaseState, action: CaseAction, actorId: string): Refusal | null {
  return refuseClosed(state) ?? refuseObserver(state, actorId) ?? ruleOf(action).who(state, actorId);
}

/** The actions `userId` may take on the case now (content checks aside). */
export function allowedActions(state: RecordedCaseState, userId: string): CaseAction[] {
  return CASE_ACTIONS.filter((action) => refuseActor(state, action, userId) === null);
}

/**
 * The reason a command would be refused, or null when it may be applied: its schema (commands.ts), then who
 * may act now (by the case's state, then by the roles the actor holds now), then whether its content fits the
 * case's state, including whom a transfer or add-approver names. The case workflow's Update validator.
 */
export function checkCommand(state: CaseState, command: CaseCommand): Refusal | null {
  if (!isAction(command.action)) return invalid(`unknown action "${String(command.action)}"`);
  const parsed = COMMANDS[command.action].safeParse(command);
  if (!parsed.success)
    return invalid(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  const data = parsed.data;
  return (
    refuseActor(state, command.action, command.actorId) ??
    refuseDelegate(state, data) ??
    refuseRoles(state, data) ??
    contentRefusal(state, data) ??
    (data.action === 'transfer' ? refuseTarget(state, data.toUserId, data.targetRoles) : null) ??
    (data.action === 'add-approver' ? refuseTarget(state, data.userId, data.targetRoles) : null) ??
    refuseActionFiles(state, data.attachments)
  );
}

function contentRefusal<A extends CaseAction>(state: CaseState, command: CommandOf<A> & { action: A }): Refusal | null {
  return ruleOf(command.action).content?.(state, command) ?? null;
}

/**
 * Applies a command that passed `checkCommand`, as it was sent (a replayed workflow applies exactly what its
 * history holds); returns the events it produced.
 */
export function applyCommand(state: CaseState, command: CaseCommand, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  // Papers sent with an action belong to the stage it was taken at: recorded before the action moves the case.
  if (command.attachments?.length) attachFiles(state, command.actorId, command.attachments, now, out);
  const stage = currentStage(state) ?? null;
  apply(state, command, now, out);
  countDelegate(state, command, stage);
  return out;
}

function apply<A extends CaseAction>(state: CaseState, command: CommandOf<A> & { action: A }, now: Date, out: ChainedEvent[]): void {
  ruleOf(command.action).apply(state, command, now, out);
}
