import { useId, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { api, fieldErrors, newIdempotencyKey, query } from '../api';
import { CommentField, ErrorMessage, Field, Loading } from '../components/common';
import { Phrases } from '../components/Phrases';
import { cleanValues, initialValues, missingRequired, SchemaForm, type FormValues } from '../components/SchemaForm';
import { useGet, useOrgUnitName, useRuleSet, useUserNames } from '../hooks';
import { labels, useI18n, type Key } from '../i18n';
import type { JsonSchema } from '../json-schema';
import { useSession } from '../session';
import type { ActionBody } from '../../../domain/process/commands';
import { AttachField, uploadPending } from './attach';
import { ADD_POSITIONS, ATTENDANCE, OBJECTION_RESOLUTIONS, UPHELD_EFFECTS, VOTE_CHOICES } from '../../../domain/process/vocabulary';
import type { Attendance, VoteChoice } from '../../../domain/process/vocabulary';
import { CASE_ACTIONS, type CaseAction, type CaseEvent, type CaseType, type CaseView, type Dossier, type UserList } from '../types';
import { returnTargets } from './case-model';
import { stageFieldLabel, usePayloadLabels } from './payload';

/** Order of the action buttons: deciding first, housekeeping last. */
const ORDER: CaseAction[] = [
  'approve',
  'record-meeting',
  'vote',
  'close-vote',
  'resubmit',
  'resolve-objection',
  'reject',
  'return',
  'transfer',
  'add-approver',
  'object',
  'comment',
  'remind',
  'withdraw',
];

const HELP: Record<CaseAction, Key> = {
  approve: 'actionHelp.approve',
  reject: 'actionHelp.reject',
  return: 'actionHelp.return',
  resubmit: 'actionHelp.resubmit',
  withdraw: 'actionHelp.withdraw',
  transfer: 'actionHelp.transfer',
  'add-approver': 'actionHelp.add-approver',
  vote: 'actionHelp.vote',
  'close-vote': 'actionHelp.close-vote',
  'record-meeting': 'actionHelp.record-meeting',
  comment: 'actionHelp.comment',
  remind: 'actionHelp.remind',
  object: 'actionHelp.object',
  'resolve-objection': 'actionHelp.resolve-objection',
};

export interface ActionContext {
  view: CaseView;
  dossier: Dossier;
  events: CaseEvent[];
  caseType: CaseType | undefined;
  /** 委托: the actions are taken for this person (POST …/actions?onBehalfOf=). */
  onBehalfOf?: { userId: string; name: string; from: string; to: string };
}

/** The actions a delegate takes at a stage; when the caller has none of their own, they act for whom they stand in for. */
const STAGE_DECISIONS: readonly string[] = ['approve', 'reject', 'return', 'vote', 'close-vote', 'record-meeting', 'resolve-objection'];

/**
 * The context as the caller acts in it: on their own, or (委托) for an assignee they stand in for today: the one
 * they chose, when several colleagues delegated to them, else the first.
 */
function actingContext(ctx: ActionContext, chosen: string | null): { ctx: ActionContext; allowedActions: string[] } {
  const own = ctx.view.allowedActions;
  const acting = ctx.view.actingFor?.find((a) => a.userId === chosen) ?? ctx.view.actingFor?.[0];
  if (!acting || own.some((a) => STAGE_DECISIONS.includes(a))) return { ctx, allowedActions: own };
  return {
    ctx: { ...ctx, onBehalfOf: { userId: acting.userId, name: acting.name, from: acting.from, to: acting.to } },
    allowedActions: acting.allowedActions,
  };
}

/** The actions the API offers the caller now (allowedActions), each with its form. */
export function CaseActions({
  ctx: given,
  onDone,
  onEditing,
}: {
  ctx: ActionContext;
  onDone: (view: CaseView, action: CaseAction) => void;
  /** An action form is open (the page then stops refreshing the case under the user's hands). */
  onEditing: (editing: boolean) => void;
}) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const [chosen, setChosen] = useState<string | null>(null);
  const { ctx, allowedActions } = actingContext(given, chosen);
  const name = useUserNames();
  const [open, setOpenState] = useState<CaseAction | null>(null);
  const setOpen = (action: CaseAction | null) => {
    setOpenState(action);
    onEditing(action !== null);
  };
  // Record and follow-up stages are confirmed (the API's "approve"), not approved.
  const stageKind = ctx.caseType?.stages.find((s) => s.id === ctx.view.currentStage?.id)?.kind ?? 'decision';
  const actionName = (a: CaseAction) => (a === 'approve' && stageKind !== 'decision' ? t('actions.confirmRecord') : l.action(a));
  // 委托 from several colleagues: the delegate says whom they act for (each action records that one).
  const delegators = ctx.onBehalfOf ? (ctx.view.actingFor ?? []) : [];
  const allowed = ORDER.filter((a) => allowedActions.includes(a) && (CASE_ACTIONS as readonly string[]).includes(a));
  // A case with open objections can be resolved only when one is open.
  const offered = allowed.filter((a) => a !== 'resolve-objection' || ctx.dossier.objections.some((o) => o.status === 'open'));
  if (offered.length === 0) return null;
  return (
    <section className="card actions" aria-labelledby="actions-title" data-testid="actions">
      <h2 id="actions-title">{t('actions.title')}</h2>
      {delegators.length > 1 && ctx.onBehalfOf && (
        <div className="field">
          <label htmlFor="acting-for-choice">{t('delegation.actFor')}</label>
          <select
            id="acting-for-choice"
            data-testid="acting-for-choice"
            value={ctx.onBehalfOf.userId}
            onChange={(e) => {
              setChosen(e.target.value);
              setOpen(null);
            }}
          >
            {delegators.map((d) => (
              <option key={d.userId} value={d.userId}>
                {name(d.userId) || d.name}
              </option>
            ))}
          </select>
        </div>
      )}
      {ctx.onBehalfOf && (
        <p className="notice delegation-note" data-testid="acting-for">
          {t('delegation.actingFor', { name: ctx.onBehalfOf.name, from: i.date(ctx.onBehalfOf.from), to: i.date(ctx.onBehalfOf.to) })}
        </p>
      )}
      <div className="action-buttons" role="group" aria-label={t('actions.title')}>
        {offered.map((a) => (
          <button
            key={a}
            type="button"
            className={`action-button action-${a}${open === a ? ' active' : ''}${['approve', 'resubmit', 'close-vote', 'vote', 'record-meeting'].includes(a) ? '' : ' secondary'}`}
            data-action={a}
            aria-expanded={open === a}
            aria-controls="action-form"
            onClick={() => setOpen(open === a ? null : a)}
          >
            {actionName(a)}
          </button>
        ))}
      </div>
      {open && (
        <div id="action-form" className="action-form">
          <h3>{actionName(open)}</h3>
          <p className="muted">{t(HELP[open])}</p>
          <ActionForm
            key={open}
            action={open}
            actionName={actionName(open)}
            ctx={ctx}
            onCancel={() => setOpen(null)}
            onDone={(view) => {
              setOpen(null);
              onDone(view, open);
            }}
          />
        </div>
      )}
    </section>
  );
}

