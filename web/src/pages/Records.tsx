import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { api, query } from '../api';
import { CaseTable } from '../components/CaseTable';
import { ErrorMessage, FilterSelect, formatValue, ListState, Loading, MoreButton, PageTitle, ResponsiveTable } from '../components/common';
import { useGet, useOrgUnitName, usePagedGet, useUserNames } from '../hooks';
import { labels, useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import type { CasePage, NationalIdReveal, WorkerDetail, WorkerPage as WorkerListPage } from '../types';

const WORKER_STATUSES = ['active', 'exited', 'recruited'];
const POST_TYPES = ['head', 'deputy', 'general'];

/** The personnel records the caller may read, searchable. */
export function Records() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const orgName = useOrgUnitName();
  const [q, setQ] = useState('');
  const [debounced, setDebounced] = useState('');
  const [status, setStatus] = useState('');
  const [postType, setPostType] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const page = usePagedGet<WorkerListPage>('/workers', { q: debounced, status, postType, limit: 50 });
  const items = page.items;

  return (
    <>
      <PageTitle>{t('records.title')}</PageTitle>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('common.filters')}>
        <div className="field grow">
          <label htmlFor="records-q">{t('records.search')}</label>
          <input
            id="records-q"
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('submit.searchPlaceholder')}
          />
        </div>
        <FilterSelect
          id="records-status"
          label={t('records.status')}
          value={status}
          onChange={setStatus}
          options={WORKER_STATUSES.map((s) => ({ value: s, label: l.worker('status', s) }))}
        />
        <FilterSelect
          id="records-post"
          label={t('records.postType')}
          value={postType}
          onChange={setPostType}
          options={POST_TYPES.map((s) => ({ value: s, label: l.worker('postType', s) }))}
        />
      </form>
      <ListState list={page} empty={t('submit.noWorkers')} total={page.data?.total} />
      {items.length > 0 && (
        <ResponsiveTable
          rows={items}
          rowKey={(w) => w.id}
          caption={t('records.title')}
          testId="workers"
          columns={[
            {
              label: t('records.name'),
              cell: (w) => (
                <>
                  <Link to={`/records/${encodeURIComponent(w.id)}`}>{w.name}</Link>
                </>
              ),
            },
            { label: t('records.orgUnit'), cell: (w) => orgName(w.orgUnitId) },
            { label: t('records.postType'), cell: (w) => l.worker('postType', w.postType) },
            { label: t('records.grade'), cell: (w) => t('worker.gradeN', { n: w.grade }) },
            { label: t('records.nationalId'), cell: (w) => <code>{w.nationalId}</code> },
            { label: t('records.status'), cell: (w) => l.worker('status', w.status) },
          ]}
        />
      )}
      <MoreButton onMore={page.more} />
    </>
  );
}

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <section className="card">
      <h2>{title}</h2>
      {count === 0 ? <p className="muted">{t('common.none')}</p> : children}
    </section>
  );
}

function CaseLink({ id }: { id: string | null }) {
  const { t } = useI18n();
  if (!id) return <>—</>;
  return <Link to={`/cases/${encodeURIComponent(id)}`}>{t('records.openCase')}</Link>;
}

/** A disciplinary measure on the worker's record, named by its kind and day (an appeal of it names its id). */
function MeasureText({ id, worker }: { id: string; worker: WorkerDetail }) {
  const i = useI18n();
  const l = labels(i);
  const measure = worker.disciplinary.find((d) => d.id === id);
  if (!measure) return <>{i.t('case.reference.unknown')}</>;
  return (
    <>
      {l.worker('discipline', measure.kind)} · {i.date(measure.startDate)}
    </>
  );
}

/**
 * The masked national ID number, and for those who may reveal it a form asking why: the full number is shown
 * only after the reveal is recorded (GB/T 35273 minimisation), and only until the page is left.
 */
