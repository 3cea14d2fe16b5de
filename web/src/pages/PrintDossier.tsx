import { Fragment } from 'react';
import { query } from '../api';
import { ErrorMessage, Loading, RuleSetName } from '../components/common';
import { useCaseTypes, useGet, useUserNames } from '../hooks';
import { labels, useI18n } from '../i18n';
import { Link } from '../router';
import type { Dossier, Verification } from '../types';
import { actedBy } from './case-model';
import { EligibilityView, PayloadView, StageDataView, VerifiedBadge } from './CasePage';

/** The case file laid out for paper: the browser's "print to PDF" gives the dossier as a document. */
export function PrintDossier({ id }: { id: string }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const name = useUserNames();
  const types = useCaseTypes();
  const dossier = useGet<Dossier>(`/cases/${encodeURIComponent(id)}/dossier`);
  const verify = useGet<Verification>(`/audit/verify${query({ caseId: id })}`);
  if (dossier.error) return <ErrorMessage error={dossier.error} onRetry={dossier.reload} />;
  if (!dossier.data) return <Loading />;
  const d = dossier.data;
  const caseType = types.data?.items.find((x) => x.type === d.case.type);
  const stageTitle = (key: string | null) => {
    if (!key) return '';
    const s = d.process.stages.find((x) => x.id === key);
    return s ? i.loc(s.title) : key;
  };
  // Page numbers in the page's bottom margin (CSS @page margin boxes), in the reader's language: the
  // translation's placeholders become the page counters.
  const pageNumbers = `@media print { @page { @bottom-center { content: ${t('print.pageNumbers', { page: '{page}', pages: '{pages}' })
    .split(/(\{page\}|\{pages\})/)
    .map((part) => (part === '{page}' ? 'counter(page)' : part === '{pages}' ? 'counter(pages)' : JSON.stringify(part)))
    .join(' ')}; font-size: 9pt; } } }`;
  return (
    <article className="dossier" data-testid="dossier">
      <style>{pageNumbers}</style>
      <div className="no-print print-toolbar">
        <Link to={`/cases/${encodeURIComponent(id)}`}>{t('print.back')}</Link>
        <button type="button" onClick={() => window.print()}>
          {t('print.print')}
        </button>
      </div>
      <header className="dossier-head">
        <p className="muted">{t('app.title')}</p>
        <h1 id="page-title" tabIndex={-1}>
          {t('print.title')}: {i.loc(d.process.title)}
        </h1>
        <p>
          {t('case.number')}: {d.case.number ?? '—'} · {t('print.printedAt', { date: i.dateTime(new Date().toISOString()) })}
        </p>
      </header>

      <section>
        <h2>{t('case.summary')}</h2>
        <dl className="values">
          <dt>{t('case.subject')}</dt>
          <dd>
            {t('common.nameAbout', {
              name: d.subject.name,
              about: `${d.subject.orgUnit.name}·${l.worker('postType', d.subject.postType)}`,
            })}
          </dd>
          <dt>{t('records.nationalId')}</dt>
          <dd>
            <code>{d.subject.nationalId}</code>
          </dd>
          <dt>{t('records.orgUnit')}</dt>
          <dd>{d.subject.orgUnit.name}</dd>
          <dt>{t('records.postType')}</dt>
          <dd>
            {l.worker('postType', d.subject.postType)} · {t('worker.gradeN', { n: d.subject.grade })}
          </dd>
          <dt>{t('case.status')}</dt>
          <dd>
            {l.status(d.case.status)}
            {d.case.outcome && ` · ${l.outcome(d.case.outcome)}`}
          </dd>
          <dt>{t('case.applicant')}</dt>
          <dd>{name(d.case.applicantId)}</dd>
          <dt>{t('case.submitted')}</dt>
          <dd>{i.dateTime(d.case.submittedAt)}</dd>
          {d.case.decidedAt && (
            <>
              <dt>{t('case.decided')}</dt>
              <dd>{i.dateTime(d.case.decidedAt)}</dd>
            </>
          )}
          <dt>{t('case.ruleSet')}</dt>
          <dd>
            <RuleSetName ruleSet={d.process.ruleSet} /> · {t('case.definitionVersion', { n: d.process.version })}
          </dd>
        </dl>
      </section>

      <section>
        <h2>{t('case.payload')}</h2>
        <PayloadView view={{ type: d.case.type, payload: d.payload }} caseType={caseType} references={d.references} />
      </section>

      <section>
        <h2>{t('print.decisions')}</h2>
        {d.decisions.length === 0 ? (
          <p className="muted">{t('common.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('print.stage')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.actorId')}</th>
                <th scope="col">{t('audit.at')}</th>
                <th scope="col">{t('form.comment')}</th>
              </tr>
            </thead>
            <tbody>
              {[...d.decisions, ...d.votes]
                .sort((a, b) => a.seq - b.seq)
                .map((e) => (
                  <tr key={e.seq}>
                    <td>{stageTitle(e.stage)}</td>
                    <td>{l.event(e.action)}</td>
                    <td>{e.actorId ? actedBy(e, name, t) : t('timeline.system')}</td>
                    <td>{i.dateTime(e.at)}</td>
                    <td>{e.comment ?? ''}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        )}
      </section>

      <StageDataView dossier={d} caseType={caseType} />
      <EligibilityView dossier={d} />

      {d.objections.length > 0 && (
        <section>
          <h2>{t('objection.title')}</h2>
          <dl className="values">
            {d.objections.map((o, n) => (
              <Fragment key={o.id}>
                <dt>
                  {n + 1}. {i.tx(`objection.${o.status}`, o.status)}
                </dt>
                <dd>
                  {o.text} ({name(o.by)}, {i.dateTime(o.at)}){o.resolution && ` — ${t('objection.ruling')}: ${o.resolution}`}
                </dd>
              </Fragment>
            ))}
          </dl>
        </section>
      )}

      <section className="history">
        <h2>
          {t('timeline.title')} <VerifiedBadge verify={verify} />
        </h2>
        <table className="history-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('audit.at')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.actorId')}</th>
              <th scope="col">{t('case.status')}</th>
              <th scope="col">{t('form.comment')}</th>
              <th scope="col">{t('print.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {d.events.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{i.dateTime(e.at)}</td>
                <td>
                  {l.event(e.action)}
                  {e.stage && <div className="muted">{stageTitle(e.stage)}</div>}
                </td>
                <td>{e.actorId ? actedBy(e, name, t) : t('timeline.system')}</td>
                <td>{l.status(e.toStatus)}</td>
                <td>{e.comment ?? ''}</td>
                <td>
                  <code className="hash">{e.hash.slice(0, 16)}…</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="chain">
          {t('print.chain', { seq: d.chain.lastSeq })} <code className="hash">{d.chain.lastHash}</code>
        </p>
      </section>

      <section className="signatures" data-testid="signatures" aria-labelledby="signatures-title">
        <h2 id="signatures-title">{t('print.signatures')}</h2>
        <dl>
          {(['print.handledBy', 'print.reviewedBy', 'print.signedOn'] as const).map((key) => (
            <div key={key}>
              <dt>{t(key)}</dt>
              <dd className="signature-line" />
            </div>
          ))}
        </dl>
      </section>
    </article>
  );
}
