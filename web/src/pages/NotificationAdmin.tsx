import { useId, useMemo, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { CaseBriefText } from '../components/CaseRef';
import { ErrorMessage, Field, Loading, PageTitle, ResponsiveTable } from '../components/common';
import { useGet, useOrgUnits, useUserNames, useUsers } from '../hooks';
import { useI18n, type I18n } from '../i18n';
import type { NotificationDeliveries, UserEmail, WebhookTarget } from '../types';

const FORMATS = ['signed', 'dingtalk', 'wecom'] as const;
type Format = (typeof FORMATS)[number];

/** The fields of a target as the API names them, for showing its field errors beside the right label. */
const FIELD_KEYS: Record<
  string,
  'admin.target.id' | 'admin.target.name' | 'admin.target.format' | 'admin.target.url' | 'admin.target.secret' | 'admin.target.orgPath'
> = {
  id: 'admin.target.id',
  name: 'admin.target.name',
  format: 'admin.target.format',
  url: 'admin.target.url',
  secret: 'admin.target.secret',
  orgPath: 'admin.target.orgPath',
};

/**
 * A server problem in plain words of the user's language: the kind of problem, and which fields were wrong by
 * their labels. The server's own detail is English, so it is shown only in the English UI.
 */
function PlainError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const i = useI18n();
  const { t } = i;
  if (i.lang === 'en' || !(error instanceof ApiError)) return <ErrorMessage error={error} onRetry={onRetry} />;
  const title = error.status === 403 ? t('admin.forbidden') : i.tx(`problem.${error.type}`, t('error.other', { status: error.status }));
  // Field errors name the field ("url", "secret"); a service's own check names it at the start of its detail.
  const fields = new Set(error.errors.map((e) => e.field.split('.')[0] ?? e.field));
  const named = /^(\w+):/.exec(error.detail)?.[1];
  if (named) fields.add(named);
  const labelled = [...fields].filter((f): f is string => Boolean(f && FIELD_KEYS[f]));
  return (
    <div className="error" role="alert" data-testid="admin-error" data-status={error.status}>
      <p className="error-title">{title}</p>
      {labelled.length > 0 && (
        <ul className="error-fields">
          {labelled.map((f) => (
            <li key={f}>{t('admin.fieldWrong', { field: t(FIELD_KEYS[f] as NonNullable<(typeof FIELD_KEYS)[string]>) })}</li>
          ))}
        </ul>
      )}
      {onRetry && (
        <button type="button" className="secondary" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

/** Times in the log to the second: an administrator compares them with the receiver's own log. */
function seconds(i: I18n, iso: string | null): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i.lang, { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(iso));
}

/**
 * Notification settings (通知设置, administrators): the webhook targets (signed JSON, DingTalk or WeCom group
 * robots), users' email addresses, and the delivery log of email and webhook notifications.
 */
export function NotificationAdmin() {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const targets = useGet<WebhookTarget[]>('/admin/webhook-targets', version);
  const deliveries = useGet<NotificationDeliveries>('/admin/notification-deliveries', version);
  const refresh = () => setVersion((v) => v + 1);

  // Someone who is not an administrator opened the address: the API's 403, said plainly, and nothing else.
  if (targets.error instanceof ApiError && targets.error.status === 403) {
    return (
      <>
        <PageTitle>{t('admin.title')}</PageTitle>
        <PlainError error={targets.error} />
      </>
    );
  }
  return (
    <>
      <PageTitle>{t('admin.title')}</PageTitle>
      <p className="lead">{t('admin.intro')}</p>
      <Targets targets={targets} onChange={refresh} />
      <EmailForm />
      <Deliveries deliveries={deliveries} targets={targets.data ?? []} onRefresh={refresh} />
    </>
  );
}

interface Draft {
  id: string;
  name: string;
  format: Format;
  url: string;
  secret: string;
  orgPath: string;
  active: boolean;
  /** Kept from the target being replaced (the form does not edit them): empty means every kind. */
  kinds: WebhookTarget['kinds'];
}

const EMPTY: Draft = { id: '', name: '', format: 'signed', url: '', secret: '', orgPath: '', active: true, kinds: [] };

function Targets({ targets, onChange }: { targets: ReturnType<typeof useGet<WebhookTarget[]>>; onChange: () => void }) {
  const i = useI18n();
  const { t } = i;
  const uid = useId();
  const units = useOrgUnits();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [replacing, setReplacing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [done, setDone] = useState('');
  const areas = useMemo(() => (units.data?.items ?? []).filter((u) => u.kind === 'area'), [units.data]);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone('');
    try {
      const { id, secret, ...rest } = draft;
      await api<WebhookTarget>(`/admin/webhook-targets/${encodeURIComponent(id.trim())}`, {
        method: 'PUT',
        body: { ...rest, name: rest.name.trim(), url: rest.url.trim(), secret: secret === '' ? null : secret },
      });
      setDone(t(replacing ? 'admin.target.replaced' : 'admin.target.created', { id: id.trim() }));
      setDraft(EMPTY);
      setReplacing(false);
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const edit = (target: WebhookTarget) => {
    // Only the fields the API takes (its body is strict); the secret starts empty, as it is never answered.
    const { id, name, format, url, orgPath, active, kinds } = target;
    setDraft({ id, name, format, url, orgPath, active, kinds, secret: '' });
    setReplacing(true);
    setError(null);
    setDone('');
  };
  const remove = async (id: string) => {
    setError(null);
    setDone('');
    try {
      await api(`/admin/webhook-targets/${encodeURIComponent(id)}`, { method: 'DELETE' });
      setDone(t('admin.target.removed', { id }));
      onChange();
    } catch (err) {
      setError(err);
    } finally {
      setRemoving(null);
    }
  };

  const rows = targets.data ?? [];
  return (
    <section aria-labelledby={`${uid}-targets`} data-testid="webhook-targets">
      <h2 id={`${uid}-targets`}>{t('admin.targets')}</h2>
      {targets.error ? <PlainError error={targets.error} onRetry={targets.reload} /> : null}
      {!targets.data && !targets.error && <Loading />}
      {targets.data && rows.length === 0 && <p className="empty">{t('admin.targets.empty')}</p>}
      {rows.length > 0 && (
        <ResponsiveTable
          rows={rows}
          rowKey={(x) => x.id}
          rowAttributes={(x) => ({ 'data-target-id': x.id })}
          caption={t('admin.targets')}
          columns={[
            { label: t('admin.target.id'), cell: (x) => x.id },
            { label: t('admin.target.name'), cell: (x) => x.name },
            { label: t('admin.target.format'), cell: (x) => t(`admin.format.${x.format}`) },
            { label: t('admin.target.url'), cell: (x) => <span className="break">{x.url}</span> },
            { label: t('admin.target.secret'), cell: (x) => (x.hasSecret ? t('admin.target.secretSet') : t('admin.target.secretNone')) },
            { label: t('admin.target.orgPath'), cell: (x) => areas.find((u) => u.path === x.orgPath)?.name ?? x.orgPath },
            { label: t('admin.target.active'), cell: (x) => (x.active ? t('common.yes') : t('common.no')) },
            {
              label: t('admin.actions'),
              cell: (x) =>
                removing === x.id ? (
                  <span className="buttons" role="group" aria-label={t('admin.target.confirmRemove', { id: x.id })}>
                    <span>{t('admin.target.confirmRemove', { id: x.id })}</span>
                    <button type="button" className="danger" onClick={() => void remove(x.id)}>
                      {t('admin.target.remove')}
                    </button>
                    <button type="button" className="secondary" onClick={() => setRemoving(null)}>
                      {t('common.cancel')}
                    </button>
                  </span>
                ) : (
                  <span className="buttons">
                    <button type="button" className="secondary" onClick={() => edit(x)}>
                      {t('admin.target.edit')}
                    </button>
                    <button type="button" className="secondary" onClick={() => setRemoving(x.id)}>
                      {t('admin.target.remove')}
                    </button>
                  </span>
                ),
            },
          ]}
        />
      )}
      {done && (
        <p className="success" role="status" data-testid="admin-done">
          {done}
        </p>
      )}
      <form className="stack" onSubmit={(e) => void save(e)} data-testid="webhook-target-form" aria-labelledby={`${uid}-form`}>
        <h3 id={`${uid}-form`}>{replacing ? t('admin.target.replace', { id: draft.id }) : t('admin.target.create')}</h3>
        <Field id={`${uid}-id`} label={t('admin.target.id')} hint={t('admin.target.idHint')} required>
          <input
            id={`${uid}-id`}
            value={draft.id}
            onChange={(e) => set('id', e.target.value)}
            required
            maxLength={64}
            pattern="[a-z0-9\-]+"
            readOnly={replacing}
          />
        </Field>
        <Field id={`${uid}-name`} label={t('admin.target.name')} required>
          <input id={`${uid}-name`} value={draft.name} onChange={(e) => set('name', e.target.value)} required maxLength={100} />
        </Field>
        <Field id={`${uid}-format`} label={t('admin.target.format')} required>
          <select id={`${uid}-format`} value={draft.format} onChange={(e) => set('format', e.target.value as Format)}>
            {FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`admin.format.${f}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${uid}-url`} label={t('admin.target.url')} hint={t('admin.target.urlHint')} required>
          <input id={`${uid}-url`} type="url" value={draft.url} onChange={(e) => set('url', e.target.value)} required maxLength={2000} />
        </Field>
        {/* The API replaces the secret with what is sent (it never answers it): there is no "keep the old one". */}
        <Field
          id={`${uid}-secret`}
          label={t('admin.target.secret')}
          hint={draft.format === 'signed' ? t('admin.target.secretHintSigned') : t('admin.target.secretHintRobot')}
          required={draft.format === 'signed'}
        >
          <input
            id={`${uid}-secret`}
            type="password"
            autoComplete="new-password"
            value={draft.secret}
            onChange={(e) => set('secret', e.target.value)}
            required={draft.format === 'signed'}
            minLength={16}
            maxLength={200}
          />
        </Field>
        <Field id={`${uid}-org`} label={t('admin.target.orgPath')} hint={t('admin.target.orgPathHint')} required>
          <select id={`${uid}-org`} value={draft.orgPath} onChange={(e) => set('orgPath', e.target.value)} required>
            <option value="">{t('admin.target.chooseOrg')}</option>
            {areas.map((u) => (
              <option key={u.id} value={u.path}>
                {u.name}
              </option>
            ))}
          </select>
        </Field>
        <label>
          <input type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} /> {t('admin.target.active')}
        </label>
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? t('common.working') : t('admin.target.save')}
          </button>
          {replacing && (
            <button
              type="button"
              className="secondary"
              onClick={() => {
                setDraft(EMPTY);
                setReplacing(false);
              }}
            >
              {t('common.cancel')}
            </button>
          )}
        </div>
        {error ? <PlainError error={error} /> : null}
      </form>
    </section>
  );
}

function EmailForm() {
  const { t } = useI18n();
  const uid = useId();
  const users = useUsers();
  const name = useUserNames();
  const [userId, setUserId] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<UserEmail | null>(null);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const body = { email: email.trim() === '' ? null : email.trim() };
      setSaved(await api<UserEmail>(`/admin/users/${encodeURIComponent(userId)}/email`, { method: 'PUT', body }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${uid}-email`} data-testid="user-email">
      <h2 id={`${uid}-email`}>{t('admin.email')}</h2>
      <form className="stack" onSubmit={(e) => void save(e)}>
        <Field id={`${uid}-user`} label={t('admin.email.user')} required>
          <select id={`${uid}-user`} value={userId} onChange={(e) => setUserId(e.target.value)} required>
            <option value="">{t('admin.email.chooseUser')}</option>
            {users.data?.items.map((u) => (
              <option key={u.id} value={u.id}>
                {name(u.id)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={`${uid}-address`} label={t('admin.email.address')} hint={t('admin.email.hint')}>
          <input id={`${uid}-address`} type="email" value={email} onChange={(e) => setEmail(e.target.value)} maxLength={254} />
        </Field>
        <div className="buttons">
          <button type="submit" disabled={busy}>
            {busy ? t('common.working') : t('admin.email.save')}
          </button>
        </div>
        {saved && (
          <p className="success" role="status">
            {saved.email
              ? t('admin.email.saved', { user: name(saved.userId), email: saved.email })
              : t('admin.email.removed', { user: name(saved.userId) })}
          </p>
        )}
        {error ? <PlainError error={error} /> : null}
      </form>
    </section>
  );
}

function Deliveries({
  deliveries,
  targets,
  onRefresh,
}: {
  deliveries: ReturnType<typeof useGet<NotificationDeliveries>>;
  targets: WebhookTarget[];
  onRefresh: () => void;
}) {
  const i = useI18n();
  const { t } = i;
  const uid = useId();
  // Newest first: the log is read to find what just failed.
  const rows = [...(deliveries.data ?? [])].reverse();
  return (
    <section aria-labelledby={`${uid}-log`} data-testid="delivery-log">
      <h2 id={`${uid}-log`}>{t('admin.deliveries')}</h2>
      <button type="button" className="secondary" onClick={onRefresh}>
        {t('common.refresh')}
      </button>
      {deliveries.error ? <PlainError error={deliveries.error} onRetry={deliveries.reload} /> : null}
      {!deliveries.data && !deliveries.error && <Loading />}
      {deliveries.data && rows.length === 0 && <p className="empty">{t('admin.deliveries.empty')}</p>}
      {rows.length > 0 && (
        <ResponsiveTable
          rows={rows}
          rowKey={(d) => d.id}
          rowAttributes={(d) => ({ 'data-delivery-id': d.id, 'data-channel': d.channel, 'data-status': d.status })}
          caption={t('admin.deliveries')}
          columns={[
            { label: t('admin.delivery.channel'), cell: (d) => t(`admin.channel.${d.channel}`) },
            {
              label: t('admin.delivery.target'),
              cell: (d) => (d.targetId ? (targets.find((x) => x.id === d.targetId)?.name ?? d.targetId) : t('admin.delivery.byEmail')),
            },
            // The case as people name it (its number and subject); its id stays in the API's answer, for tracing.
            { label: t('admin.delivery.case'), cell: (d) => <CaseBriefText id={d.caseId} brief={d.case} /> },
            { label: t('admin.delivery.kind'), cell: (d) => i.tx(`notifications.kind.${d.kind}`, d.kind) },
            { label: t('admin.delivery.status'), cell: (d) => t(`admin.delivery.status.${d.status}`) },
            { label: t('admin.delivery.attempts'), cell: (d) => i.number(d.attempts) },
            // The receiver's or the mail server's words, as they came back: shown as recorded, marked as such.
            { label: t('admin.delivery.lastError'), cell: (d) => (d.lastError ? <span lang="en">{d.lastError}</span> : '—') },
            { label: t('admin.delivery.lastAttempt'), cell: (d) => seconds(i, d.log.at(-1)?.at ?? null) },
            { label: t('admin.delivery.sentAt'), cell: (d) => seconds(i, d.sentAt) },
          ]}
        />
      )}
    </section>
  );
}
