import { useState } from 'react';
import { query } from '../api';
import { CaseTable } from '../components/CaseTable';
import { ErrorMessage, FilterSelect, ListState, Loading, MoreButton, PageTitle } from '../components/common';
import { useCaseTypeChoices, useGet, usePagedGet } from '../hooks';
import { labels, useI18n } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';
import { BatchApproval } from './BatchApproval';
import { OPEN_STATUSES, type CasePage, type InboxPage } from '../types';

const TABS = ['waiting', 'copied'] as const;
type Tab = (typeof TABS)[number];

/**
 * Cases waiting for me, most urgent first, or (抄送我) those a decided stage copied to me; below them the latest
 * cases I can see.
 */
export function Inbox() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const caseTypes = useCaseTypeChoices();
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const { search } = useLocation();
  const tab: Tab = search.get('tab') === 'copied' ? 'copied' : 'waiting';
  const inbox = usePagedGet<InboxPage>('/inbox', { type, status, limit: 50 });
  const copied = usePagedGet<CasePage>('/cases', { copiedToMe: 'true', type, limit: 50 });
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
      <div className="tabs" role="tablist" aria-label={t('inbox.title')}>
        {TABS.map((x) => (
          <button
            key={x}
            type="button"
            role="tab"
            id={`inbox-tab-${x}`}
            aria-selected={tab === x}
            aria-controls={`inbox-panel-${x}`}
            className={tab === x ? 'tab active' : 'tab'}
            onClick={() => navigate(x === 'waiting' ? '/inbox' : `/inbox?tab=${x}`, { replace: true })}
          >
            {t(`inbox.tab.${x}`)}
          </button>
        ))}
      </div>
      {tab === 'waiting' && (
        <div role="tabpanel" id="inbox-panel-waiting" aria-labelledby="inbox-tab-waiting">
          <section aria-labelledby="inbox-list" data-testid="inbox">
            <h2 id="inbox-list">
              {t('inbox.waiting')} {inbox.data && <span className="count">{t('common.total', { n: inbox.data.total })}</span>}
            </h2>
            <ListState list={inbox} empty={t('inbox.empty')} />
            {items.length > 0 && <CaseTable items={items} caption={t('inbox.waiting')} />}
            <MoreButton onMore={inbox.more} />
          </section>
          {session.has('approver') && <BatchApproval items={items} onDone={inbox.refresh} />}
        </div>
      )}
      {tab === 'copied' && (
        <div role="tabpanel" id="inbox-panel-copied" aria-labelledby="inbox-tab-copied">
          <section aria-labelledby="copied-list" data-testid="copied">
            <h2 id="copied-list">
              {t('inbox.copied')} {copied.data && <span className="count">{t('common.total', { n: copied.data.total })}</span>}
            </h2>
            <ListState list={copied} empty={t('inbox.copiedEmpty')} />
            {copied.items.length > 0 && <CaseTable items={copied.items} showAssignees caption={t('inbox.copied')} />}
            <MoreButton onMore={copied.more} />
          </section>
        </div>
      )}
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
