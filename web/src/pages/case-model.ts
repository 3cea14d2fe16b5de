import type { useI18n } from '../i18n';
import type { CaseEvent, CaseType, CaseView, Dossier } from '../types';

/** Where each stage of a case stands, derived from the case, its plan (the dossier) and its events. */

export type StepState = 'done' | 'current' | 'upcoming' | 'skipped' | 'stopped' | 'unreached';

export interface Step {
  key: string;
  kind: 'stage' | 'notice';
  title: { zh: string; en: string } | null;
  state: StepState;
  /** Who acted (done stages) or who is asked to act (the current stage). */
  actors: string[];
  /** For stages still to come: the level and department that will act. */
  actorSpec: { level: string; department: string } | null;
  /** How the people at a stage decide (single, any, all, collective, vote). */
  mode: string | null;
  /** Votes cast since the stage last opened (vote stages). */
  votes: number;
}

const FAILED_BY = ['reject', 'withdraw', 'vote_failed', 'auto_reject', 'notice_cancelled', 'decided_by_data'];
const DECIDED_BY = ['approve', 'close-vote', 'vote', 'record-meeting', 'auto_approve'];

export function caseSteps(view: CaseView, dossier: Dossier, events: CaseEvent[], caseType: CaseType | undefined): Step[] {
  const stages = dossier.process.stages;
  const notice = dossier.process.publicNotice;
  const opened = new Set(events.filter((e) => e.action === 'stage_opened').map((e) => e.stage));
  const skipped = new Set(events.filter((e) => e.action === 'stage_skipped').map((e) => e.stage));
  const status = view.status;
  const inNotice = status === 'public_notice' || status === 'objection_review';
  const noticeOpened = events.some((e) => e.action === 'notice_opened');

  // The step the case is at (open) or ended at (rejected / withdrawn): a stage key, or "notice".
  let atKey: string | null = null;
  if (inNotice) atKey = '__notice__';
  else if (view.currentStage && !['completed', 'rejected', 'withdrawn'].includes(status)) atKey = view.currentStage.id;
  else if (status === 'rejected' || status === 'withdrawn') {
    const last = [...events].reverse().find((e) => FAILED_BY.includes(e.action));
    const lastNotice = [...events].reverse().find((e) => e.action.startsWith('notice_'));
    const noticeRunning = lastNotice !== undefined && ['notice_opened', 'notice_paused', 'notice_resumed'].includes(lastNotice.action);
    if (last?.action === 'notice_cancelled' || (last && !last.stage && noticeRunning)) atKey = '__notice__';
    else atKey = last?.stage ?? [...events].reverse().find((e) => e.action === 'stage_opened')?.stage ?? null;
  }

  const order: { key: string; kind: 'stage' | 'notice' }[] = [];
  for (const s of stages) {
    order.push({ key: s.id, kind: 'stage' });
    if (notice && notice.afterStage === s.id) order.push({ key: '__notice__', kind: 'notice' });
  }
  const atIndex = atKey ? order.findIndex((o) => o.key === atKey) : -1;
  const failed = status === 'rejected' || status === 'withdrawn';

  const actorsOf = (key: string) => [
    ...new Set(events.filter((e) => e.stage === key && DECIDED_BY.includes(e.action) && e.actorId).map((e) => e.actorId as string)),
  ];

  return order.map((o, index) => {
    const stage = stages.find((s) => s.id === o.key);
    const typeStage = caseType?.stages.find((s) => s.id === o.key);
    let state: StepState;
    if (o.kind === 'stage' && skipped.has(o.key) && !opened.has(o.key)) state = 'skipped';
    else if (status === 'completed')
      state = o.kind === 'notice' ? (noticeOpened ? 'done' : 'skipped') : opened.has(o.key) ? 'done' : 'skipped';
    else if (atIndex === -1) state = opened.has(o.key) ? 'done' : 'upcoming';
    else if (index < atIndex) state = o.kind === 'notice' || opened.has(o.key) ? 'done' : 'skipped';
    else if (index === atIndex) state = failed ? 'stopped' : 'current';
    else state = failed ? 'unreached' : 'upcoming';
    let actors: string[] = [];
    if (state === 'current' && o.kind === 'stage') actors = view.assignees;
    else if (o.kind === 'stage') actors = actorsOf(o.key);
    if (o.kind === 'stage' && actors.length === 0 && state === 'upcoming') {
      const added = events.find((e) => e.action === 'add-approver' && (e.data as { stageKey?: string } | null)?.stageKey === o.key);
      const fixed = (added?.data as { userId?: string } | undefined)?.userId;
      if (fixed) actors = [fixed];
    }
    const lastOpened = [...events].reverse().find((e) => e.action === 'stage_opened' && e.stage === o.key)?.seq ?? 0;
    const votes = events.filter((e) => e.action === 'vote' && e.stage === o.key && e.seq > lastOpened).length;
    return {
      key: o.key,
      votes,
      kind: o.kind,
      title: stage?.title ?? null,
      state,
      actors,
      actorSpec: actorOf(typeStage, view.payload),
      mode: stage?.mode ?? null,
    };
  });
}

/** Who decides a stage of this case: the type's department, or the one a payload field chooses (谁核实谁澄清). */
function actorOf(
  stage: CaseType['stages'][number] | undefined,
  payload: CaseView['payload'],
): { level: string; department: string } | null {
  if (!stage) return null;
  const value = stage.actorByPayload ? payload[stage.actorByPayload.field] : undefined;
  const actor = stage.actor ?? (typeof value === 'string' ? stage.actorByPayload?.actors[value] : undefined);
  return actor ? { level: actor.level, department: actor.department } : null;
}

/** Earlier stages a case can be returned to (besides the applicant): reached, not skipped, before the current one. */
export function returnTargets(view: CaseView, dossier: Dossier, events: CaseEvent[]): { id: string; title: { zh: string; en: string } }[] {
  const current = view.currentStage?.id;
  const index = dossier.process.stages.findIndex((s) => s.id === current);
  const opened = new Set(events.filter((e) => e.action === 'stage_opened').map((e) => e.stage));
  return dossier.process.stages.slice(0, Math.max(0, index)).filter((s) => opened.has(s.id));
}

/**
 * Who acted: the person whose duty it was, and (委托) the colleague who acted for them, "周敏（代 王强）": the
 * event's actor is the delegator, its data names the delegate.
 */
export function actedBy(
  e: Pick<CaseEvent, 'actorId' | 'data'>,
  name: (id: string | null | undefined) => string,
  t: ReturnType<typeof useI18n>['t'],
): string {
  const delegate = (e.data as { delegate?: { userId?: string; name?: string } } | null)?.delegate;
  if (!delegate?.userId) return name(e.actorId);
  return t('delegation.actedFor', { delegate: delegate.name ?? delegate.userId, delegator: name(e.actorId) });
}
