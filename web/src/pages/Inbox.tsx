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

const TABS = ['waiting', 'handled', 'submitted', 'copied'] as const;
type Tab = (typeof TABS)[number];

/** The lists other than 待办, as /cases filters; each shows who the case waits for now. */
const LISTS: Record<Exclude<Tab, 'waiting'>, Record<string, string>> = {
  handled: { mine: 'handled' },
  submitted: { mine: 'submitted' },
  copied: { copiedToMe: 'true' },
};

/**
 * The inbox as the approval apps people know lay it out (Feishu/DingTalk): 待办 (waiting for me, most urgent
 * first), 已办 (cases I acted on), 我发起的 (cases I submitted) and 抄送我 (copies a decided stage sent me), one
 * search over them by name, case number or type; below them the latest cases I can see.
 */
export function Inbox() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const caseTypes = useCaseTypeChoices();
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const [text, setText] = useState('');
  const q = text.trim();
  const { search } = useLocation();
  const tab: Tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'waiting';
  const inbox = usePagedGet<InboxPage>('/inbox', { type, status, q, limit: 50 });
  // Only the open tab's list is read: the others ask nothing of the server.
  const list = usePagedGet<CasePage>(
    tab === 'waiting' ? null : '/cases',
    tab === 'waiting' ? {} : { ...LISTS[tab], type, status, q, limit: 50 },
  );
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
        <div className="field grow">
          <label htmlFor="inbox-q">{t('inbox.search')}</label>
          <input id="inbox-q" type="search" value={text} onChange={(e) => setText(e.target.value)} data-testid="inbox-search" />
        </div>
        <FilterSelect id="inbox-type" label={t('case.type')} value={type} onChange={setType} options={caseTypes} />
        <FilterSelect
          id="inbox-status"
          label={t('case.status')}
          value={status}
          onChange={setStatus}
          options={OPEN_STATUSES.map((s) => ({ value: s, label: l.status(s) }))}
        />
        <button type="button" className="secondary" onClick={tab === 'waiting' ? inbox.refresh : list.refresh}>
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
      {tab !== 'waiting' && (
        <div role="tabpanel" id={`inbox-panel-${tab}`} aria-labelledby={`inbox-tab-${tab}`}>
          <section aria-labelledby={`${tab}-list`} data-testid={tab}>
            <h2 id={`${tab}-list`}>
              {t(`inbox.${tab}`)} {list.data && <span className="count">{t('common.total', { n: list.data.total })}</span>}
            </h2>
            <ListState list={list} empty={t(`inbox.${tab}Empty`)} />
            {list.items.length > 0 && <CaseTable items={list.items} showAssignees caption={t(`inbox.${tab}`)} />}
            <MoreButton onMore={list.more} />
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
