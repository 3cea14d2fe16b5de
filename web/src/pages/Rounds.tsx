import { useId, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorMessage, Loading, PageTitle, ResponsiveTable, StatusBadge } from '../components/common';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { Link, navigate } from '../router';
import type { PromotionRound } from '../types';

/**
 * The street's yearly promotion round (年度晋升): a street clerk opens one with the list the communities proposed
 * (the server checks each person and the street's quota), and anyone who sees it follows each person's case.
 */
export function Rounds() {
  const { t } = useI18n();
  const uid = useId();
  const [streetId, setStreetId] = useState('');
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [workers, setWorkers] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const open = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const members = workers
        .split(/[\s,\uFF0C\u3001]+/) // spaces and commas, also the full-width comma and the enumeration comma
        .filter(Boolean)
        .map((workerId) => ({ workerId }));
      const round = await api<PromotionRound>('/rounds', {
        method: 'POST',
        body: { streetId: streetId.trim(), year: Number(year), members },
      });
      navigate(`/rounds/${encodeURIComponent(round.id)}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const find = (e: FormEvent) => {
    e.preventDefault();
    navigate(`/rounds/${encodeURIComponent(`promotion-round-${streetId.trim()}-${year}`)}`);
  };

  return (
    <>
      <PageTitle>{t('rounds.title')}</PageTitle>
      <p className="lead">{t('rounds.intro')}</p>
      <form className="stack" onSubmit={(e) => void open(e)} data-testid="open-round">
        <label htmlFor={`${uid}-street`}>{t('rounds.street')}</label>
        <input id={`${uid}-street`} value={streetId} onChange={(e) => setStreetId(e.target.value)} required maxLength={100} />
        <label htmlFor={`${uid}-year`}>{t('rounds.year')}</label>
        <input id={`${uid}-year`} type="number" value={year} onChange={(e) => setYear(e.target.value)} required min={2000} max={2100} />
        <label htmlFor={`${uid}-workers`}>{t('rounds.workers')}</label>
        <textarea id={`${uid}-workers`} value={workers} onChange={(e) => setWorkers(e.target.value)} rows={3} />
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? t('common.working') : t('rounds.open')}
          </button>
          <button type="button" className="secondary" onClick={find} disabled={!streetId.trim()}>
            {t('rounds.find')}
          </button>
        </div>
      </form>
      {error ? <ErrorMessage error={error} /> : null}
    </>
  );
}

/** One round: its stage, the one decision on the list, and each member with the state of their own case. */
export function RoundPage({ id }: { id: string }) {
  const i = useI18n();
  const { t } = i;
  const round = useGet<PromotionRound>(`/rounds/${encodeURIComponent(id)}`);
  if (round.error) return <ErrorMessage error={round.error} onRetry={round.reload} />;
  if (!round.data) return <Loading />;
  const r = round.data;
  return (
    <>
      <PageTitle>{t('rounds.round', { street: r.orgUnitId, year: r.year })}</PageTitle>
      <dl className="facts" data-testid="round-facts">
        <dt>{t('rounds.stage')}</dt>
        <dd data-stage={r.stage}>{i.tx(`rounds.stage.${r.stage}`, r.stage)}</dd>
        <dt>{t('rounds.decision')}</dt>
        <dd>{r.decision ? t('rounds.decidedOn', { date: r.decision.meetingDate }) : t('rounds.undecided')}</dd>
      </dl>
      <ResponsiveTable
        rows={r.members}
        rowKey={(m) => m.workerId}
        rowAttributes={(m) => ({ 'data-worker-id': m.workerId })}
        caption={t('rounds.members')}
        testId="round-members"
        columns={[
          {
            label: t('case.subject'),
            cell: (m) => (
              <>
                {/* By name; the record id (w-jsl-03) only while the case that names the worker is being opened. */}
                <Link to={`/cases/${encodeURIComponent(m.caseId)}`}>{m.name ?? m.workerId}</Link>
              </>
            ),
          },
          { label: t('case.stage'), cell: (m) => (m.currentStage ? i.loc(m.currentStage.title) : '—') },
          { label: t('case.status'), cell: (m) => <StatusBadge status={m.status} /> },
        ]}
      />
      <button type="button" className="secondary" onClick={round.reload}>
        {t('common.refresh')}
      </button>
    </>
  );
}