function NationalIdNumber({ worker }: { worker: WorkerDetail }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [revealed, setRevealed] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function reveal(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api<NationalIdReveal>(`/workers/${encodeURIComponent(worker.id)}/national-id/reveal`, {
        method: 'POST',
        body: { reason },
      });
      setRevealed(r.nationalId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <>
      <code data-testid="national-id">{revealed ?? worker.nationalId}</code>
      {worker.nationalIdRevealable && revealed === null && (
        <form className="filters" onSubmit={(e) => void reveal(e)} aria-label={t('records.reveal')}>
          <label>
            {t('records.revealReason')}{' '}
            <input value={reason} onChange={(e) => setReason(e.target.value)} minLength={4} maxLength={500} required />
          </label>{' '}
          <button type="submit" disabled={busy}>
            {t('records.reveal')}
          </button>
          {error ? <ErrorMessage error={error} /> : null}
        </form>
      )}
    </>
  );
}

/** One worker's record: masked ID number, grade history, assessments, awards, rulings, clearances, exit triggers. */
export function WorkerPage({ id }: { id: string }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const orgName = useOrgUnitName();
  const name = useUserNames();
  const worker = useGet<WorkerDetail>(`/workers/${encodeURIComponent(id)}`);
  const cases = useGet<CasePage>(`/cases${query({ subjectId: id, limit: 50 })}`);
  if (worker.error) {
    return (
      <>
        <PageTitle>{t('records.title')}</PageTitle>
        <ErrorMessage error={worker.error} onRetry={worker.reload} />
      </>
    );
  }
  if (!worker.data) return <Loading />;
  const w = worker.data;
  const q = w.qualificationDeadline;
  return (
    <article data-testid="worker-page" data-worker={w.id}>
      <div className="page-head">
        <PageTitle>
          {w.name}{' '}
          <span className="muted">{t('common.paren', { text: `${orgName(w.orgUnitId)}·${l.worker('postType', w.postType)}` })}</span>
        </PageTitle>
        {session.has('clerk') && w.status === 'active' && (
          <Link to={`/submit?subject=${encodeURIComponent(w.id)}`} className="button">
            {t('inbox.newCase')}
          </Link>
        )}
      </div>
      <section className="card">
        <h2>{t('records.basics')}</h2>
        <dl className="values">
          <dt>{t('records.nationalId')}</dt>
          <dd>
            <NationalIdNumber worker={w} />
          </dd>
          <dt>{t('records.gender')}</dt>
          <dd>{l.worker('gender', w.gender)}</dd>
          <dt>{t('records.age')}</dt>
          <dd>{t('records.ageN', { n: w.age })}</dd>
          <dt>{t('records.orgUnit')}</dt>
          <dd>{orgName(w.orgUnitId)}</dd>
          <dt>{t('records.postType')}</dt>
          <dd>
            {l.worker('postType', w.postType)} · {l.worker('employmentType', w.employmentType)}
          </dd>
          <dt>{t('records.grade')}</dt>
          <dd>
            {t('worker.gradeN', { n: w.grade })} · {t('records.since', { date: i.date(w.gradeSince) })}
          </dd>
          <dt>{t('records.education')}</dt>
          <dd>{l.worker('education', w.education)}</dd>
          <dt>{t('records.hireDate')}</dt>
          <dd>{i.date(w.hireDate)}</dd>
          <dt>{t('records.postSince')}</dt>
          <dd>{i.date(w.postSince)}</dd>
          <dt>{t('records.partyPost')}</dt>
          <dd>
            {w.partyPost ? l.worker('partyPost', w.partyPost) : t('common.none')}
            {w.secretaryFullTerms > 0 && ` · ${t('records.secretaryTerms', { n: w.secretaryFullTerms })}`}
          </dd>
          <dt>{t('records.residentsCommitteePost')}</dt>
          <dd>{w.residentsCommitteePost ? l.worker('residentsCommitteePost', w.residentsCommitteePost) : t('common.none')}</dd>
          <dt>{t('records.status')}</dt>
          <dd>
            {l.worker('status', w.status)}
            {w.exitHeld && (
              <>
                {' · '}
                <strong>{t('records.exitHeld', { date: i.date(w.exitHeld.since) })}</strong> <CaseLink id={w.exitHeld.appealCaseId} />
              </>
            )}
          </dd>
          <dt>{t('records.qualification')}</dt>
          <dd>
            {l.worker('qualification', w.qualification.level)}
            {w.qualification.obtainedOn && ` · ${t('records.obtainedOn', { date: i.date(w.qualification.obtainedOn) })}`}
            {w.qualification.eligibility && (
              <>
                {` · ${t('records.eligibleSince', { date: i.date(w.qualification.eligibility.since) })}`}
                <br />
                <span className="muted">
                  {t('records.eligibilityEvidence', {
                    basis: l.worker('eligibilityBasis', w.qualification.eligibility.basis),
                    evidence: w.qualification.eligibility.evidence || t('common.none'),
                  })}
                </span>
              </>
            )}
          </dd>
          <dt>{t('records.qualificationDeadline')}</dt>
          <dd data-testid="qualification-deadline">
            {q ? (
              <span className={q.overdue ? 'badge overdue-badge' : q.warn ? 'badge warn' : undefined}>
                {i.date(q.deadline)} · {t('records.countsFrom', { date: i.date(q.countsFrom) })} ·{' '}
                {q.overdue ? t('records.deadlinePassed', { n: -q.daysLeft }) : t('records.daysLeft', { n: q.daysLeft })}
              </span>
            ) : (
              t('records.noDeadline')
            )}
          </dd>
        </dl>
      </section>

      <Section title={t('records.exitTriggers')} count={w.exitTriggers.length}>
        <ul className="reasons">
          {w.exitTriggers.map((x) => (
            <li key={x.ruleId + x.reasonCode} className="failed">
              <span className="reason-mark" aria-hidden="true">
                !
              </span>
              <span className="reason-text">{i.loc(x.detail)}</span>
              {/* The reason's code and rule behind 依据, as for the eligibility reasons (for auditors). */}
              <details className="reason-basis">
                <summary>{t('eligibility.basis')}</summary>
                <code className="rule-id">
                  {x.ruleId} · {x.reasonCode}
                </code>
              </details>
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.gradeHistory')} count={w.gradeHistory.length}>
        <ResponsiveTable
          rows={w.gradeHistory}
          rowKey={(g) => `${g.effectiveFrom}-${g.toGrade}`}
          columns={[
            { label: t('records.effectiveFrom'), cell: (g) => i.date(g.effectiveFrom) },
            { label: t('records.change'), cell: (g) => `${g.fromGrade} → ${g.toGrade}` },
            { label: t('records.reason'), cell: (g) => l.option('kind', g.reason) },
            { label: t('records.case'), cell: (g) => <CaseLink id={g.caseId} /> },
          ]}
        />
      </Section>

      <Section title={t('records.assessments')} count={w.assessments.length}>
        <ul className="chips">
          {w.assessments.map((a) => (
            <li key={a.year} className={`chip assessment-${a.result}`}>
              {a.year}: {l.worker('assessment', a.result)}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.disciplinary')} count={w.disciplinary.length}>
        <ul>
          {w.disciplinary.map((d) => (
            <li key={d.id}>
              {l.worker('discipline', d.kind)} · {i.date(d.startDate)}
              {d.termEnd && ` · ${t('records.termEnd', { date: i.date(d.termEnd) })}`} · {d.reason}
              {d.migratedFrom && <span className="muted"> · {t('records.migratedFrom', { kind: d.migratedFrom })}</span>}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.awards')} count={w.awards.length}>
        <ul>
          {w.awards.map((a) => (
            <li key={a.title + a.awardedOn}>
              {a.title} · {l.option('level', a.level)} · {i.date(a.awardedOn)} <CaseLink id={a.caseId} />
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.rulings')} count={w.errorToleranceRulings.length}>
        <ul>
          {w.errorToleranceRulings.map((r) => (
            <li key={r.caseId}>
              {l.option('ruling', r.ruling)} · {t('records.incident', { date: i.date(r.incidentDate) })} ·{' '}
              {t('records.decidedOn', { date: i.date(r.decidedOn) })}
              {r.correctionRequired &&
                ` · ${t('records.correction')}: ${r.correctionVerifiedOn ? i.date(r.correctionVerifiedOn) : t('records.pending')}`}{' '}
              <CaseLink id={r.caseId} />
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.clearances')} count={w.nameClearances.length + w.returnVisits.length}>
        <ul>
          {w.nameClearances.map((c) => (
            <li key={c.caseId}>
              {c.accusationRef} · {l.option('method', c.method)} · {i.date(c.clearedOn)} · {c.findingSummary} <CaseLink id={c.caseId} />
            </li>
          ))}
          {w.returnVisits.map((v) => (
            <li key={v.visitedOn + v.officerId}>
              {t('records.returnVisit')} · {i.date(v.visitedOn)} · {name(v.officerId)} · {v.notes}
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.statusChanges')} count={w.statusChanges.length}>
        <ul>
          {w.statusChanges.map((s) => (
            <li key={s.effectiveFrom + s.toStatus}>
              {i.date(s.effectiveFrom)} · {l.worker('status', s.fromStatus)} → {l.worker('status', s.toStatus)} · {formatValue(s.reason, i)}{' '}
              <CaseLink id={s.caseId} />
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.secondments')} count={w.secondments.length}>
        <ul>
          {w.secondments.map((s) => (
            <li key={s.from + s.borrowingBody}>
              {s.borrowingBody} · {t('records.secondmentDates', { from: i.date(s.from), to: i.date(s.to) })} · {s.reason}
              {s.extensionOf && <span className="muted"> · {t('records.extension')}</span>} <CaseLink id={s.caseId} />
            </li>
          ))}
        </ul>
      </Section>

      <Section title={t('records.appeals')} count={w.appeals.length}>
        <ul>
          {w.appeals.map((a) => (
            <li key={a.caseId}>
              {l.option('ground', a.ground)} · {l.option('result', a.result)} · {t('records.decidedOn', { date: i.date(a.decidedOn) })} ·{' '}
              {a.reasoning} · {t('records.appealOf')}{' '}
              {a.ground === 'discipline' ? <MeasureText id={a.appealOf} worker={w} /> : <CaseLink id={a.appealOf} />} ·{' '}
              <CaseLink id={a.caseId} />
            </li>
          ))}
        </ul>
      </Section>

      <section className="card">
        <h2>{t('records.cases')}</h2>
        {cases.error ? <ErrorMessage error={cases.error} onRetry={cases.reload} /> : null}
        {cases.loading && <Loading />}
        {cases.data && cases.data.items.length === 0 && <p className="muted">{t('common.none')}</p>}
        {cases.data && cases.data.items.length > 0 && <CaseTable items={cases.data.items} caption={t('records.cases')} />}
      </section>
    </article>
  );
}
