import { useState } from 'react';
import { query } from '../api';
import { CaseTable } from '../components/CaseTable';
import { ErrorMessage, FilterSelect, ListState, Loading, MoreButton, PageTitle } from '../components/common';
import { useCaseTypeChoices, useGet, usePagedGet } from '../hooks';
import { labels, useI18n } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { BatchApproval } from './BatchApproval';
import { OPEN_STATUSES, type CasePage, type InboxPage } from '../types';

/** Cases waiting for me, most urgent first; below them the latest cases I can see. */
export function Inbox() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const caseTypes = useCaseTypeChoices();
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const inbox = usePagedGet<InboxPage>('/inbox', { type, status, limit: 50 });
  const recent = useGet<CasePage>(`/cases${query({ limit: 20, sort: '-submittedAt' })}`);
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
        <FilterSelect id="inbox-type" label={t('case.type')} value={type} onChange={setType} options={caseTypes} />
        <FilterSelect
          id="inbox-status"
          label={t('case.status')}
          value={status}
          onChange={setStatus}
          options={OPEN_STATUSES.map((s) => ({ value: s, label: l.status(s) }))}
        />
        <button type="button" className="secondary" onClick={inbox.refresh}>
          {t('common.refresh')}
        </button>
      </form>
      <section aria-labelledby="inbox-list" data-testid="inbox">
        <h2 id="inbox-list">
          {t('inbox.waiting')} {inbox.data && <span className="count">{t('common.total', { n: inbox.data.total })}</span>}
        </h2>
        <ListState list={inbox} empty={t('inbox.empty')} />
        {items.length > 0 && <CaseTable items={items} caption={t('inbox.waiting')} />}
        <MoreButton onMore={inbox.more} />
      </section>
      {session.has('approver') && <BatchApproval items={items} onDone={inbox.refresh} />}
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
