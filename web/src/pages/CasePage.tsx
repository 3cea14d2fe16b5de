import { useCallback, useEffect, useRef, useState } from 'react';
import { CASE_REFERENCE_FIELDS, type CaseTypeName } from '../../../domain/case-types/names';
import { api, ApiError, query } from '../api';
import { CaseReferenceText } from '../components/CaseRef';
import { EligibilityList, ErrorMessage, Loading, PageTitle, RuleSetName, StatusBadge } from '../components/common';
import { useCaseTypes, useGet, useRuleSet, useUserNames } from '../hooks';
import { labels, useI18n, type I18n } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import {
  FINAL_STATUSES,
  type CaseAction,
  type CaseEvent,
  type CaseEventList,
  type CaseReference,
  type CaseType,
  type CaseView,
  type Dossier,
  type Eligibility,
  type Verification,
} from '../types';
import { CaseActions } from './CaseActions';
import { CaseFiles } from './CaseFiles';
import { actedBy, caseSteps, type Step } from './case-model';
import { stageFieldLabel, usePayloadLabels, ValuesList } from './payload';

/** How often an open case is looked at again (its clock, or other people, may move it on). */
const POLL_MS = 2500;

/** One case: summary, stage progress, the actions the caller may take, payload, eligibility, verified history. */
export function CasePage({ id }: { id: string }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const { search } = useLocation();
  const types = useCaseTypes();
  const [view, setView] = useState<CaseView | null>(null);
  const [viewError, setViewError] = useState<unknown>(null);
  const [done, setDone] = useState<CaseAction | null>(null);
  const lastSeq = view?.lastSeq ?? null;

  const load = useCallback(async () => {
    try {
      const next = await api<CaseView>(`/cases/${encodeURIComponent(id)}`);
      setView(next);
      setViewError(null);
    } catch (err) {
      setViewError(err);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  // Open cases move on by themselves (notice periods end, other people act): look again now and then.
  const status = view?.status;
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    // Not while an action form is open: a change would pull the form away mid-sentence. Acting on a case that
    // moved on meanwhile answers 409, shown as a message.
    if (!status || FINAL_STATUSES.includes(status) || editing) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void load();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [status, load, editing]);

  // The case file, history and chain check follow the case: reloaded whenever a new event is recorded.
  const ready = lastSeq !== null;
  const dossier = useGet<Dossier>(ready ? `/cases/${encodeURIComponent(id)}/dossier` : null, lastSeq);
  const events = useGet<CaseEventList>(ready ? `/cases/${encodeURIComponent(id)}/events` : null, lastSeq);
  const verify = useGet<Verification>(ready ? `/audit/verify${query({ caseId: id })}` : null, lastSeq);

  const heading = useRef<HTMLHeadingElement>(null);
  const caseType = types.data?.items.find((x) => x.type === view?.type);

  if (viewError && !view) {
    return (
      <>
        <PageTitle>{t('case.title')}</PageTitle>
        <ErrorMessage error={viewError} onRetry={() => void load()} />
        {viewError instanceof ApiError && viewError.status === 404 && <p>{t('case.notFoundHint')}</p>}
      </>
    );
  }
  if (!view) return <Loading />;

  const final = FINAL_STATUSES.includes(view.status);
  const inNotice = view.status === 'public_notice' || view.status === 'objection_review';
  // One status: the stage line says what the badge says (公示 while the notice runs; nothing once the case closed).
  const stageNow = inNotice ? t('progress.notice') : final || !view.currentStage ? '—' : i.loc(view.currentStage.title);

  return (
    <article className="case-page" data-testid="case-page" data-case-id={view.id}>
      <div className="page-head">
        <PageTitle>
          {view.subject.name} · {caseType ? i.loc(caseType.title) : view.type}
        </PageTitle>
        <div className="head-actions">
          {view.number && (
            <span className="case-number" data-testid="case-number">
              {view.number}
            </span>
          )}
          <StatusBadge status={view.status} />
          <Link to={`/cases/${encodeURIComponent(view.id)}/print`} className="button secondary">
            {t('case.printView')}
          </Link>
        </div>
      </div>
      {events.data && <OutcomeBanner view={view} events={events.data.items} dossier={dossier.data} />}
      {/* A success message gives way to any later error: the page never says both. */}
      {search.get('submitted') && !done && !viewError && (
        <p className="notice success" role="status">
          {t('case.submittedNotice')}
        </p>
      )}
      {done && !viewError && (
        <p className="notice success" role="status" data-testid="action-done">
          {t('case.actionDone', { action: l.action(done) })}
        </p>
      )}
      {viewError ? <ErrorMessage error={viewError} onRetry={() => void load()} /> : null}

      {/* What an approver decides on, first: who, what is proposed from when, why, the papers, the last opinion. */}
      <section className="card decide" aria-labelledby="summary-title" data-testid="case-summary">
        <h2 id="summary-title" ref={heading}>
          {t('case.summary')}
        </h2>
        <dl className="values">
          <dt>{t('case.subject')}</dt>
          <dd data-testid="case-subject">
            <Link to={`/records/${encodeURIComponent(view.subject.id)}`}>{view.subject.name}</Link>
            {dossier.data && <span className="muted">{t('common.paren', { text: dossier.data.subject.orgUnit.name })}</span>}
          </dd>
          <dt>{t('case.proposal')}</dt>
          <dd data-testid="case-proposal">
            <ProposalText view={view} dossier={dossier.data} events={events.data?.items} caseType={caseType} />
          </dd>
          <dt>{t('case.stage')}</dt>
          <dd data-testid="case-stage">{stageNow}</dd>
          {!final && (
            <>
              <dt>{t('case.waitingFor')}</dt>
              <dd>
                <UserList ids={view.assignees} />
              </dd>
              <dt>{t('case.due')}</dt>
              <dd>
                {view.dueAt ? <time dateTime={view.dueAt}>{i.dateTime(view.dueAt)}</time> : '—'}
                {view.overdue && <span className="badge overdue-badge">{t('case.overdue')}</span>}
              </dd>
            </>
          )}
        </dl>
        {dossier.data && <EligibilityView dossier={dossier.data} />}
        {events.data && <LastOpinion events={events.data.items} />}
      </section>

      {/* Who may comment takes part in the case, and may attach papers to it as well. */}
      <CaseFiles caseId={view.id} version={lastSeq} canAttach={view.allowedActions.includes('comment')} onChange={() => void load()} />

      {dossier.data && events.data ? (
        <StageProgress steps={caseSteps(view, dossier.data, events.data.items, caseType)} view={view} />
      ) : dossier.error ? (
        <ErrorMessage error={dossier.error} onRetry={dossier.reload} />
      ) : (
        <Loading />
      )}

      <section className="card" aria-labelledby="details-title">
        <h2 id="details-title">{t('case.details')}</h2>
        <dl className="values">
          <dt>{t('case.number')}</dt>
          <dd>{view.number ?? '—'}</dd>
          <dt>{t('case.status')}</dt>
          <dd>
            {l.status(view.status)}
            {view.outcome && ` · ${t('case.outcome')}: ${l.outcome(view.outcome)}`}
          </dd>
          <dt>{t('case.applicant')}</dt>
          <dd>
            <UserList ids={[view.applicantId]} />
          </dd>
          <dt>{t('case.submitted')}</dt>
          <dd>
            <time dateTime={view.submittedAt}>{i.dateTime(view.submittedAt)}</time>
          </dd>
          {view.decidedAt && (
            <>
              <dt>{t('case.decided')}</dt>
              <dd>
                <time dateTime={view.decidedAt}>{i.dateTime(view.decidedAt)}</time>
              </dd>
            </>
          )}
          <dt>{t('case.ruleSet')}</dt>
          <dd>
            <RuleSetName ruleSet={view.ruleSet} /> · {t('case.definitionVersion', { n: view.definitionVersion })}
          </dd>
        </dl>
        <h3 id="payload-title">{t('case.payload')}</h3>
        <PayloadView view={view} caseType={caseType} references={view.references ?? dossier.data?.references} />
      </section>

      {dossier.data && <StageDataView dossier={dossier.data} caseType={caseType} />}
      {dossier.data && dossier.data.objections.length > 0 && <ObjectionsView dossier={dossier.data} />}

      <section className="card" aria-labelledby="timeline-title">
        <div className="section-head">
          <h2 id="timeline-title">{t('timeline.title')}</h2>
          <VerifiedBadge verify={verify} />
        </div>
        {events.error ? <ErrorMessage error={events.error} onRetry={events.reload} /> : null}
        {events.loading && !events.data && <Loading />}
        {events.data && <Timeline events={events.data.items} dossier={dossier.data} />}
      </section>

      {/* The actions last in the page, held at the bottom of the screen (also on a phone) while the case is read. */}
      {dossier.data && events.data && (
        <div className="action-bar" data-testid="action-bar">
          <CaseActions
            ctx={{ view, dossier: dossier.data, events: events.data.items, caseType }}
            onDone={(next, action) => {
              setView(next);
              setDone(action);
            }}
            onEditing={(open) => {
              setEditing(open);
              if (open) setDone(null);
            }}
          />
        </div>
      )}
    </article>
  );
}

interface Proposal {
  fromGrade: number;
  toGrade: number;
  effectiveFrom: string | null;
}

/**
 * What a promotion proposes, and from when: once applied, as its outcome recorded it; while open, as deciding it
 * now would apply it (the outcome is computed at the decision, from the records then: POST /eligibility-checks
 * answers the same); else the grades its eligibility named at submission.
 */
function useProposal(view: CaseView, dossier: Dossier | undefined, events: CaseEvent[] | undefined): Proposal | null {
  const open = !FINAL_STATUSES.includes(view.status) && view.type === 'promotion';
  const [now, setNow] = useState<Proposal | null>(null);
  const payloadKey = JSON.stringify(view.payload);
  useEffect(() => {
    if (!open) return;
    let live = true;
    api<Eligibility>('/eligibility-checks', {
      method: 'POST',
      body: { type: view.type, subjectId: view.subject.id, payload: view.payload },
    }).then(
      (result) => live && result.proposal && setNow({ ...result.proposal }),
      () => undefined, // the grades named at submission are shown instead
    );
    return () => {
      live = false;
    };
    // payloadKey stands for the payload's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, view.type, view.subject.id, payloadKey]);
  const applied = (events?.find((e) => e.action === 'outcome_applied')?.data as { effect?: Partial<Proposal> } | null | undefined)?.effect;
  if (applied && typeof applied.toGrade === 'number' && typeof applied.fromGrade === 'number')
    return { fromGrade: applied.fromGrade, toGrade: applied.toGrade, effectiveFrom: applied.effectiveFrom ?? null };
  if (open && now) return now;
  const band = dossier?.eligibility.atSubmission?.reasons.find((r) => r.ruleId === 'promotion.band-ceiling')?.data as
    { grade?: unknown; toGrade?: unknown } | undefined;
  if (band && typeof band.grade === 'number' && typeof band.toGrade === 'number')
    return { fromGrade: band.grade, toGrade: band.toGrade, effectiveFrom: null };
  return null;
}

/** What the case proposes, and from when (岗位等级 5 级 → 6 级，自 2027-01-01 起), else its type. */
function ProposalText({
  view,
  dossier,
  events,
  caseType,
}: {
  view: CaseView;
  dossier?: Dossier;
  events?: CaseEvent[];
  caseType?: CaseType;
}) {
  const i = useI18n();
  const proposal = useProposal(view, dossier, events);
  if (!proposal) return <>{caseType ? i.loc(caseType.title) : view.type}</>;
  const vars = { from: proposal.fromGrade, to: proposal.toGrade };
  return (
    <>
      {proposal.effectiveFrom
        ? i.t('case.proposalGrade', { ...vars, date: i.date(proposal.effectiveFrom) })
        : i.t('case.proposalGradeOnly', vars)}
    </>
  );
}

/** Events that end or send back a case, with who decided and why. */
const STOPPED_BY = ['reject', 'return', 'withdraw', 'vote_failed', 'auto_reject', 'notice_cancelled', 'decided_by_data'];

/** A rejected, returned or withdrawn case says at the top who, when and why; its applicant may start again from it. */
function OutcomeBanner({ view, events, dossier }: { view: CaseView; events: CaseEvent[]; dossier: Dossier | undefined }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const name = useUserNames();
  const { me } = useSession();
  if (!['rejected', 'returned', 'withdrawn'].includes(view.status)) return null;
  const last = [...events].reverse().find((e) => STOPPED_BY.includes(e.action));
  const reason = (last?.data as { reason?: { zh: string; en: string } } | null)?.reason;
  const why = last?.comment || (reason ? i.loc(reason) : '');
  const stage = last?.stage ? dossier?.process.stages.find((s) => s.id === last.stage) : undefined;
  const who = last?.actorId ? actedBy(last, name, i.t) : t('timeline.system');
  return (
    <div className={`notice banner-${view.status}`} role="status" data-testid="outcome-banner" data-status={view.status}>
      <p>
        <strong>{l.status(view.status)}</strong>
        {last && (
          <>
            {' · '}
            {who}
            {stage ? t('common.paren', { text: i.loc(stage.title) }) : ''} · <time dateTime={last.at}>{i.dateTime(last.at)}</time>
          </>
        )}
      </p>
      {why && <blockquote data-testid="outcome-reason">{why}</blockquote>}
      {view.status !== 'returned' && me?.id === view.applicantId && (
        <Link
          to={`/submit?type=${encodeURIComponent(view.type)}&from=${encodeURIComponent(view.id)}`}
          className="button"
          data-testid="start-again"
        >
          {t('case.startAgain')}
        </Link>
      )}
    </div>
  );
}

/** The newest opinion someone wrote on the case. */
function LastOpinion({ events }: { events: CaseEvent[] }) {
  const i = useI18n();
  const l = labels(i);
  const name = useUserNames();
  const last = [...events].reverse().find((e) => e.actorId && e.comment && e.action !== 'submit');
  if (!last) return null;
  return (
    <div className="last-opinion" data-testid="last-opinion">
      <h3>{i.t('case.lastOpinion')}</h3>
      <p>
        {actedBy(last, name, i.t)} · {l.event(last.action)} · <time dateTime={last.at}>{i.dateTime(last.at)}</time>
      </p>
      <blockquote>{last.comment}</blockquote>
    </div>
  );
}

export function UserList({ ids }: { ids: string[] }) {
  const name = useUserNames();
  if (ids.length === 0) return <>—</>;
  return <>{ids.map(name).join(', ')}</>;
}

export function VerifiedBadge({ verify }: { verify: { data?: Verification; error?: unknown; loading: boolean; reload: () => void } }) {
  const { t } = useI18n();
  if (verify.error) return <ErrorMessage error={verify.error} onRetry={verify.reload} />;
  if (!verify.data) return <Loading label={t('timeline.verifying')} />;
  const v = verify.data;
  return v.ok ? (
    <span className="badge verified" data-testid="chain-verified" data-ok="true" title={t('timeline.verifiedHelp')}>
      ✓ {t('timeline.verified', { n: v.checked })}
    </span>
  ) : (
    <span className="badge broken" data-testid="chain-verified" data-ok="false" role="alert">
      ✗ {t('timeline.broken', { seq: v.firstBroken?.seq ?? '?', reason: v.firstBroken?.reason ?? '' })}
    </span>
  );
}

function StageProgress({ steps, view }: { steps: Step[]; view: CaseView }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const final = FINAL_STATUSES.includes(view.status);
  return (
    <section className="card" aria-labelledby="progress-title">
      <h2 id="progress-title">{t('progress.title')}</h2>
      {/* A flow diagram: the stages left to right (top to bottom on a phone), where the case stands marked. */}
      <ol className="steps flow" data-testid="stage-progress">
        {steps.map((s) => (
          <li
            key={s.key}
            className={`step step-${s.state}`}
            data-step={s.key}
            data-state={s.state}
            aria-current={s.state === 'current' ? 'step' : undefined}
          >
            <span className="step-marker" aria-hidden="true">
              {s.state === 'done' ? '✓' : s.state === 'current' ? '●' : s.state === 'stopped' ? '✗' : s.state === 'skipped' ? '–' : '○'}
            </span>
            <div className="step-body">
              <span className="step-title">{s.kind === 'notice' ? t('progress.notice') : i.loc(s.title) || s.key}</span>
              <span className="step-state">{i.tx(`progress.${s.state}`, s.state)}</span>
              {s.kind === 'stage' && s.actors.length > 0 && (
                <span className="step-actors">
                  {s.state === 'current'
                    ? t('progress.waitingFor')
                    : s.state === 'upcoming'
                      ? t('progress.willAct')
                      : t('progress.actedBy')}{' '}
                  <UserList ids={s.actors} />
                </span>
              )}
              {s.kind === 'stage' && s.actors.length === 0 && s.actorSpec && (s.state === 'upcoming' || s.state === 'current') && (
                <span className="step-actors">
                  {t('progress.willAct')} {l.level(s.actorSpec.level)} · {l.department(s.actorSpec.department)}
                  {s.mode && ` (${l.mode(s.mode)})`}
                </span>
              )}
              {s.state === 'current' && s.mode === 'vote' && <span className="step-actors">{t('progress.votes', { n: s.votes })}</span>}
              {s.kind === 'notice' && s.state === 'current' && view.dueAt && (
                <span className="step-actors">{t('progress.noticeUntil', { date: i.dateTime(view.dueAt) })}</span>
              )}
            </div>
          </li>
        ))}
        <li
          className={`step step-${final ? (view.status === 'completed' ? 'done' : 'stopped') : 'upcoming'}`}
          data-step="end"
          data-state={final ? view.status : 'upcoming'}
        >
          <span className="step-marker" aria-hidden="true">
            {view.status === 'completed' ? '✓' : final ? '✗' : '○'}
          </span>
          <div className="step-body">
            <span className="step-title">{final ? l.status(view.status) : t('progress.end')}</span>
            {view.outcome && <span className="step-state">{l.outcome(view.outcome)}</span>}
          </div>
        </li>
      </ol>
    </section>
  );
}

/**
 * The application as submitted; a field naming another case (an appeal's original, an extension's secondment)
 * shows what it names, by number and subject, once `references` is known (never the id).
 */
export function PayloadView({
  view,
  caseType,
  references,
}: {
  view: { type: string; payload: Record<string, unknown> };
  caseType: CaseType | undefined;
  references: CaseReference[] | undefined;
}) {
  const i = useI18n();
  const labelsOf = usePayloadLabels(view.type);
  const ruleSet = useRuleSet();
  const referenceFields = CASE_REFERENCE_FIELDS[view.type as CaseTypeName] ?? [];
  const render = (name: string) => {
    // An exit's situation is one the rule set lists, with its title there (as the submit form offers it).
    if (view.type === 'exit' && name === 'reason') {
      const reason = ruleSet.data?.exit?.reasons.find((r) => r.code === view.payload.reason);
      return reason ? i.loc(reason.title) : undefined;
    }
    if (!referenceFields.includes(name)) return undefined;
    const reference = references?.find((r) => r.field === name);
    if (reference) return <CaseReferenceText reference={reference} />;
    return references ? undefined : <span className="muted">{i.t('common.loading')}</span>;
  };
  return (
    <ValuesList
      values={view.payload}
      schema={caseType?.payloadSchema}
      label={(name) => labelsOf.field(name)}
      testId="payload"
      render={render}
    />
  );
}

/**
 * A stage's recorded data with its structured parts said in words: a meeting as date, who attended and how each
 * voted, the tally and the resolution; a vote's tally as counts. Other values are shown as recorded.
 */
function readableStageData(values: Record<string, unknown>, i: I18n, name: (id: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  const tallyText = (tally: { for?: number; against?: number; abstain?: number }) =>
    i.t('timeline.tally', { for: tally.for ?? 0, against: tally.against ?? 0, abstain: tally.abstain ?? 0 });
  if (values.tally && typeof values.tally === 'object') out.tally = tallyText(values.tally);
  const meeting = values.meeting as
    | {
        meetingDate?: string;
        resolution?: string;
        members?: { userId: string; attendance?: string; vote?: string }[];
        tally?: { expected?: number; present?: number; for?: number; against?: number; abstain?: number };
      }
    | undefined;
  if (meeting && typeof meeting === 'object') {
    const parts: string[] = [];
    if (meeting.meetingDate) parts.push(`${i.t('form.meetingDate')}: ${i.date(meeting.meetingDate)}`);
    if (meeting.members?.length)
      parts.push(
        meeting.members
          .map((m) =>
            [
              name(m.userId),
              m.attendance && i.tx(`form.attendance.${m.attendance}`, m.attendance),
              m.vote && i.tx(`vote.${m.vote}`, m.vote),
            ]
              .filter(Boolean)
              .join(' · '),
          )
          .join(', '),
      );
    if (meeting.tally) {
      const tally = meeting.tally;
      parts.push(i.t('form.tally', { expected: tally.expected ?? 0, present: tally.present ?? 0, for: tally.for ?? 0 }));
      parts.push(tallyText(tally));
    }
    if (meeting.resolution) parts.push(`${i.t('form.meetingResolution')}: ${meeting.resolution}`);
    out.meeting = parts.join(' / ');
  }
  return out;
}

export function StageDataView({ dossier, caseType }: { dossier: Dossier; caseType: CaseType | undefined }) {
  const i = useI18n();
  const name = useUserNames();
  const entries = Object.entries(dossier.stageData ?? {}).filter(([, v]) => v && Object.keys(v).length > 0);
  if (entries.length === 0) return null;
  return (
    <section className="card" aria-labelledby="stagedata-title">
      <h2 id="stagedata-title">{i.t('case.stageData')}</h2>
      {entries.map(([key, values]) => {
        const stage = caseType?.stages.find((s) => s.id === key);
        const title = dossier.process.stages.find((s) => s.id === key)?.title;
        return (
          <div key={key}>
            <h3>{title ? i.loc(title) : key}</h3>
            <ValuesList
              values={readableStageData(values, i, name)}
              schema={stage?.dataSchema}
              label={(name, p) =>
                name === 'tally'
                  ? i.t('case.tally')
                  : name === 'minutes'
                    ? i.t('form.minutes')
                    : name === 'meeting'
                      ? i.t('case.meeting')
                      : stageFieldLabel(i.lang, name, p)
              }
            />
          </div>
        );
      })}
    </section>
  );
}

/**
 * The reasons as sentences, checked at submission; a re-check says "与提交时一致" unless something changed, and then
 * only what changed.
 */
export function EligibilityView({ dossier }: { dossier: Dossier }) {
  const i = useI18n();
  const { t } = i;
  const at = dossier.eligibility.atSubmission;
  return (
    <div className="eligibility" data-testid="eligibility">
      <h3>{t('case.reasons')}</h3>
      {at ? (
        <>
          <p className={at.eligible ? 'verdict ok' : 'verdict bad'}>{at.eligible ? t('submit.eligible') : t('submit.notEligible')}</p>
          {at.reasons.length > 0 ? <EligibilityList reasons={at.reasons} /> : <p className="muted">{t('case.noRules')}</p>}
        </>
      ) : (
        <p className="muted">{t('common.none')}</p>
      )}
      {dossier.eligibility.rechecks.map((r) => {
        const changed = r.reasons.filter((now) => {
          const before = at?.reasons.find((b) => b.ruleId === now.ruleId);
          return !before || before.passed !== now.passed || before.detail.zh !== now.detail.zh;
        });
        const same = at !== null && r.eligible === at.eligible && changed.length === 0 && r.reasons.length === at.reasons.length;
        return (
          <div key={r.seq} className="recheck" data-testid="recheck" data-same={same}>
            <p>
              {t('case.recheckLine', {
                date: i.dateTime(r.at),
                result: same ? t('case.recheckSame') : r.eligible ? t('case.recheckChangedEligible') : t('case.recheckChangedNotEligible'),
              })}
            </p>
            {!same && changed.length > 0 && <EligibilityList reasons={changed} />}
          </div>
        );
      })}
    </div>
  );
}

function ObjectionsView({ dossier }: { dossier: Dossier }) {
  const i = useI18n();
  const { t } = i;
  return (
    <section className="card" aria-labelledby="objections-title">
      <h2 id="objections-title">{t('objection.title')}</h2>
      <ul className="objections" data-testid="objections">
        {dossier.objections.map((o) => (
          <li key={o.id} data-objection={o.id} data-status={o.status}>
            <p>
              <strong>{o.id}</strong> · <UserList ids={[o.by]} /> · <time dateTime={o.at}>{i.dateTime(o.at)}</time> ·{' '}
              <span className={`badge objection-${o.status}`}>{i.tx(`objection.${o.status}`, o.status)}</span>
            </p>
            <blockquote>{o.text}</blockquote>
            {o.resolution && (
              <p>
                {t('objection.ruling')}: {o.resolution} — <UserList ids={o.resolvedBy ? [o.resolvedBy] : []} />{' '}
                {o.resolvedAt && i.dateTime(o.resolvedAt)}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Readable details of an event's data (vote choice, transfer target, return target, tally...). */
function eventDetails(e: CaseEvent, i: I18n, name: (id: string) => string, stageTitle: (key: string) => string): string[] {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  const { t } = i;
  switch (e.action) {
    case 'vote':
      if (typeof d.choice === 'string') out.push(`${t('form.choice')}: ${i.tx(`vote.${d.choice}`, d.choice)}`);
      break;
    case 'transfer':
      if (typeof d.to === 'string') out.push(`${t('form.transferTo')}: ${name(d.to)}`);
      break;
    case 'add-approver':
      if (typeof d.userId === 'string')
        out.push(`${t('form.addApprover')}: ${name(d.userId)} (${i.tx(`form.position.${String(d.position)}`, String(d.position))})`);
      break;
    case 'return':
      if (typeof d.to === 'string')
        out.push(`${t('form.returnTo')}: ${d.to === 'applicant' ? t('form.returnToApplicant') : stageTitle(d.to)}`);
      break;
    case 'close-vote': {
      const tally = d.tally as { for?: number; against?: number; abstain?: number } | undefined;
      if (tally) out.push(t('timeline.tally', { for: tally.for ?? 0, against: tally.against ?? 0, abstain: tally.abstain ?? 0 }));
      break;
    }
    case 'record-meeting': {
      const meeting = d.meeting as
        | {
            meetingDate?: string;
            resolution?: string;
            tally?: { expected?: number; present?: number; for?: number; against?: number; abstain?: number };
          }
        | undefined;
      const tally = meeting?.tally;
      if (meeting?.meetingDate) out.push(`${t('form.meetingDate')}: ${i.date(meeting.meetingDate)}`);
      if (tally) {
        out.push(t('form.tally', { expected: tally.expected ?? 0, present: tally.present ?? 0, for: tally.for ?? 0 }));
        out.push(t('timeline.tally', { for: tally.for ?? 0, against: tally.against ?? 0, abstain: tally.abstain ?? 0 }));
      }
      if (meeting?.resolution) out.push(`${t('form.meetingResolution')}: ${meeting.resolution}`);
      break;
    }
    case 'decided_by_data': {
      const reason = d.reason as { zh: string; en: string } | undefined;
      if (reason) out.push(i.loc(reason));
      break;
    }
    case 'reason_joined':
      if (typeof d.detail === 'string') out.push(d.detail);
      break;
    case 'stage_opened':
      if (Array.isArray(d.assignees)) out.push(`${t('case.waitingFor')}: ${(d.assignees as string[]).map(name).join(', ') || '—'}`);
      if (typeof d.dueAt === 'string') out.push(`${t('case.due')}: ${i.dateTime(d.dueAt)}`);
      break;
    case 'notice_opened':
    case 'notice_resumed':
      if (typeof d.dueAt === 'string') out.push(`${t('case.due')}: ${i.dateTime(d.dueAt)}`);
      break;
    case 'eligibility_rechecked':
      if (typeof d.eligible === 'boolean') out.push(d.eligible ? t('submit.eligible') : t('submit.notEligible'));
      break;
    case 'resolve-objection':
      if (typeof d.resolution === 'string') out.push(`${t('form.resolution')}: ${i.tx(`objection.${d.resolution}`, d.resolution)}`);
      if (typeof d.effect === 'string') out.push(`${t('form.effect')}: ${i.tx(`form.effect.${d.effect}`, d.effect)}`);
      break;
    case 'copied':
      if (Array.isArray(d.observers)) out.push(`${t('timeline.copiedTo')}: ${(d.observers as string[]).map(name).join(', ') || '—'}`);
      break;
    case 'escalated':
      if (Array.isArray(d.added)) out.push(`${t('timeline.added')}: ${(d.added as string[]).map(name).join(', ')}`);
      break;
    case 'complete':
    case 'outcome_applied':
      if (typeof d.outcome === 'string') out.push(`${t('case.outcome')}: ${i.tx(`outcome.${d.outcome}`, d.outcome)}`);
      break;
    default:
      break;
  }
  return out;
}

/** The case's history: what people did, in order; the system's own records between them folded into one line. */
export function Timeline({ events, dossier }: { events: CaseEvent[]; dossier: Dossier | undefined }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const name = useUserNames();
  const stageTitle = (key: string) => {
    const s = dossier?.process.stages.find((x) => x.id === key);
    return s ? i.loc(s.title) : key;
  };
  const groups: { system: boolean; events: CaseEvent[] }[] = [];
  for (const e of events) {
    const system = e.actorId === null;
    const last = groups[groups.length - 1];
    if (last && last.system && system) last.events.push(e);
    else groups.push({ system, events: [e] });
  }
  const item = (e: CaseEvent) => {
    const details = eventDetails(e, i, name, stageTitle);
    return (
      <li key={e.seq} data-action={e.action} data-seq={e.seq}>
        <div className="timeline-head">
          <span className="event-action">{l.event(e.action)}</span>
          {e.stage && <span className="muted"> · {stageTitle(e.stage)}</span>}
          <time dateTime={e.at} className="muted event-time">
            {i.dateTime(e.at)}
          </time>
        </div>
        <div className="timeline-meta">
          <span data-testid="event-actor">{e.actorId ? actedBy(e, name, i.t) : t('timeline.system')}</span>
          {e.fromStatus && e.fromStatus !== e.toStatus && (
            <span className="muted">
              {' '}
              · {l.status(e.fromStatus)} → {l.status(e.toStatus)}
            </span>
          )}
        </div>
        {e.comment && <blockquote className="event-comment">{e.comment}</blockquote>}
        {details.length > 0 && <p className="muted event-details">{details.join(' · ')}</p>}
      </li>
    );
  };
  return (
    <ol className="timeline" data-testid="timeline">
      {groups.map((g) =>
        g.system ? (
          <li key={`system-${g.events[0]?.seq}`} className="system-events">
            <details>
              <summary>{t('timeline.systemEvents', { n: g.events.length })}</summary>
              <ol className="timeline">{g.events.map(item)}</ol>
            </details>
          </li>
        ) : (
          g.events.map(item)
        ),
      )}
    </ol>
  );
}
