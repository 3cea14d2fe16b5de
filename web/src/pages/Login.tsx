import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../api';
import { ErrorMessage, Field, Loading, PageTitle } from '../components/common';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useGet } from '../hooks';
import { labels, useI18n } from '../i18n';
import { completeOidcSignIn, startOidcSignIn } from '../oidc';
import { navigate, useLocation } from '../router';
import { useSession } from '../session';
import type { AuthConfig, DemoLogin, DemoUser, DemoUserList } from '../types';

/** Sign-in: the demo user list (only while the server offers demo sign-in), or the OIDC provider. */
export function Login() {
  const i = useI18n();
  const { t } = i;
  const session = useSession();
  const config = useGet<AuthConfig>('/auth/config');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const oidcSignIn = async () => {
    if (!config.data?.oidc) return;
    setBusy(true);
    setError(null);
    try {
      const here = window.location.pathname + window.location.search;
      await startOidcSignIn(config.data.oidc, here.startsWith('/auth/') ? '/' : here);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <header className="login-header">
        <span className="brand">{t('app.title')}</span>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-main">
        <PageTitle>{t('login.title')}</PageTitle>
        <p className="lead">{t('login.intro')}</p>
        {session.notice === 'expired' && (
          <p className="notice" role="status">
            {t('login.expired')}
          </p>
        )}
        {session.error ? <ErrorMessage error={session.error} /> : null}
        {config.loading && <Loading />}
        {config.error ? <ErrorMessage error={config.error} onRetry={config.reload} /> : null}
        {config.data?.oidc && (
          <section className="card">
            <h2>{t('login.oidcTitle')}</h2>
            <p>{t('login.oidcIntro')}</p>
            <button type="button" onClick={() => void oidcSignIn()} disabled={busy}>
              {t('login.oidcButton')}
            </button>
          </section>
        )}
        {config.data?.demoLogin && <DemoLogin />}
        {config.data && !config.data.demoLogin && !config.data.oidc && <p className="notice">{t('login.noMethod')}</p>}
        {error ? <ErrorMessage error={error} /> : null}
      </main>
    </div>
  );
}

function DemoLogin() {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const users = useGet<DemoUserList>('/auth/demo-users');
  const [userId, setUserId] = useState('');
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    const items = users.data?.items ?? [];
    if (!q) return items;
    return items.filter((u) =>
      `${u.id} ${u.name} ${u.roles.map((r) => `${r.orgUnitName} ${l.role(r.role)}`).join(' ')}`.toLowerCase().includes(q),
    );
  }, [users.data, filter, l]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!userId) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api<DemoLogin>('/auth/demo-login', { method: 'POST', body: { userId }, anonymous: true });
      await session.signIn(result.token);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const describe = (u: DemoUser) => `${u.name} — ${u.roles.map((r) => `${l.role(r.role)} · ${r.orgUnitName}`).join('; ')}`;

  return (
    <section className="card demo-login" aria-labelledby="demo-title" data-testid="demo-login">
      <h2 id="demo-title">
        {t('login.demoTitle')} <span className="badge demo">{t('login.demoBadge')}</span>
      </h2>
      <p className="warning-text">{t('login.demoWarning')}</p>
      {users.loading && <Loading />}
      {users.error ? <ErrorMessage error={users.error} onRetry={users.reload} /> : null}
      {users.data && (
        <form onSubmit={(e) => void submit(e)}>
          <Field id="demo-filter" label={t('login.filter')}>
            <input id="demo-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </Field>
          <Field id="demo-user" label={t('login.chooseUser')} required>
            <select
              id="demo-user"
              value={userId}
              onChange={(e) => setUserId(e.target.value)}
              aria-required="true"
              size={Math.min(10, Math.max(4, visible.length + 1))}
            >
              <option value="">{t('form.choose')}</option>
              {visible.map((u) => (
                <option key={u.id} value={u.id}>
                  {describe(u)}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" disabled={busy || !userId}>
            {busy ? t('common.working') : t('login.signIn')}
          </button>
        </form>
      )}
      {error ? <ErrorMessage error={error} /> : null}
    </section>
  );
}

/** Back from the OIDC provider: exchange the code, then go where the user was. */
export function OidcCallback() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const config = await api<AuthConfig>('/auth/config', { anonymous: true });
      if (!config.oidc) throw new Error('OIDC is not configured');
      const { token, returnTo } = await completeOidcSignIn(config.oidc, location.search);
      if (cancelled) return;
      await session.signIn(token);
      navigate(returnTo, { replace: true });
    })().catch((err: unknown) => !cancelled && setError(err));
    return () => {
      cancelled = true;
    };
    // The callback runs once, for the URL the provider sent the browser to.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <main id="main" className="login-main">
      <PageTitle>{t('login.title')}</PageTitle>
      {error ? (
        <>
          <ErrorMessage error={error} />
          <button type="button" onClick={() => navigate('/', { replace: true })}>
            {t('login.backToSignIn')}
          </button>
        </>
      ) : (
        <Loading label={t('login.completing')} />
      )}
    </main>
  );
}