/** The actions that may carry papers (the API's action bodies with `attachments`). */
const WITH_FILES: CaseAction[] = [
  'approve',
  'reject',
  'return',
  'resubmit',
  'vote',
  'close-vote',
  'comment',
  'object',
  'resolve-objection',
];

/** What the form sends: the API's action body, typed from the one schema per action (domain/process/commands.ts). */
type Body = ActionBody;

function ActionForm({
  action,
  actionName,
  ctx,
  onDone,
  onCancel,
}: {
  action: CaseAction;
  actionName: string;
  ctx: ActionContext;
  onDone: (view: CaseView) => void;
  onCancel: () => void;
}) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const uid = useId();
  const payloadLabels = usePayloadLabels(ctx.view.type);
  const ruleSet = useRuleSet();
  const stage = ctx.caseType?.stages.find((s) => s.id === ctx.view.currentStage?.id);
  const dataSchema: JsonSchema | undefined =
    stage && Object.keys(stage.dataSchema.properties ?? {}).length > 0 ? stage.dataSchema : undefined;

  const [comment, setComment] = useState('');
  const [data, setData] = useState<FormValues>(() => (dataSchema ? initialValues(dataSchema) : {}));
  const [payload, setPayload] = useState<FormValues>(() =>
    ctx.caseType ? initialValues(ctx.caseType.payloadSchema, ctx.view.payload) : { ...ctx.view.payload },
  );
  const [to, setTo] = useState('applicant');
  const [userId, setUserId] = useState('');
  const [position, setPosition] = useState<'before' | 'after'>('after');
  const [choice, setChoice] = useState<'for' | 'against' | 'abstain' | ''>('');
  const openObjections = ctx.dossier.objections.filter((o) => o.status === 'open');
  const [objectionId, setObjectionId] = useState(openObjections[0]?.id ?? '');
  const [resolution, setResolution] = useState<'dismissed' | 'upheld' | ''>('');
  const [effect, setEffect] = useState<'reconsider' | 'reject' | ''>('');
  const [local, setLocal] = useState<Record<string, string>>({});
  // A committee's meeting (record-meeting): every member who should attend (the stage's assignees), once.
  // Today in China Standard Time, where the committees meet (the server checks the date against the stage's).
  const [meetingDate, setMeetingDate] = useState(() => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
  const [attendance, setAttendance] = useState<Record<string, MemberEntry>>(() =>
    Object.fromEntries(ctx.view.assignees.map((u) => [u, { attendance: 'present', vote: '', reason: '' }])),
  );
  const [meetingResolution, setMeetingResolution] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const commentRequired = ['reject', 'return', 'comment', 'object', 'resolve-objection'].includes(action);
  const minutesLike = action === 'close-vote' || action === 'record-meeting';
  const commentLabel = minutesLike ? t('form.minutes') : action === 'object' ? t('form.objection') : undefined;
  const targets = useMemo(() => returnTargets(ctx.view, ctx.dossier, ctx.events), [ctx]);

  /** The body to send, or the problems that keep the form from sending one (each beside its field). */
  const build = (): { body: Body | null; problems: Record<string, string> } => {
    const problems: Record<string, string> = {};
    const need = <T,>(field: string, value: T | ''): value is T => {
      if (value === '') problems[field] = t('form.required');
      return value !== '';
    };
    const text = comment.trim();
    const withComment = text ? { comment: text } : {};
    const cleanData = jsonValues(cleanValues(data));
    if (dataSchema && (action === 'approve' || minutesLike))
      for (const f of missingRequired(dataSchema, cleanData)) problems[`data.${f}`] = t('form.required');
    const withData = dataSchema && Object.keys(cleanData).length ? { data: cleanData } : {};
    const valid = (body: Body) => ({ body: Object.keys(problems).length ? null : body, problems });
    switch (action) {
      case 'approve':
        return valid({ action, ...withComment, ...withData });
      case 'close-vote':
        return need('comment', text) ? valid({ action, minutes: text, ...withData }) : { body: null, problems };
      case 'record-meeting': {
        const members = ctx.view.assignees.map((userId, index) => {
          const m = attendance[userId] ?? { attendance: 'present', vote: '', reason: '' };
          if (m.attendance === 'present') {
            if (m.vote === '') problems[`members.${index}.vote`] = t('form.required');
            return { userId, attendance: m.attendance, vote: m.vote === '' ? 'abstain' : m.vote };
          }
          if (!m.reason.trim()) problems[`members.${index}.reason`] = t('form.required');
          return { userId, attendance: m.attendance, reason: m.reason.trim() };
        });
        const ok = [need('comment', text), need('resolution', meetingResolution.trim()), need('meetingDate', meetingDate)].every(Boolean);
        return ok
          ? valid({ action, meetingDate, members, minutes: text, resolution: meetingResolution.trim(), ...withData })
          : { body: null, problems };
      }
      case 'return':
        return need('comment', text) ? valid({ action, comment: text, to }) : { body: null, problems };
      case 'resubmit': {
        const cleaned = jsonValues(cleanValues(payload));
        if (ctx.caseType)
          for (const f of missingRequired(ctx.caseType.payloadSchema, cleaned)) problems[`payload.${f}`] = t('form.required');
        return valid({ action, payload: cleaned, ...withComment });
      }
      case 'transfer':
        return need('toUserId', userId) ? valid({ action, toUserId: userId, ...withComment }) : { body: null, problems };
      case 'add-approver':
        return need('userId', userId) ? valid({ action, userId, position, ...withComment }) : { body: null, problems };
      case 'vote':
        return need('choice', choice) ? valid({ action, choice, ...withComment }) : { body: null, problems };
      case 'resolve-objection': {
        const ok = [need('objectionId', objectionId), need('resolution', resolution), need('comment', text)].every(Boolean);
        if (resolution === 'upheld') need('effect', effect);
        if (!ok || resolution === '') return { body: null, problems };
        return valid({ action, objectionId, resolution, ...(resolution === 'upheld' && effect ? { effect } : {}), comment: text });
      }
      case 'reject':
      case 'comment':
      case 'object':
        return need('comment', text) ? valid({ action, comment: text }) : { body: null, problems };
      case 'withdraw':
      case 'remind':
        return valid({ action, ...withComment });
    }
  };

  const [files, setFiles] = useState<File[]>([]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { body, problems } = build();
    setLocal(problems);
    if (!body) return;
    setBusy(true);
    setError(null);
    try {
      const attachments = files.length && WITH_FILES.includes(action) ? await uploadPending(files) : [];
      // One key per attempt: a request repeated by the network is applied once.
      const onBehalfOf = ctx.onBehalfOf ? query({ onBehalfOf: ctx.onBehalfOf.userId }) : '';
      const view = await api<CaseView>(`/cases/${encodeURIComponent(ctx.view.id)}/actions${onBehalfOf}`, {
        method: 'POST',
        body: attachments.length ? { ...body, attachments } : body,
        idempotencyKey: newIdempotencyKey(),
      });
      onDone(view);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const server = fieldErrors(error, l.fieldError);
  const errorFor = (field: string) => local[field] ?? server[field];
  const dataErrors = Object.fromEntries(
    Object.keys(dataSchema?.properties ?? {})
      .map((k) => [k, errorFor(`data.${k}`)])
      .filter(([, v]) => v),
  ) as Record<string, string>;
  const payloadErrors = Object.fromEntries(
    Object.keys(ctx.caseType?.payloadSchema.properties ?? {})
      .map((k) => [k, errorFor(`payload.${k}`)])
      .filter(([, v]) => v),
  ) as Record<string, string>;
  const exitReasons = ruleSet.data?.exit?.reasons;

  let fields: ReactNode = null;
  switch (action) {
    case 'return':
      fields = (
        <Field id={`${uid}-to`} label={t('form.returnTo')} required>
          <select id={`${uid}-to`} value={to} onChange={(e) => setTo(e.target.value)}>
            <option value="applicant">{t('form.returnToApplicant')}</option>
            {targets.map((s) => (
              <option key={s.id} value={s.id}>
                {t('form.returnToStage', { stage: i.loc(s.title) })}
              </option>
            ))}
          </select>
        </Field>
      );
      break;
    case 'resubmit':
      fields = ctx.caseType ? (
        <fieldset>
          <legend>{t('submit.details')}</legend>
          <SchemaForm
            schema={ctx.caseType.payloadSchema}
            values={payload}
            onChange={setPayload}
            errors={payloadErrors}
            idPrefix={`${uid}-payload`}
            label={(name) => payloadLabels.field(name)}
            optionLabel={(name, value) => l.option(name, value)}
            choices={(name) =>
              ctx.view.type === 'exit' && name === 'reason' && exitReasons?.length
                ? exitReasons.map((r) => ({ value: r.code, label: i.loc(r.title) }))
                : undefined
            }
          />
        </fieldset>
      ) : null;
      break;
    case 'transfer':
    case 'add-approver':
      fields = (
        <>
          <UserPicker
            id={`${uid}-user`}
            value={userId}
            onChange={setUserId}
            exclude={[session.me?.id ?? '', ctx.view.applicantId, ...ctx.view.assignees]}
            error={errorFor(action === 'transfer' ? 'toUserId' : 'userId')}
            label={action === 'transfer' ? t('form.transferTo') : t('form.addApprover')}
          />
          {action === 'add-approver' && (
            <fieldset className="radios">
              <legend>{t('form.position')}</legend>
              {ADD_POSITIONS.map((p) => (
                <label key={p}>
                  <input type="radio" name={`${uid}-position`} value={p} checked={position === p} onChange={() => setPosition(p)} />{' '}
                  {i.tx(`form.position.${p}`, p)}
                </label>
              ))}
            </fieldset>
          )}
        </>
      );
      break;
    case 'record-meeting':
      fields = (
        <MeetingFields
          uid={uid}
          members={ctx.view.assignees}
          meetingDate={meetingDate}
          onMeetingDate={setMeetingDate}
          attendance={attendance}
          onAttendance={(userId, entry) => setAttendance((all) => ({ ...all, [userId]: entry }))}
          resolution={meetingResolution}
          onResolution={setMeetingResolution}
          errorFor={errorFor}
        />
      );
      break;
    case 'vote':
      fields = (
        <fieldset className={`radios${errorFor('choice') ? ' has-error' : ''}`}>
          <legend>
            {t('form.choice')} <span className="required">*</span>
          </legend>
          {VOTE_CHOICES.map((c) => (
            <label key={c}>
              <input type="radio" name={`${uid}-choice`} value={c} checked={choice === c} onChange={() => setChoice(c)} />{' '}
              {i.tx(`vote.${c}`, c)}
            </label>
          ))}
          {errorFor('choice') && (
            <p className="field-error" role="alert">
              {errorFor('choice')}
            </p>
          )}
        </fieldset>
      );
      break;
    case 'resolve-objection':
      fields = (
        <>
          <Field id={`${uid}-objection`} label={t('form.objectionToResolve')} required error={errorFor('objectionId')}>
            <select id={`${uid}-objection`} value={objectionId} onChange={(e) => setObjectionId(e.target.value)}>
              {openObjections.map((o) => (
                <option key={o.id} value={o.id}>
                  {`${o.id}: ${o.text.slice(0, 60)}`}
                </option>
              ))}
            </select>
          </Field>
          <fieldset className={`radios${errorFor('resolution') ? ' has-error' : ''}`}>
            <legend>
              {t('form.resolution')} <span className="required">*</span>
            </legend>
            {OBJECTION_RESOLUTIONS.map((r) => (
              <label key={r}>
                <input type="radio" name={`${uid}-resolution`} value={r} checked={resolution === r} onChange={() => setResolution(r)} />{' '}
                {i.tx(`objection.${r}`, r)}
              </label>
            ))}
            {errorFor('resolution') && (
              <p className="field-error" role="alert">
                {errorFor('resolution')}
              </p>
            )}
          </fieldset>
          {resolution === 'upheld' && (
            <fieldset className={`radios${errorFor('effect') ? ' has-error' : ''}`}>
              <legend>
                {t('form.effect')} <span className="required">*</span>
              </legend>
              {UPHELD_EFFECTS.map((x) => (
                <label key={x}>
                  <input type="radio" name={`${uid}-effect`} value={x} checked={effect === x} onChange={() => setEffect(x)} />{' '}
                  {i.tx(`form.effect.${x}`, x)}
                </label>
              ))}
              {errorFor('effect') && (
                <p className="field-error" role="alert">
                  {errorFor('effect')}
                </p>
              )}
            </fieldset>
          )}
        </>
      );
      break;
    default:
      break;
  }

  const stageData =
    dataSchema && (action === 'approve' || minutesLike) ? (
      <fieldset>
        <legend>{t('form.stageData')}</legend>
        <SchemaForm
          schema={dataSchema}
          values={data}
          onChange={setData}
          errors={dataErrors}
          idPrefix={`${uid}-data`}
          label={(name, p) => stageFieldLabel(i.lang, name, p)}
          optionLabel={(name, value) => l.option(name, value)}
        />
      </fieldset>
    ) : null;

  return (
    <form onSubmit={(e) => void submit(e)} noValidate data-testid={`action-form-${action}`}>
      {fields}
      {stageData}
      <CommentField
        value={comment}
        onChange={setComment}
        required={commentRequired || minutesLike}
        error={errorFor(minutesLike ? 'minutes' : 'comment') ?? (minutesLike ? local.comment : undefined)}
        label={commentLabel}
      />
      {!minutesLike && action !== 'object' && <Phrases value={comment} onPick={setComment} />}
      {WITH_FILES.includes(action) && <AttachField name={`attach-${action}`} onChange={setFiles} />}
      {action === 'withdraw' && <p className="warning-text">{t('actions.withdrawWarning')}</p>}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="actions-row">
        <button
          type="submit"
          disabled={busy}
          className={action === 'reject' || action === 'withdraw' ? 'danger' : undefined}
          data-submit={action}
        >
          {busy ? t('common.working') : t('actions.confirm', { action: actionName })}
        </button>
        <button type="button" className="secondary" onClick={onCancel} disabled={busy}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** One member at a committee's meeting, as the form holds it. */
interface MemberEntry {
  attendance: Attendance;
  vote: VoteChoice | '';
  reason: string;
}

/**
 * The record of a committee's meeting, entered once after it (会议纪要): the date, every member who should attend
 * with their attendance and vote (or the reason they were absent or recused), and the resolution; the running
 * count beside it. The server counts the quorum and the passing share against the rule set.
 */
function MeetingFields({
  uid,
  members,
  meetingDate,
  onMeetingDate,
  attendance,
  onAttendance,
  resolution,
  onResolution,
  errorFor,
}: {
  uid: string;
  members: string[];
  meetingDate: string;
  onMeetingDate: (date: string) => void;
  attendance: Record<string, MemberEntry>;
  onAttendance: (userId: string, entry: MemberEntry) => void;
  resolution: string;
  onResolution: (text: string) => void;
  errorFor: (field: string) => string | undefined;
}) {
  const i = useI18n();
  const { t } = i;
  const nameOf = useUserNames();
  const entries = members.map((u) => attendance[u] ?? { attendance: 'present' as const, vote: '' as const, reason: '' });
  const present = entries.filter((e) => e.attendance === 'present').length;
  const votesFor = entries.filter((e) => e.attendance === 'present' && e.vote === 'for').length;
  return (
    <>
      <Field id={`${uid}-meeting-date`} label={t('form.meetingDate')} required error={errorFor('meetingDate')}>
        <input id={`${uid}-meeting-date`} type="date" value={meetingDate} onChange={(e) => onMeetingDate(e.target.value)} />
      </Field>
      <fieldset className="meeting-members" data-testid="meeting-members">
        <legend>
          {t('form.members')} <span className="required">*</span>
        </legend>
        {members.map((userId, index) => {
          const entry = entries[index] as MemberEntry;
          const set = (change: Partial<MemberEntry>) => onAttendance(userId, { ...entry, ...change });
          const voteError = errorFor(`members.${index}.vote`);
          const reasonError = errorFor(`members.${index}.reason`);
          return (
            <div key={userId} className="meeting-member" data-member={userId}>
              <span className="member-name">{nameOf(userId)}</span>
              <span className="radios" role="radiogroup" aria-label={`${nameOf(userId)}: ${t('form.members')}`}>
                {ATTENDANCE.map((a) => (
                  <label key={a}>
                    <input
                      type="radio"
                      name={`${uid}-attendance-${userId}`}
                      value={a}
                      checked={entry.attendance === a}
                      onChange={() => set({ attendance: a })}
                    />{' '}
                    {t(`form.attendance.${a}`)}
                  </label>
                ))}
              </span>
              {entry.attendance === 'present' ? (
                <select
                  aria-label={`${nameOf(userId)}: ${t('form.choice')}`}
                  value={entry.vote}
                  onChange={(e) => set({ vote: e.target.value as VoteChoice | '' })}
                  aria-invalid={voteError ? true : undefined}
                  data-vote={userId}
                >
                  <option value="">{t('form.choose')}</option>
                  {VOTE_CHOICES.map((c) => (
                    <option key={c} value={c}>
                      {i.tx(`vote.${c}`, c)}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  type="text"
                  aria-label={`${nameOf(userId)}: ${t('form.memberReason')}`}
                  placeholder={t('form.memberReason')}
                  value={entry.reason}
                  onChange={(e) => set({ reason: e.target.value })}
                  aria-invalid={reasonError ? true : undefined}
                />
              )}
              {(voteError ?? reasonError) && (
                <span className="field-error" role="alert">
                  {voteError ?? reasonError}
                </span>
              )}
            </div>
          );
        })}
        <p className="muted" data-testid="meeting-tally">
          {t('form.tally', { expected: members.length, present, for: votesFor })}
        </p>
      </fieldset>
      <Field id={`${uid}-resolution`} label={t('form.meetingResolution')} required error={errorFor('resolution')}>
        <textarea id={`${uid}-resolution`} value={resolution} onChange={(e) => onResolution(e.target.value)} rows={2} />
      </Field>
    </>
  );
}

/** Staff holding the approver role, searchable by name or id. */
function UserPicker({
  id,
  value,
  onChange,
  exclude,
  error,
  label,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  exclude: string[];
  error?: string;
  label: string;
}) {
  const i = useI18n();
  const { t } = i;
  const orgName = useOrgUnitName();
  const [q, setQ] = useState('');
  const users = useGet<UserList>(`/users${query({ role: 'approver' })}`);
  const list = (users.data?.items ?? []).filter((u) => !exclude.includes(u.id));
  const shown = q.trim()
    ? list.filter((u) =>
        `${u.id} ${u.name} ${u.roles.map((r) => orgName(r.orgUnitId)).join(' ')}`.toLowerCase().includes(q.trim().toLowerCase()),
      )
    : list;
  return (
    <div className="user-picker">
      <Field id={`${id}-search`} label={t('form.searchUser')}>
        <input id={`${id}-search`} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      </Field>
      {users.loading && <Loading />}
      {users.error ? <ErrorMessage error={users.error} onRetry={users.reload} /> : null}
      {users.data && (
        <Field id={id} label={label} required error={error}>
          <select
            id={id}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          >
            <option value="">{t('form.choose')}</option>
            {shown.map((u) => (
              <option key={u.id} value={u.id}>
                {`${u.name} — ${[...new Set(u.roles.filter((r) => r.role === 'approver').map((r) => orgName(r.orgUnitId)))].join(', ')}`}
              </option>
            ))}
          </select>
        </Field>
      )}
    </div>
  );
}

type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
const isJson = (v: unknown): v is JsonValue =>
  v === null ||
  ['string', 'number', 'boolean'].includes(typeof v) ||
  (Array.isArray(v) ? v.every(isJson) : typeof v === 'object' && Object.values(v).every(isJson));

/** Form values as the JSON an action carries (inputs hold strings, numbers and booleans; nothing else is sent). */
function jsonValues(values: FormValues): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, JsonValue] => isJson(entry[1])));
}
