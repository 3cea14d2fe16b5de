import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, fieldErrors, newIdempotencyKey, query } from '../api';
import { EligibilityList, ErrorMessage, Loading, PageTitle } from '../components/common';
import { cleanValues, initialValues, missingRequired, SchemaForm, type FormValues } from '../components/SchemaForm';
import { useCaseTypes, useGet, useOrgUnitName, useRuleSet } from '../hooks';
import { labels, useI18n } from '../i18n';
import { navigate, useLocation } from '../router';
import type { CaseType, CaseView, Eligibility, WorkerPage, WorkerSummary } from '../types';
import { AttachField, uploadPending } from './attach';
import { usePayloadLabels } from './payload';

/** Submitting a case: the type, the subject from the records, the payload form, eligibility first. */
export function Submit() {
  const i = useI18n();
  const { t } = i;
  const types = useCaseTypes();
  const { search } = useLocation();
  // 重新发起: a rejected or returned case started again, its subject and application filled in from it.
  const from = search.get('from');
  const earlier = useGet<CaseView>(from ? `/cases/${encodeURIComponent(from)}` : null);
  const [type, setType] = useState(search.get('type') ?? '');
  const caseType = types.data?.items.find((x) => x.type === type);
  const startedFrom = earlier.data && earlier.data.type === type ? earlier.data : null;

  return (
    <>
      <PageTitle>{t('submit.title')}</PageTitle>
      <p className="lead">{t('submit.intro')}</p>
      {types.loading && <Loading />}
      {types.error ? <ErrorMessage error={types.error} onRetry={types.reload} /> : null}
      {types.data && (
        <fieldset className="type-choice">
          <legend>{t('submit.chooseType')}</legend>
          <div className="type-grid">
            {types.data.items.map((ct) => (
              <label key={ct.type} className={`type-card${ct.type === type ? ' selected' : ''}`}>
                <input type="radio" name="case-type" value={ct.type} checked={ct.type === type} onChange={() => setType(ct.type)} />
                <span className="type-title">{i.loc(ct.title)}</span>
                <span className="type-description">{i.loc(ct.description)}</span>
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {from && earlier.loading && <Loading />}
      {caseType && (!from || !earlier.loading) && (
        <SubmitForm
          key={`${caseType.type}:${startedFrom?.id ?? ''}`}
          caseType={caseType}
          initialSubject={startedFrom?.subject.id ?? search.get('subject')}
          initialPayload={startedFrom?.payload}
        />
      )}
    </>
  );
}

function SubmitForm({
  caseType,
  initialSubject,
  initialPayload,
}: {
  caseType: CaseType;
  initialSubject: string | null;
  initialPayload?: Record<string, unknown>;
}) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const payloadLabels = usePayloadLabels(caseType.type);
  const ruleSet = useRuleSet();
  const [subject, setSubject] = useState<WorkerSummary | null>(null);
  const [values, setValues] = useState<FormValues>(() => initialValues(caseType.payloadSchema, initialPayload));
  const [clientErrors, setClientErrors] = useState<Record<string, string>>({});
  const [eligibility, setEligibility] = useState<{ result?: Eligibility; error?: unknown; loading: boolean } | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [files, setFiles] = useState<File[]>([]);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [subjectMissing, setSubjectMissing] = useState(false);

  const payload = useMemo(() => cleanValues(values), [values]);
  const missing = missingRequired(caseType.payloadSchema, payload);

  // Eligibility, checked as soon as the subject is chosen and the required fields are filled.
  const payloadKey = JSON.stringify(payload);
  useEffect(() => {
    if (!subject || missing.length > 0) {
      setEligibility(null);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setEligibility((e) => ({ result: e?.result, loading: true }));
      api<Eligibility>('/eligibility-checks', {
        method: 'POST',
        body: { type: caseType.type, subjectId: subject.id, payload },
        signal: controller.signal,
      }).then(
        (result) => setEligibility({ result, loading: false }),
        (error: unknown) => (error as Error).name !== 'AbortError' && setEligibility({ error, loading: false }),
      );
    }, 300);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // payloadKey stands for the payload's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [subject?.id, payloadKey, caseType.type, missing.length]);

  const serverErrors = {
    ...fieldErrors(submitError, l.fieldError, 'payload.'),
    ...fieldErrors(eligibility?.error, l.fieldError, 'payload.'),
  };
  const errors = { ...serverErrors, ...clientErrors };
  const subjectError = subjectMissing ? t('submit.subjectMissing') : fieldErrors(submitError, l.fieldError).subjectId;

  const exitReasons = ruleSet.data?.exit?.reasons;
  const choices = (name: string) =>
    caseType.type === 'exit' && name === 'reason' && exitReasons?.length
      ? exitReasons.map((r) => ({ value: r.code, label: i.loc(r.title) }))
      : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    for (const name of missing) problems[name] = t('form.required');
    setClientErrors(problems);
    setSubjectMissing(!subject);
    if (!subject || Object.keys(problems).length) return;
    setSubmitting(true);
    setSubmitError(null);
    try {
      const attachments = files.length ? await uploadPending(files) : [];
      // A fresh key for every attempt: a retried request that did reach the server finds its case.
      const created = await api<CaseView>('/cases', {
        method: 'POST',
        body: { type: caseType.type, subjectId: subject.id, payload, ...(attachments.length ? { attachments } : {}) },
        idempotencyKey: newIdempotencyKey(),
      });
      navigate(`/cases/${encodeURIComponent(created.id)}?submitted=1`);
    } catch (err) {
      setSubmitError(err);
      setSubmitting(false);
    }
  };

  return (
    <form className="submit-form card" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="submit-form-title">
      <h2 id="submit-form-title">{i.loc(caseType.title)}</h2>
      <SubjectPicker
        value={subject}
        onChange={(w) => {
          setSubject(w);
          setSubjectMissing(false);
        }}
        error={subjectError}
        initialQuery={initialSubject}
      />
      <fieldset>
        <legend>{t('submit.details')}</legend>
        <SchemaForm
          schema={caseType.payloadSchema}
          values={values}
          onChange={(v) => {
            setValues(v);
            setClientErrors({});
          }}
          errors={errors}
          idPrefix="payload"
          label={(name) => payloadLabels.field(name)}
          optionLabel={(name, value) => l.option(name, value)}
          choices={choices}
        />
        <AttachField name="attach-submit" onChange={setFiles} />
      </fieldset>
      <section className="eligibility-panel" aria-live="polite" aria-labelledby="eligibility-title">
        <h3 id="eligibility-title">{t('submit.eligibility')}</h3>
        {!subject || missing.length > 0 ? <p className="muted">{t('submit.eligibilityHint')}</p> : null}
        {eligibility?.loading && <Loading label={t('submit.checking')} />}
        {eligibility?.error ? <ErrorMessage error={eligibility.error} fieldLabel={payloadLabels.path} /> : null}
        {eligibility?.result && !eligibility.loading && (
          <>
            <p
              className={eligibility.result.eligible ? 'verdict ok' : 'verdict bad'}
              data-testid="eligibility-verdict"
              data-eligible={eligibility.result.eligible}
            >
              {eligibility.result.eligible ? t('submit.eligible') : t('submit.notEligible')}
            </p>
            <EligibilityList reasons={eligibility.result.reasons} />
          </>
        )}
      </section>
      {submitError ? <ErrorMessage error={submitError} fieldLabel={payloadLabels.path} /> : null}
      <div className="actions-row">
        <button type="submit" disabled={submitting}>
          {submitting ? t('common.working') : t('submit.submit')}
        </button>
      </div>
    </form>
  );
}

/** The subject, searched in the records by name or worker id. */
function SubjectPicker({
  value,
  onChange,
  error,
  initialQuery,
}: {
  value: WorkerSummary | null;
  onChange: (w: WorkerSummary | null) => void;
  error?: string;
  initialQuery: string | null;
}) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const orgName = useOrgUnitName();
  const [q, setQ] = useState(initialQuery ?? '');
  const [debounced, setDebounced] = useState(q);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(q.trim()), 250);
    return () => clearTimeout(timer);
  }, [q]);
  const workers = useGet<WorkerPage>(`/workers${query({ q: debounced, status: 'active', limit: 20 })}`);
  const describe = (w: WorkerSummary) =>
    `${orgName(w.orgUnitId)} · ${l.worker('postType', w.postType)} · ${t('worker.gradeN', { n: w.grade })}`;

  // Opened from a worker's record: take that worker once the search finds them.
  useEffect(() => {
    if (!value && initialQuery && workers.data?.items.length === 1 && workers.data.items[0]?.id === initialQuery)
      onChange(workers.data.items[0]);
  }, [workers.data, initialQuery, value, onChange]);

  return (
    <fieldset className={`subject-picker${error ? ' has-error' : ''}`} aria-describedby={error ? 'subject-error' : undefined}>
      <legend>
        {t('submit.subject')} <span className="required">*</span>
      </legend>
      {value ? (
        <div className="chosen" data-testid="chosen-subject" data-worker={value.id}>
          <strong>{value.name}</strong> — {describe(value)}
          <button type="button" className="link-button" onClick={() => onChange(null)}>
            {t('submit.changeSubject')}
          </button>
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor="subject-search">{t('submit.searchWorker')}</label>
            <input
              id="subject-search"
              type="search"
              value={q}
              onChange={(e) => setQ(e.target.value)}
              placeholder={t('submit.searchPlaceholder')}
            />
          </div>
          {workers.loading && <Loading />}
          {workers.error ? <ErrorMessage error={workers.error} onRetry={workers.reload} /> : null}
          {workers.data && workers.data.items.length === 0 && <p className="empty">{t('submit.noWorkers')}</p>}
          {workers.data && workers.data.items.length > 0 && (
            <ul className="worker-results">
              {workers.data.items.map((w) => (
                <li key={w.id}>
                  <button type="button" className="worker-choice" data-worker={w.id} onClick={() => onChange(w)}>
                    <strong>{w.name}</strong>
                    <span className="worker-meta">{describe(w)}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          {workers.data && workers.data.total > workers.data.items.length && (
            <p className="muted">{t('submit.moreWorkers', { n: workers.data.total })}</p>
          )}
        </>
      )}
      {error && (
        <p className="field-error" id="subject-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
