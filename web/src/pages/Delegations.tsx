import { useState, type FormEvent } from 'react';
import { api, fieldErrors } from '../api';
import { ErrorMessage, Field, Loading, PageTitle, ResponsiveTable } from '../components/common';
import { useCaseTypeChoices, useGet, useUserNames, useUsers } from '../hooks';
import { labels, useI18n } from '../i18n';
import { useSession } from '../session';
import type { Delegation, DelegationList } from '../types';

/** Today in China (YYYY-MM-DD): the first day a new delegation may start. */
const chinaToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * 委托: an approver going on leave names a colleague who approves for them from one day to another (the last day
 * included), for some case types or all; they revoke it when back early. The list shows those given and those held.
 */
export function Delegations() {
  const i = useI18n();
  const { t } = i;
  const { me } = useSession();
  const name = useUserNames();
  const users = useUsers();
  const caseTypes = useCaseTypeChoices();
  const list = useGet<DelegationList>('/me/delegations');
  const [delegateId, setDelegateId] = useState('');
  const [from, setFrom] = useState(chinaToday);
  const [to, setTo] = useState(chinaToday);
  const [caseType, setCaseType] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await api('/me/delegations', {
        method: 'POST',
        body: { delegateId, from, to, reason, caseTypes: caseType ? [caseType] : [] },
      });
      setDone(true);
      setReason('');
      list.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (d: Delegation) => {
    setError(null);
    try {
      await api(`/me/delegations/${encodeURIComponent(d.id)}`, { method: 'DELETE' });
      list.reload();
    } catch (err) {
      setError(err);
    }
  };
  const server = fieldErrors(error, labels(i).fieldError);
  const colleagues = (users.data?.items ?? []).filter(
    (u) => u.id !== me?.id && u.roles.some((r) => r.role === 'approver' || r.role === 'personnel_officer'),
  );
  const typeTitle = (type: string) => caseTypes.find((c) => c.value === type)?.label ?? type;
  const STATE_KEYS = {
    'in-force': 'delegation.active',
    upcoming: 'delegation.upcoming',
    ended: 'delegation.ended',
    revoked: 'delegation.revoked',
  } as const;
  const state = (d: Delegation) => t(STATE_KEYS[d.state]);

  return (
    <>
      <PageTitle>{t('delegation.title')}</PageTitle>
      <p className="lead">{t('delegation.intro')}</p>
      <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="delegation-new" data-testid="delegation-form">
        <h2 id="delegation-new">{t('delegation.new')}</h2>
        <Field id="delegation-delegate" label={t('delegation.delegate')} required error={server.delegateId}>
          <select id="delegation-delegate" value={delegateId} onChange={(e) => setDelegateId(e.target.value)} required>
            <option value="">{t('delegation.choose')}</option>
            {colleagues.map((u) => (
              <option key={u.id} value={u.id}>
                {name(u.id)}
              </option>
            ))}
          </select>
        </Field>
        <div className="field-row">
          <Field id="delegation-from" label={t('delegation.from')} required error={server.from}>
            <input id="delegation-from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </Field>
          <Field id="delegation-to" label={t('delegation.to')} required error={server.to} hint={t('delegation.toHint')}>
            <input
              id="delegation-to"
              type="date"
              value={to}
              onChange={(e) => setTo(e.target.value)}
              required
              aria-describedby="delegation-to-hint"
            />
          </Field>
        </div>
        <Field id="delegation-type" label={t('delegation.scope')} error={server.caseTypes}>
          <select id="delegation-type" value={caseType} onChange={(e) => setCaseType(e.target.value)}>
            <option value="">{t('delegation.allTypes')}</option>
            {caseTypes.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="delegation-reason" label={t('delegation.reason')} required error={server.reason}>
          <input
            id="delegation-reason"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            placeholder={t('delegation.reasonPlaceholder')}
          />
        </Field>
        <button type="submit" disabled={busy || !delegateId || !reason.trim()} data-testid="delegation-submit">
          {t('delegation.create')}
        </button>
        {done && (
          <p className="notice" role="status">
            {t('delegation.created')}
          </p>
        )}
        {error ? <ErrorMessage error={error} /> : null}
      </form>
      <section aria-labelledby="delegation-list" data-testid="delegations">
        <h2 id="delegation-list">{t('delegation.list')}</h2>
        {list.loading && !list.data && <Loading />}
        {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
        {list.data && list.data.items.length === 0 && <p className="empty">{t('delegation.empty')}</p>}
        {list.data && list.data.items.length > 0 && (
          <ResponsiveTable
            rows={list.data.items}
            rowKey={(d) => d.id}
            rowAttributes={(d) => ({ 'data-delegation-id': d.id })}
            caption={t('delegation.list')}
            columns={[
              { label: t('delegation.delegator'), cell: (d) => name(d.delegatorId) },
              { label: t('delegation.delegate'), cell: (d) => name(d.delegateId) },
              { label: t('delegation.days'), cell: (d) => t('delegation.span', { from: i.date(d.from), to: i.date(d.to) }) },
              {
                label: t('delegation.scope'),
                cell: (d) =>
                  d.caseTypes.length ? d.caseTypes.map(typeTitle).join(t('delegation.typeSeparator')) : t('delegation.allTypes'),
              },
              { label: t('delegation.reason'), cell: (d) => d.reason },
              { label: t('delegation.state'), cell: (d) => state(d) },
              {
                label: t('delegation.actions'),
                cell: (d) =>
                  d.state === 'revoked' || d.state === 'ended' ? (
                    '—'
                  ) : (
                    <button type="button" className="secondary" data-testid="delegation-revoke" onClick={() => void revoke(d)}>
                      {d.delegatorId === me?.id ? t('delegation.revoke') : t('delegation.giveBack')}
                    </button>
                  ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}
