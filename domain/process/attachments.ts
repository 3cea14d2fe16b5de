import { z } from 'zod';
import { attachmentRef, type AttachmentRef } from '../attachments';
import type { ChainedEvent } from '../history';
import { emit } from './events';
import { conflict, forbidden, invalid, isSubject, participants, refuseClosed } from './permissions';
import type { AttachedFile, CaseState, RecordedCaseState, Refusal } from './state';

/**
 * Attachments in the engine: each file enters the case's hash chain as an `attachment_added` event (its id,
 * name, type, size, SHA-256 and kind, the stage and who attached it), and leaves it as `attachment_removed`.
 * Files come with the submission (CaseInput.attachments), with an action (its command's `attachments`), or on
 * their own through the case workflow's attachments Update (the commands below). Only references: the bytes
 * stay in the attachment store, and the API stores them before it asks the workflow to record them.
 */

const actorId = z.string().min(1);

/** The attachments Update's message: add files to the case, or remove one. */
export const attachmentCommand = z.discriminatedUnion('op', [
  z.object({
    op: z.literal('add'),
    actorId,
    /** The stage the files belong to: the current one (the default); a closed stage takes no more papers. */
    stage: z.string().min(1).nullable().optional(),
    files: z.array(attachmentRef).min(1).max(20),
  }),
  z.object({ op: z.literal('remove'), actorId, attachmentId: z.string().min(1), comment: z.string().trim().max(4000).optional() }),
]);
export type AttachmentCommand = z.output<typeof attachmentCommand>;

/** The stage files attached now belong to: the open stage, else the stage whose public notice runs. */
export function attachmentStage(state: RecordedCaseState): string | null {
  return state.current?.stageId ?? state.notice?.afterStage ?? null;
}

/** Who may attach files on their own: anyone taking part in the case (not its subject) while it is open. */
export function refuseAttacher(state: RecordedCaseState, actor: string): Refusal | null {
  const closed = refuseClosed(state);
  if (closed) return closed;
  if (isSubject(state, actor)) return forbidden('the subject of a case cannot add papers to it (回避)');
  return participants(state).has(actor) ? null : forbidden('only participants of the case can attach files to it');
}

function duplicate(state: RecordedCaseState, files: AttachmentRef[]): Refusal | null {
  const ids = files.map((f) => f.id);
  if (new Set(ids).size !== ids.length) return invalid('the same file is attached twice');
  const known = ids.find((id) => state.attachments?.some((a) => a.id === id));
  return known ? conflict(`file "${known}" is already attached to the case`) : null;
}

/** Files sent with an action: none attached before (the action's own rule decides who may act). */
export const refuseActionFiles = (state: RecordedCaseState, files: AttachmentRef[] | undefined): Refusal | null =>
  files?.length ? duplicate(state, files) : null;

/** Why the attachments Update would be refused, or null: its schema, then who may, then what it names. */
export function checkAttachmentCommand(state: CaseState, command: AttachmentCommand): Refusal | null {
  const parsed = attachmentCommand.safeParse(command);
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const c = parsed.data;
  const who = refuseAttacher(state, c.actorId);
  if (who) return who;
  if (c.op === 'add') {
    const here = attachmentStage(state);
    if (c.stage && c.stage !== here) return conflict(`stage "${c.stage}" is not the case's current stage; it takes no more papers`);
    return duplicate(state, c.files);
  }
  const file = state.attachments?.find((a) => a.id === c.attachmentId && !a.removed);
  if (!file) return invalid(`no attachment "${c.attachmentId}" on this case`);
  if (file.by !== c.actorId) return forbidden('only the person who attached a file can remove it');
  if (!state.current || state.current.stageId !== file.stage || (state.stageEntries ?? 0) !== file.entry) {
    return conflict('the stage the file was attached at has closed; the file stays on record');
  }
  return null;
}

/** Records files on the case at its current stage (the submission, an action, or the Update). */
export function attachFiles(state: CaseState, actor: string, files: AttachmentRef[], now: Date, out: ChainedEvent[]): void {
  const stage = attachmentStage(state);
  state.attachments ??= [];
  for (const f of files) {
    const file: AttachedFile = { id: f.id, by: actor, stage, entry: state.stageEntries ?? 0, removed: false };
    state.attachments.push(file);
    emit(state, now, out, 'attachment_added', {
      actorId: actor,
      stage,
      data: { attachmentId: f.id, name: f.name, mediaType: f.mediaType, size: f.size, sha256: f.sha256, kind: f.kind },
    });
  }
}

/** Applies an attachments command that passed checkAttachmentCommand; returns its events. */
export function applyAttachmentCommand(state: CaseState, command: AttachmentCommand, now: Date): ChainedEvent[] {
  const out: ChainedEvent[] = [];
  if (command.op === 'add') {
    attachFiles(state, command.actorId, command.files, now, out);
  } else {
    const file = state.attachments?.find((a) => a.id === command.attachmentId) as AttachedFile;
    file.removed = true;
    emit(state, now, out, 'attachment_removed', {
      actorId: command.actorId,
      stage: file.stage,
      comment: command.comment ?? null,
      data: { attachmentId: file.id },
    });
  }
  return out;
}
