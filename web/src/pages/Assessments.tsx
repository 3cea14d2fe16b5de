import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { api } from '../api';
import { ErrorMessage, Loading, PageTitle, ResponsiveTable, StatusBadge } from '../components/common';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { Link, navigate } from '../router';
import type { AnnualAssessment, AnnualAssessmentStep } from '../types';

const RESULTS = ['excellent', 'competent', 'basically_competent', 'incompetent'] as const;
type Result = (typeof RESULTS)[number];

/**
 * The annual assessment (年度考核) of a community: a community clerk opens the year (every worker in service gets a
 * case of their own), and anyone who sees it follows each worker to the records.
 */
export function Assessments() {
  const { t } = useI18n();
  const uid = useId();
  const [communityId, setCommunityId] = useState('');
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const open = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const a = await api<AnnualAssessment>('/assessments', {
        method: 'POST',
        body: { communityId: communityId.trim(), year: Number(year) },
      });
      navigate(`/assessments/${encodeURIComponent(a.id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const find = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/assessments/${encodeURIComponent(`annual-assessment-${communityId.trim()}-${year}`)}`);
  };

  return (
    <>
      <PageTitle>{t('assessments.title')}</PageTitle>
      <p className="lead">{t('assessments.intro')}</p>
      <form className="stack" onSubmit={(e) => void open(e)} data-testid="open-assessment">
        <label htmlFor={`${uid}-community`}>{t('assessments.community')}</label>
        <input id={`${uid}-community`} value={communityId} onChange={(e) => setCommunityId(e.target.value)} required maxLength={100} />
        <label htmlFor={`${uid}-year`}>{t('assessments.year')}</label>
        <input id={`${uid}-year`} type="number" value={year} onChange={(e) => setYear(e.target.value)} required min={2000} max={2100} />
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? t('common.working') : t('assessments.open')}
          </button>
          <button type="button" className="secondary" onClick={find} disabled={!communityId.trim()}>
            {t('assessments.find')}
          </button>
        </div>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
    </>
  );
}

type StepItem = AnnualAssessmentStep['items'][number];

/**
 * A step's form: sends, shows the refusal (with the rule and figures the server names), the cases that refused it
 * (the sender is recused from their own: someone else sends it again) and those it reaches once they get there.
 */
