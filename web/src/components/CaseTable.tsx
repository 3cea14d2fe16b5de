import { labels, useI18n } from '../i18n';
import { useCaseTypes, useUserNames } from '../hooks';
import { Link } from '../router';
import type { CaseSummary } from '../types';
import { ResponsiveTable, StatusBadge } from './common';

/** Cases as a table (cards on a phone): subject, type, stage, status, due date, submitted. */
export function CaseTable({ items, showAssignees, caption }: { items: CaseSummary[]; showAssignees?: boolean; caption: string }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const types = useCaseTypes();
  const name = useUserNames();
  const typeTitle = (type: string) => i.loc(types.data?.items.find((x) => x.type === type)?.title) || type;
  return (
    <ResponsiveTable
      rows={items}
      rowKey={(c) => c.id}
      rowAttributes={(c) => ({ 'data-case-id': c.id, className: c.overdue ? 'overdue' : undefined })}
      caption={caption}
      className="cases"
      columns={[
        {
          label: t('case.subject'),
          cell: (c) => (
            <>
              <Link to={`/cases/${encodeURIComponent(c.id)}`} className="case-link">
                {c.subject.name}
              </Link>{' '}
              {c.number && <span className="muted case-number">{c.number}</span>}
              {'onBehalfOf' in c && c.onBehalfOf && (
                <span className="badge delegated-badge" data-testid="on-behalf-of">
                  {t('delegation.onBehalfOf', { name: (c.onBehalfOf as { name: string }).name })}
                </span>
              )}
            </>
          ),
        },
        { label: t('case.type'), cell: (c) => typeTitle(c.type) },
        { label: t('case.stage'), cell: (c) => (c.currentStage ? i.loc(c.currentStage.title) : '—') },
        {
          label: t('case.status'),
          cell: (c) => (
            <>
              <StatusBadge status={c.status} />
              {c.outcome && <span className="muted"> · {l.outcome(c.outcome)}</span>}
            </>
          ),
        },
        {
          label: t('case.due'),
          cell: (c) =>
            c.dueAt ? (
              <>
                <time dateTime={c.dueAt}>{i.dateTime(c.dueAt)}</time>
                {c.overdue && <span className="badge overdue-badge"> {t('case.overdue')}</span>}
              </>
            ) : (
              '—'
            ),
        },
        { label: t('case.submitted'), cell: (c) => <time dateTime={c.submittedAt}>{i.dateTime(c.submittedAt)}</time> },
        showAssignees === true && { label: t('case.waitingFor'), cell: (c) => c.assignees.map(name).join(', ') || '—' },
      ]}
    />
  );
}
