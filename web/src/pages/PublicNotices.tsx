import { useState, type FormEvent } from 'react';
import { api, fieldErrors } from '../api';
import { ErrorMessage, Loading } from '../components/common';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useGet } from '../hooks';
import { labels, useI18n } from '../i18n';
import type { PublicChallenge, PublicNoticeList } from '../types';

/**
 * The public notice board (公示), without sign-in: the notices running now as a posted notice shows them, and a
 * form through which a resident objects (name, telephone, content, and the answer to a small sum against scripts).
 */
export function PublicNotices() {
  const { t } = useI18n();
  const notices = useGet<PublicNoticeList>('/public/notices');
  const [objecting, setObjecting] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  return (
    <main className="public" data-testid="public-notices">
      <div className="page-head">
        <h1 id="page-title" tabIndex={-1}>
          {t('public.title')}
        </h1>
        <LanguageSwitch />
      </div>
      <p>{t('public.intro')}</p>
      {notices.loading && !notices.data ? <Loading /> : null}
      {notices.error ? <ErrorMessage error={notices.error} onRetry={notices.reload} /> : null}
      {sent && (
        <p className="notice success" role="status" data-testid="objection-sent">
          {t('public.sent')}
        </p>
      )}
      {notices.data && notices.data.items.length === 0 && notices.data.rounds.length === 0 && <p className="muted">{t('public.none')}</p>}
      {notices.data?.rounds.map((r) => (
        // A yearly round's list is one notice; each name on it takes objections of its own.
        <article key={`${r.street}-${r.year}`} className="card notice-card" data-round-notice={`${r.street}-${r.year}`}>
          <h2>{t('public.roundTitle', { street: r.street, year: String(r.year) })}</h2>
          <p>
            {t('public.period')}: {r.period.start} – {r.period.end ?? '—'}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('public.name')}</th>
                <th scope="col">{t('public.community')}</th>
                <th scope="col">{t('public.post')}</th>
                <th scope="col">{t('public.proposal')}</th>
                <th scope="col">{t('public.period')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('public.object')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {r.names.map((n) => (
                <tr key={n.noticeId} data-notice={n.noticeId}>
                  <th scope="row">{n.name}</th>
                  <td>{n.community}</td>
                  <td>{n.post}</td>
                  <td>{n.proposal}</td>
                  <td>
                    {n.period.start} – {n.period.end ?? '—'}
                    {n.paused && <span className="badge">{t('public.paused')}</span>}
                  </td>
                  <td>
                    <button type="button" data-object={n.noticeId} onClick={() => setObjecting(n.noticeId)}>
                      {t('public.objectTo', { name: n.name })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {r.names.some((n) => n.noticeId === objecting) && (
            <ObjectionForm
              noticeId={objecting as string}
              onSent={(reference) => {
                setObjecting(null);
                setSent(reference);
              }}
            />
          )}
        </article>
      ))}
      {notices.data?.items.map((n) => (
        <article key={n.noticeId} className="card notice-card" data-notice={n.noticeId}>
          <h2>{t('public.noticeTitle', { name: n.name, proposal: n.proposal })}</h2>
          <dl className="values">
            <dt>{t('public.community')}</dt>
            <dd>{n.community}</dd>
            <dt>{t('public.post')}</dt>
            <dd>{n.post}</dd>
            <dt>{t('public.proposal')}</dt>
            <dd>{n.proposal}</dd>
            <dt>{t('public.period')}</dt>
            <dd>
              {n.period.start} – {n.period.end ?? '—'}
              {n.paused && <span className="badge">{t('public.paused')}</span>}
            </dd>
          </dl>
          {objecting === n.noticeId ? (
            <ObjectionForm
              noticeId={n.noticeId}
              onSent={(reference) => {
                setObjecting(null);
                setSent(reference);
              }}
            />
          ) : (
            <button type="button" data-object={n.noticeId} onClick={() => setObjecting(n.noticeId)}>
              {t('public.object')}
            </button>
          )}
        </article>
      ))}
      {notices.data && (
        <p className="muted">
          {t('public.contact', {
            telephone: notices.data.contact.telephone,
            mailbox: notices.data.contact.mailbox,
            // The address is the street's service centre ("{street}党群服务中心"): the board lists every street's notices.
            address: notices.data.contact.address.replace('{street}', t('public.eachStreet')),
          })}
        </p>
      )}
    </main>
  );
}

function ObjectionForm({ noticeId, onSent }: { noticeId: string; onSent: (reference: string) => void }) {
  const i = useI18n();
  const { t } = i;
  const challenge = useGet<PublicChallenge>('/public/challenge');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = fieldErrors(error, labels(i).fieldError);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    if (!challenge.data) return;
    const data = new FormData(e.currentTarget);
    const field = (name: string) => {
      const value = data.get(name);
      return typeof value === 'string' ? value : '';
    };
    setBusy(true);
    setError(null);
    try {
      const res = await api<{ reference: string }>(`/public/notices/${encodeURIComponent(noticeId)}/objections`, {
        method: 'POST',
        anonymous: true,
        body: {
          name: field('name'),
          telephone: field('telephone'),
          content: field('content'),
          challenge: { token: challenge.data.token, answer: field('answer') },
        },
      });
      onSent(res.reference);
    } catch (err) {
      setError(err);
      // A challenge is good for one try: a fresh one for the next.
      challenge.reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="objection-form" data-testid="objection-form" onSubmit={(e) => void submit(e)}>
      <label>
        {t('public.name')} <input name="name" required maxLength={50} aria-invalid={Boolean(errors.name)} />
      </label>
      <label>
        {t('public.telephone')} <input name="telephone" required maxLength={30} inputMode="tel" />
      </label>
      <label>
        {t('public.content')} <textarea name="content" required minLength={5} maxLength={2000} rows={4} />
      </label>
      <label>
        {t('public.challenge', { question: challenge.data?.question ?? '…' })}{' '}
        <input name="answer" required inputMode="numeric" maxLength={10} />
      </label>
      {error ? <ErrorMessage error={error} /> : null}
      <button type="submit" disabled={busy || !challenge.data}>
        {t('public.send')}
      </button>
    </form>
  );
}