function Step({
  title,
  testId,
  children,
  send,
  onDone,
  nameOf,
}: {
  title: string;
  testId: string;
  children?: ReactNode;
  send: () => Promise<unknown>;
  onDone: () => void;
  nameOf: (workerId: string) => string;
}) {
  const i = useI18n();
  const { t } = i;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unreached, setUnreached] = useState<StepItem[]>([]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setUnreached([]);
    try {
      const result = (await send()) as Partial<AnnualAssessmentStep> | undefined;
      setUnreached((result?.items ?? []).filter((item) => !item.recorded));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const waiting = unreached.filter((u) => u.pending && !u.problem);
  const refused = unreached.filter((u) => !waiting.includes(u));
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} data-testid={testId}>
      <h2>{title}</h2>
      {children}
      <div className="buttons">
        <button type="submit" disabled={busy}>
          {busy ? t('common.working') : title}
        </button>
      </div>
      {error ? <ErrorMessage error={error} /> : null}
      {refused.length > 0 ? (
        <div role="status" data-testid={`${testId}-refused`}>
          <p>{t('assessments.unreached')}</p>
          <ul>
            {refused.map((u) => (
              <li key={u.workerId} data-worker-id={u.workerId}>
                {nameOf(u.workerId)}: {i.lang === 'en' ? (u.problem?.detail ?? '') : t('assessments.refusedHere')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {waiting.length > 0 ? (
        <div role="status" data-testid={`${testId}-waiting`}>
          <p>{t('assessments.waiting')}</p>
          <ul>
            {waiting.map((u) => (
              <li key={u.workerId} data-worker-id={u.workerId}>
                {nameOf(u.workerId)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </form>
  );
}

/** One assessment: each worker's case, scores and result, and the step the list is at. */
export function AssessmentPage({ id }: { id: string }) {
  const i = useI18n();
  const { t } = i;
  const uid = useId();
  const loaded = useGet<AnnualAssessment>(`/assessments/${encodeURIComponent(id)}`);
  const [worker, setWorker] = useState('');
  const [report, setReport] = useState('');
  const [sheet, setSheet] = useState('');
  const [proposed, setProposed] = useState<Record<string, { result: Result; reason: string }>>({});
  const [reviewReason, setReviewReason] = useState('');
  const [corrected, setCorrected] = useState<Result>('competent');
  const [correctionReason, setCorrectionReason] = useState('');
  if (loaded.error) return <ErrorMessage error={loaded.error} onRetry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const a = loaded.data;
  const path = `/assessments/${encodeURIComponent(a.id)}`;
  const post = (step: string, body: unknown) => api<unknown>(`${path}/${step}`, { method: 'POST', body });
  const resultLabel = (r: string) => i.tx(`worker.assessment.${r}`, r);
  const chosen = worker || (a.members[0]?.workerId ?? '');
  const nameOf = (workerId: string) => {
    const m = a.members.find((x) => x.workerId === workerId);
    return m?.name ?? workerId; // by name: ids are not for the people using the page
  };
  // Sent again by someone else (a case refused the first sender), the list is the one recorded.
  const recordedResult = (workerId: string) => {
    const r = a.proposal?.results.find((x) => x.workerId === workerId);
    return r ? { result: r.result, reason: r.reason ?? '' } : undefined;
  };
  const workerPicker = (
    <>
      <label htmlFor={`${uid}-worker`}>{t('assessments.worker')}</label>
      <select id={`${uid}-worker`} value={chosen} onChange={(e) => setWorker(e.target.value)}>
        {a.members.map((m) => (
          <option key={m.workerId} value={m.workerId}>
            {m.name ?? m.workerId}
          </option>
        ))}
      </select>
    </>
  );
  // One score a line: "who, residents|colleagues, score" (the full-width comma too).
  const scores = () =>
    sheet
      .split('\n')
      .map((line) => line.split(/[,\uFF0C]/).map((p) => p.trim()))
      .filter((p) => p.length === 3)
      .map(([evaluator, group, score]) => ({ evaluator, group, score: Number(score) }));
  const proposal = () => ({
    results: a.members.map((m) => {
      const p = proposed[m.workerId] ?? recordedResult(m.workerId) ?? { result: 'competent', reason: '' };
      return { workerId: m.workerId, result: p.result, ...(p.reason.trim() ? { reason: p.reason.trim() } : {}) };
    }),
  });

  return (
    <>
      <PageTitle>{t('assessments.assessment', { community: a.orgUnitId, year: a.year })}</PageTitle>
      <dl className="facts" data-testid="assessment-facts">
        <dt>{t('assessments.stage')}</dt>
        <dd data-stage={a.stage}>{i.tx(`assessments.stage.${a.stage}`, a.stage)}</dd>
        <dt>{t('assessments.reviewEnds')}</dt>
        <dd>{a.notification ? new Date(a.notification.reviewEndsAt).toLocaleString(i.lang) : '—'}</dd>
      </dl>
      <ResponsiveTable
        rows={a.members}
        rowKey={(m) => m.workerId}
        rowAttributes={(m) => ({ 'data-worker-id': m.workerId })}
        caption={t('assessments.members')}
        testId="assessment-members"
        columns={[
          {
            label: t('case.subject'),
            cell: (m) => (
              <>
                {/* By name; the record id (w-jsl-03) only while the case that names the worker is being opened. */}
                <Link to={`/cases/${encodeURIComponent(m.caseId)}`}>{m.name ?? m.workerId}</Link>
              </>
            ),
          },
          { label: t('case.stage'), cell: (m) => (m.currentStage ? i.loc(m.currentStage.title) : '—') },
          { label: t('case.status'), cell: (m) => <StatusBadge status={m.status} /> },
          { label: t('assessments.score'), cell: (m) => (m.evaluationScore === null ? '—' : `${m.evaluationScore} (${m.scores.length})`) },
          { label: t('assessments.confirmed'), cell: (m) => (m.outcome ? resultLabel(m.outcome) : '—') },
          { label: t('assessments.recorded'), cell: (m) => (m.recorded ? resultLabel(m.recorded.result) : '—') },
        ]}
      />
      <button type="button" className="secondary" onClick={loaded.reload}>
        {t('common.refresh')}
      </button>

      {a.stage === 'evaluation' ? (
        <>
          <Step
            title={t('assessments.selfReport')}
            testId="self-report"
            send={() => post('self-reports', { workerId: chosen, report })}
            onDone={loaded.reload}
            nameOf={nameOf}
          >
            {workerPicker}
            <label htmlFor={`${uid}-report`}>{t('assessments.report')}</label>
            <textarea id={`${uid}-report`} value={report} onChange={(e) => setReport(e.target.value)} rows={3} required />
          </Step>
          <Step
            title={t('assessments.scores')}
            testId="scores"
            send={() => post('scores', { workerId: chosen, scores: scores() })}
            onDone={loaded.reload}
            nameOf={nameOf}
          >
            {workerPicker}
            <label htmlFor={`${uid}-sheet`}>{t('assessments.sheet')}</label>
            <textarea
              id={`${uid}-sheet`}
              value={sheet}
              onChange={(e) => setSheet(e.target.value)}
              rows={4}
              required
              placeholder={t('assessments.sheetPlaceholder')}
            />
          </Step>
        </>
      ) : null}
      {a.stage === 'evaluation' ||
      (a.stage === 'confirmation' && a.members.some((m) => ['evaluation', 'proposal'].includes(m.currentStage?.id ?? ''))) ? (
        <Step
          title={t('assessments.propose')}
          testId="proposal"
          send={() => post('proposal', proposal())}
          onDone={loaded.reload}
          nameOf={nameOf}
        >
          {a.members.map((m) => {
            const p = proposed[m.workerId] ?? recordedResult(m.workerId) ?? { result: 'competent' as Result, reason: '' };
            const set = (next: Partial<typeof p>) => setProposed({ ...proposed, [m.workerId]: { ...p, ...next } });
            return (
              <fieldset key={m.workerId} data-worker-id={m.workerId}>
                <legend>{m.name ?? m.workerId}</legend>
                <label htmlFor={`${uid}-r-${m.workerId}`}>{t('assessments.result')}</label>
                <select id={`${uid}-r-${m.workerId}`} value={p.result} onChange={(e) => set({ result: e.target.value as Result })}>
                  {RESULTS.map((r) => (
                    <option key={r} value={r}>
                      {resultLabel(r)}
                    </option>
                  ))}
                </select>
                <label htmlFor={`${uid}-why-${m.workerId}`}>{t('assessments.reason')}</label>
                <input
                  id={`${uid}-why-${m.workerId}`}
                  value={p.reason}
                  onChange={(e) => set({ reason: e.target.value })}
                  maxLength={4000}
                />
              </fieldset>
            );
          })}
        </Step>
      ) : null}
      {a.stage === 'confirmation' && (!a.confirmation || a.members.some((m) => m.currentStage?.id === 'street-confirmation')) ? (
        <Step
          title={t('assessments.confirm')}
          testId="confirmation"
          send={() => post('confirmation', {})}
          onDone={loaded.reload}
          nameOf={nameOf}
        />
      ) : null}
      {(a.stage === 'confirmation' && (a.confirmation !== null || a.members.some((m) => m.currentStage?.id === 'notification'))) ||
      (a.stage === 'review' && a.members.some((m) => m.currentStage?.id === 'notification')) ? (
        <Step
          title={t('assessments.notify')}
          testId="notification"
          send={() => post('notification', {})}
          onDone={loaded.reload}
          nameOf={nameOf}
        />
      ) : null}
      {a.stage === 'review' ? (
        <Step
          title={t('assessments.review')}
          testId="review"
          send={() => post('reviews', { workerId: chosen, reason: reviewReason })}
          onDone={loaded.reload}
          nameOf={nameOf}
        >
          {workerPicker}
          <label htmlFor={`${uid}-review`}>{t('assessments.reviewReason')}</label>
          <textarea id={`${uid}-review`} value={reviewReason} onChange={(e) => setReviewReason(e.target.value)} rows={2} required />
        </Step>
      ) : null}
      {a.stage === 'review' || a.stage === 'closed' ? (
        <Step
          title={t('assessments.correct')}
          testId="correction"
          send={() =>
            post('corrections', {
              workerId: chosen,
              result: corrected,
              ...(correctionReason.trim() ? { reason: correctionReason.trim() } : {}),
            })
          }
          onDone={loaded.reload}
          nameOf={nameOf}
        >
          {workerPicker}
          <label htmlFor={`${uid}-corrected`}>{t('assessments.result')}</label>
          <select id={`${uid}-corrected`} value={corrected} onChange={(e) => setCorrected(e.target.value as Result)}>
            {RESULTS.map((r) => (
              <option key={r} value={r}>
                {resultLabel(r)}
              </option>
            ))}
          </select>
          <label htmlFor={`${uid}-correction-reason`}>{t('assessments.reason')}</label>
          <input
            id={`${uid}-correction-reason`}
            value={correctionReason}
            onChange={(e) => setCorrectionReason(e.target.value)}
            maxLength={4000}
          />
        </Step>
      ) : null}
    </>
  );
}
