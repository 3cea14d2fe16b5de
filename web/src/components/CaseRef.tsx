import { useCaseTypes } from '../hooks';
import { labels, useI18n } from '../i18n';
import { Link } from '../router';
import type { CaseReference } from '../types';

/** A case named beside another thing: its short number (a link when the reader may open it), subject and type. */
export function CaseBriefText({
  id,
  brief,
  linked = true,
}: {
  id: string;
  brief: { number: string | null; type: string; subject: { name: string } } | null;
  linked?: boolean;
}) {
  const i = useI18n();
  const types = useCaseTypes();
  if (!brief) return <span className="muted">{i.t('case.reference.unknown')}</span>;
  const typeTitle = i.loc(types.data?.items.find((x) => x.type === brief.type)?.title) || brief.type;
  const number = brief.number ?? typeTitle;
  return (
    <span className="case-ref" data-testid="case-ref" data-case-id={id}>
      {linked ? <Link to={`/cases/${encodeURIComponent(id)}`}>{number}</Link> : number} · {brief.subject.name}
      {brief.number && ` · ${typeTitle}`}
    </span>
  );
}

/**
 * What a payload field naming another case refers to (an appeal's original, an extension's secondment), as the API
 * answered it: the case by number and subject, or the disciplinary record by its measure, day and reason.
 */
export function CaseReferenceText({ reference }: { reference: CaseReference }) {
  const i = useI18n();
  const l = labels(i);
  const record = reference.disciplinaryRecord;
  if (record)
    return (
      <span className="case-ref" data-testid="case-ref" data-record>
        {l.worker('discipline', record.kind)} · {i.date(record.startDate)} · {record.reason}
      </span>
    );
  const c = reference.case;
  return (
    <>
      <CaseBriefText id={reference.id} brief={c} linked={!!c?.visible} />
      {c?.archived && <span className="muted">{i.t('common.paren', { text: i.t('case.reference.archived') })}</span>}
    </>
  );
}
