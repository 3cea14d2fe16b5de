import { useState } from 'react';
import { query } from '../api';
import { CaseTable } from '../components/CaseTable';
import { ErrorMessage, Loading, MoreButton, PageTitle } from '../components/common';
import { useCaseTypes, useGet, usePagedGet } from '../hooks';
import { labels, useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { OPEN_STATUSES, type CaseSummary, type Page } from '../types';

/** Cases waiting for me, most urgent first; below them the latest cases I can see. */
export function Inbox() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const types = useCaseTypes();
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const inbox = usePagedGet<CaseSummary>('/inbox', { type, status, limit: 50 });
  const recent = useGet<Page<CaseSummary>>(`/cases${query({ limit: 20, sort: '-submittedAt' })}`);
  const items = inbox.items;

  return (
    <>
      <div className="page-head">
        <PageTitle>{t('inbox.title')}</PageTitle>
        {session.has('clerk') && (
          <Link to="/submit" className="button">
            {t('inbox.newCase')}
          </Link>
        )}
      </div>
      <p className="lead">{t('inbox.intro')}</p>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('common.filters')}>
        <div className="field">
          <label htmlFor="inbox-type">{t('case.type')}</label>
          <select id="inbox-type" value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {types.data?.items.map((ct) => (
              <option key={ct.type} value={ct.type}>
                {i.loc(ct.title)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="inbox-status">{t('case.status')}</label>
          <select id="inbox-status" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('common.all')}</option>
            {OPEN_STATUSES.map((s) => (
              <option key={s} value={s}>
                {l.status(s)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="secondary" onClick={inbox.refresh}>
          {t('common.refresh')}
        </button>
      </form>
      <section aria-labelledby="inbox-list" data-testid="inbox">
        <h2 id="inbox-list">
          {t('inbox.waiting')} {inbox.data && <span className="count">{t('common.total', { n: inbox.data.total })}</span>}
        </h2>
        {inbox.error ? <ErrorMessage error={inbox.error} onRetry={inbox.reload} /> : null}
        {inbox.loading && <Loading />}
        {!inbox.loading && !inbox.error && items.length === 0 && <p className="empty">{t('inbox.empty')}</p>}
        {items.length > 0 && <CaseTable items={items} caption={t('inbox.waiting')} />}
        <MoreButton onMore={inbox.more} />
      </section>
      <section aria-labelledby="recent-list" data-testid="recent">
        <h2 id="recent-list">{t('inbox.recent')}</h2>
        {recent.error ? <ErrorMessage error={recent.error} onRetry={recent.reload} /> : null}
        {recent.loading && <Loading />}
        {recent.data && recent.data.items.length === 0 && <p className="empty">{t('inbox.recentEmpty')}</p>}
        {recent.data && recent.data.items.length > 0 && <CaseTable items={recent.data.items} showAssignees caption={t('inbox.recent')} />}
      </section>
    </>
  );
}
