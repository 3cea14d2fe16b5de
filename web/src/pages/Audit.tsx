import { useState, type FormEvent } from 'react';
import { api, download, query, saveBlob } from '../api';
import { CaseTable } from '../components/CaseTable';
import { ErrorMessage, FilterSelect, ListState, Loading, MoreButton, PageTitle, ResponsiveTable } from '../components/common';
import { useCaseTypeChoices, useCaseTypes, useGet, usePagedGet, useUserNames } from '../hooks';
import { labels, useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import {
  CASE_EVENTS,
  CASE_STATUSES,
  type AuditEventPage,
  type CaseEvent,
  type CasePage,
  type LedgerLatest,
  type Verification,
} from '../types';

/**
 * Calendar days as the person means them, in their own time zone, as the instants the API takes: from the
 * start of the first day to the start of the day after the last, so the end day counts.
 */
export function dayRange(from: string, to: string): { from?: string; to?: string } {
  const start = (day: string) => new Date(`${day}T00:00:00`);
  const range: { from?: string; to?: string } = {};
  if (from) range.from = start(from).toISOString();
  if (to) {
    const end = start(to);
    end.setDate(end.getDate() + 1);
    range.to = end.toISOString();
  }
  return range;
}

const TABS = ['cases', 'events', 'verify'] as const;
type Tab = (typeof TABS)[number];

/** The auditors' page: search cases and events, export the trail, verify every hash chain. */
export function Audit() {
  const { t } = useI18n();
  const { search } = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'cases';
  return (
    <>
      <PageTitle>{t('audit.title')}</PageTitle>
      <p className="lead">{t('audit.intro')}</p>
      <div className="tabs" role="tablist" aria-label={t('audit.title')}>
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            id={`tab-${x}`}
            aria-selected={tab === x}
            aria-controls={`panel-${x}`}
            className={tab === x ? 'tab active' : 'tab'}
            onClick={() => navigate(`/audit?tab=${x}`, { replace: true })}
          >
            {t(`audit.tab.${x}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'cases' && <CaseSearch />}
        {tab === 'events' && <EventSearch />}
        {tab === 'verify' && <VerifyAll />}
      </div>
    </>
  );
}

function CaseSearch() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const caseTypes = useCaseTypeChoices();
  const empty = { q: '', type: '', status: '', overdue: '', submittedFrom: '', submittedTo: '', sort: '-submittedAt' };
  const [form, setForm] = useState(empty);
  const [applied, setApplied] = useState(empty);
  const submitted = dayRange(applied.submittedFrom, applied.submittedTo);
  const page = usePagedGet<CasePage>('/cases', { ...applied, submittedFrom: submitted.from, submittedTo: submitted.to, limit: 50 });
  const items = page.items;
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const choose = (k: keyof typeof empty) => (value: string) => setForm({ ...form, [k]: value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(form);
    page.refresh(); // the same search again reads afresh from the first page
  };
  return (
    <>
      <form className="filters" onSubmit={submit} aria-label={t('common.filters')}>
        <div className="field grow">
          <label htmlFor="ac-q">{t('audit.caseQuery')}</label>
          <input id="ac-q" type="search" value={form.q} onChange={set('q')} />
        </div>
        <FilterSelect id="ac-type" label={t('case.type')} value={form.type} onChange={choose('type')} options={caseTypes} />
        <FilterSelect
          id="ac-status"
          label={t('case.status')}
          value={form.status}
          onChange={choose('status')}
          options={CASE_STATUSES.map((s) => ({ value: s, label: l.status(s) }))}
        />
        <FilterSelect
          id="ac-overdue"
          label={t('case.overdue')}
          value={form.overdue}
          onChange={choose('overdue')}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
        />
        <div className="field">
          <label htmlFor="ac-from">{t('audit.submittedFrom')}</label>
          <input id="ac-from" type="date" value={form.submittedFrom} onChange={set('submittedFrom')} />
        </div>
        <div className="field">
          <label htmlFor="ac-to">{t('audit.submittedTo')}</label>
          <input id="ac-to" type="date" value={form.submittedTo} onChange={set('submittedTo')} />
        </div>
        <div className="field">
          <label htmlFor="ac-sort">{t('audit.sort')}</label>
          <select id="ac-sort" value={form.sort} onChange={set('sort')}>
            <option value="-submittedAt">{t('audit.sort.newest')}</option>
            <option value="submittedAt">{t('audit.sort.oldest')}</option>
            <option value="dueAt">{t('audit.sort.due')}</option>
          </select>
        </div>
        <button type="submit">{t('common.search')}</button>
      </form>
      <ListState list={page} empty={t('audit.noCases')} total={page.data?.total} />
      {items.length > 0 && <CaseTable items={items} showAssignees caption={t('audit.tab.cases')} />}
      <MoreButton onMore={page.more} />
    </>
  );
}

function EventSearch() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const name = useUserNames();
  const types = useCaseTypes();
  const stageName = (type: string | undefined, stage: string | null) => {
    if (!stage) return '';
    const found = types.data?.items.find((ct) => ct.type === type)?.stages.find((s) => s.id === stage);
    return found ? i.loc(found.title) : t('audit.addedStage');
  };
  const typeName = (type: string) => i.loc(types.data?.items.find((ct) => ct.type === type)?.title) || type;
  const empty = { from: '', to: '', actorId: '', q: '', action: '' };
  const [form, setForm] = useState(empty);
  const [applied, setApplied] = useState(empty);
  const [exporting, setExporting] = useState<'csv' | 'json' | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const filters = { ...applied, ...dayRange(applied.from, applied.to) };
  const page = usePagedGet<AuditEventPage>('/audit/events', { ...filters, limit: 100 });
  const items = page.items;
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value.trim() });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setApplied(form);
    page.refresh(); // the same search again reads afresh from the first page
  };
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');

  const exportAs = async (format: 'csv' | 'json') => {
    setExporting(format);
    setExportError(null);
    try {
      if (format === 'csv') {
        await download(`/audit/events${query({ ...filters, format: 'csv' })}`, `case-events-${stamp}.csv`, 'text/csv');
      } else {
        // JSON: every page of the search, followed to the end.
        const all: CaseEvent[] = [];
        let next: string | null = null;
        do {
          const res: { items: CaseEvent[]; nextCursor: string | null } = await api(
            `/audit/events${query({ ...filters, limit: 1000, cursor: next })}`,
          );
          all.push(...res.items);
          next = res.nextCursor;
        } while (next);
        saveBlob(
          new Blob([JSON.stringify({ exportedAt: new Date().toISOString(), filters: applied, items: all }, null, 2)], {
            type: 'application/json',
          }),
          `case-events-${stamp}.json`,
        );
      }
    } catch (err) {
      setExportError(err);
    } finally {
      setExporting(null);
    }
  };

  return (
    <>
      <form className="filters" onSubmit={submit} aria-label={t('common.filters')}>
        <div className="field">
          <label htmlFor="ae-from">{t('audit.from')}</label>
          <input id="ae-from" type="date" value={form.from} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="ae-to">{t('audit.to')}</label>
          <input id="ae-to" type="date" value={form.to} onChange={set('to')} />
        </div>
        <div className="field">
          <label htmlFor="ae-actor">{t('audit.actorId')}</label>
          <input id="ae-actor" type="text" value={form.actorId} onChange={set('actorId')} />
        </div>
        <div className="field grow">
          <label htmlFor="ae-case">{t('audit.eventCaseQuery')}</label>
          <input id="ae-case" type="search" value={form.q} onChange={set('q')} />
        </div>
        <FilterSelect
          id="ae-action"
          label={t('audit.action')}
          value={form.action}
          onChange={(action) => setForm({ ...form, action })}
          options={CASE_EVENTS.map((a) => ({ value: a, label: l.event(a) }))}
        />
        <button type="submit">{t('common.search')}</button>
      </form>
      <div className="actions-row">
        <button type="button" className="secondary" onClick={() => void exportAs('csv')} disabled={exporting !== null} data-export="csv">
          {exporting === 'csv' ? t('common.working') : t('audit.exportCsv')}
        </button>
        <button type="button" className="secondary" onClick={() => void exportAs('json')} disabled={exporting !== null} data-export="json">
          {exporting === 'json' ? t('common.working') : t('audit.exportJson')}
        </button>
      </div>
      {exportError ? <ErrorMessage error={exportError} /> : null}
      <ListState list={page} empty={t('audit.noEvents')} />
      {items.length > 0 && (
        <ResponsiveTable
          rows={items}
          rowKey={(e) => `${e.caseId}-${e.seq}`}
          caption={t('audit.tab.events')}
          className="events"
          testId="audit-events"
          columns={[
            { label: t('audit.at'), cell: (e) => <time dateTime={e.at}>{i.dateTimeSeconds(e.at)}</time> },
            {
              label: t('audit.subject'),
              cell: (e) => (
                <>
                  <Link to={`/cases/${encodeURIComponent(e.caseId)}`} data-testid="audit-subject">
                    {e.case ? `${typeName(e.case.type)} · ${e.case.subjectName}` : e.caseId.slice(0, 8)}
                  </Link>{' '}
                  <code className="muted" title={e.caseId}>
                    {e.caseId.slice(0, 8)} #{e.seq}
                  </code>
                </>
              ),
            },
            { label: t('audit.stage'), cell: (e) => stageName(e.case?.type, e.stage) },
            { label: t('audit.action'), cell: (e) => l.event(e.action) },
            { label: t('audit.actorId'), cell: (e) => (e.actorId ? name(e.actorId) : t('timeline.system')) },
            {
              label: t('case.status'),
              cell: (e) => `${e.fromStatus && e.fromStatus !== e.toStatus ? `${l.status(e.fromStatus)} → ` : ''}${l.status(e.toStatus)}`,
            },
            { label: t('form.comment'), cell: (e) => e.comment ?? '' },
          ]}
        />
      )}
      <MoreButton onMore={page.more} />
    </>
  );
}

function VerifyAll() {
  const i = useI18n();
  const { t } = i;
  const [result, setResult] = useState<{ data?: Verification; error?: unknown; loading: boolean }>({ loading: false });
  const run = async () => {
    setResult({ loading: true });
    try {
      setResult({ data: await api<Verification>('/audit/verify'), loading: false });
    } catch (error) {
      setResult({ error, loading: false });
    }
  };
  const latest = useGet<LedgerLatest>('/ledger/checkpoints/latest');
  const checkpoint = latest.data?.checkpoint;
  return (
    <section className="card">
      <p data-testid="ledger-checkpoint" data-size={checkpoint?.size ?? 0} data-valid={latest.data?.signatureValid ?? false}>
        {latest.error
          ? null
          : !latest.data
            ? t('common.loading')
            : !checkpoint
              ? t('audit.checkpointNone')
              : t(latest.data.signatureValid ? 'audit.checkpoint' : 'audit.checkpointBadSignature', {
                  size: checkpoint.size,
                  at: i.dateTimeSeconds(checkpoint.at),
                  unsigned: latest.data.ledgerSize - checkpoint.size,
                })}
        {checkpoint && (
          <>
            {' '}
            <code title={t('audit.checkpointKey')}>{checkpoint.headHash.slice(0, 16)}…</code>
          </>
        )}
      </p>
      {latest.error ? <ErrorMessage error={latest.error} onRetry={latest.reload} /> : null}
      <p>{t('audit.verifyIntro')}</p>
      <button type="button" onClick={() => void run()} disabled={result.loading} data-testid="verify-all">
        {t('audit.verifyAll')}
      </button>
      {result.loading && <Loading label={t('timeline.verifying')} />}
      {result.error ? <ErrorMessage error={result.error} onRetry={() => void run()} /> : null}
      {result.data && (
        <p className={result.data.ok ? 'verdict ok' : 'verdict bad'} data-testid="verify-all-result" data-ok={result.data.ok} role="status">
          {result.data.ok
            ? t('audit.verifyOk', { cases: result.data.cases, events: result.data.checked })
            : t('audit.verifyBroken', {
                caseId: result.data.firstBroken?.caseId ?? '',
                seq: result.data.firstBroken?.seq ?? '',
                reason: result.data.firstBroken?.reason ?? '',
              })}
        </p>
      )}
    </section>
  );
}
