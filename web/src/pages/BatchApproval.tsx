import { useId, useState, type FormEvent } from 'react';
import { api, newIdempotencyKey } from '../api';
import { ErrorMessage } from '../components/common';
import { Phrases } from '../components/Phrases';
import { useCaseTypes } from '../hooks';
import { useI18n } from '../i18n';
import type { BatchApprovalResult, CaseSummary } from '../types';

/**
 * Batch approval (批量审批) in the inbox: the cases waiting for me in a yearly round (the list entry's group) whose
 * stage the API marks as batchable (a round's promotions at the community stage), several selected and approved
 * with one action. Exits, discipline and appeals never appear here; the server refuses them in a batch as well.
 */
export function BatchApproval({ items, onDone }: { items: CaseSummary[]; onDone: () => void }) {
  const i = useI18n();
  const { t } = i;
  const uid = useId();
  const types = useCaseTypes();
  const [selected, setSelected] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<BatchApprovalResult | null>(null);

  // A batchable stage of a case in a yearly round: a promotion on its own is decided one at a time.
  const batchable = items.filter(
    (c) =>
      c.group?.kind === 'promotion-round' &&
      types.data?.items.find((ct) => ct.type === c.type)?.stages.some((s) => s.id === c.currentStage?.id && s.batchApproval),
  );
  if (batchable.length === 0 && !result) return null;

  // A refusal said from its problem type in the UI's language; the server's English detail only in English.
  const refusal = (problem: { type: string; status: number; detail: string } | null) =>
    !problem
      ? ''
      : i.lang === 'en'
        ? problem.detail
        : i.tx(`problem.${problem.type.replace(/^\/problems\//, '')}`, t('error.other', { status: problem.status }));
  const toggle = (id: string) => setSelected((now) => (now.includes(id) ? now.filter((x) => x !== id) : [...now, id]));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (selected.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api<BatchApprovalResult>('/cases/batch-approval', {
        method: 'POST',
        body: { caseIds: selected, ...(comment.trim() ? { comment: comment.trim() } : {}) },
        idempotencyKey: newIdempotencyKey(),
      });
      setResult(answer);
      setSelected([]);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const nameOf = (id: string) =>
    items.find((c) => c.id === id)?.subject.name ?? result?.items.find((r) => r.caseId === id)?.case?.subject.name ?? id;
  return (
    <section aria-labelledby={`${uid}-title`} data-testid="batch-approval" className="batch">
      <h2 id={`${uid}-title`}>{t('batch.title')}</h2>
      <p className="muted">{t('batch.intro')}</p>
      {batchable.length > 0 && (
        <form onSubmit={(e) => void submit(e)}>
          <fieldset>
            <legend>{t('batch.choose')}</legend>
            {batchable.map((c) => (
              <label key={c.id} className="check">
                <input type="checkbox" checked={selected.includes(c.id)} onChange={() => toggle(c.id)} data-case-id={c.id} />{' '}
                {c.subject.name} {c.number && <span className="muted">{t('common.paren', { text: c.number })}</span>}
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${uid}-comment`}>{t('batch.comment')}</label>
          <input id={`${uid}-comment`} value={comment} onChange={(e) => setComment(e.target.value)} maxLength={2000} />
          <Phrases value={comment} onPick={setComment} />
          <button type="submit" disabled={busy || selected.length === 0}>
            {busy ? t('common.working') : t('batch.approve', { n: selected.length })}
          </button>
        </form>
      )}
      {error ? <ErrorMessage error={error} /> : null}
      {result && (
        <ul className="batch-result" aria-live="polite">
          {result.items.map((r) => (
            <li key={r.caseId} data-case-id={r.caseId}>
              {nameOf(r.caseId)}: {r.approved ? t('batch.approved') : `${t('batch.refused')} ${refusal(r.problem)}`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
