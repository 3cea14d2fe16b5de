import { labels, useI18n } from '../i18n';
import { useCaseTypes, useUserNames } from '../hooks';
import { Link } from '../router';
import type { CaseSummary } from '../types';
import { StatusBadge } from './common';

/** Cases as a table (cards on a phone): subject, type, stage, status, due date, submitted. */
export function CaseTable({ items, showAssignees, caption }: { items: CaseSummary[]; showAssignees?: boolean; caption: string }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const types = useCaseTypes();
  const name = useUserNames();
  const typeTitle = (type: string) => i.loc(types.data?.items.find((x) => x.type === type)?.title) || type;
  return (
    <div className="table-wrap">
      <table className="cases responsive">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('case.subject')}</th>
            <th scope="col">{t('case.type')}</th>
            <th scope="col">{t('case.stage')}</th>
            <th scope="col">{t('case.status')}</th>
            <th scope="col">{t('case.due')}</th>
            <th scope="col">{t('case.submitted')}</th>
            {showAssignees && <th scope="col">{t('case.waitingFor')}</th>}
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id} data-case-id={c.id} className={c.overdue ? 'overdue' : undefined}>
              <td data-label={t('case.subject')}>
                <Link to={`/cases/${encodeURIComponent(c.id)}`} className="case-link">
                  {c.subject.name}
                </Link>{' '}
                <span className="muted">({c.subject.id})</span>
              </td>
              <td data-label={t('case.type')}>{typeTitle(c.type)}</td>
              <td data-label={t('case.stage')}>{c.currentStage ? i.loc(c.currentStage.title) : '—'}</td>
              <td data-label={t('case.status')}>
                <StatusBadge status={c.status} />
                {c.outcome && <span className="muted"> · {l.outcome(c.outcome)}</span>}
              </td>
              <td data-label={t('case.due')}>
                {c.dueAt ? (
                  <>
                    <time dateTime={c.dueAt}>{i.dateTime(c.dueAt)}</time>
                    {c.overdue && <span className="badge overdue-badge"> {t('case.overdue')}</span>}
                  </>
                ) : (
                  '—'
                )}
              </td>
              <td data-label={t('case.submitted')}>
                <time dateTime={c.submittedAt}>{i.dateTime(c.submittedAt)}</time>
              </td>
              {showAssignees && <td data-label={t('case.waitingFor')}>{c.assignees.map(name).join(', ') || '—'}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
