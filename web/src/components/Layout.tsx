import type { ReactNode } from 'react';
import { labels, useI18n } from '../i18n';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import type { User } from '../types';

/** Auditors read and verify; they have no inbox, so their home page is the audit page. */
export const isAuditorOnly = (me: User | null) => Boolean(me && me.roles.length > 0 && me.roles.every((r) => r.role === 'auditor'));
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationBell } from './NotificationBell';

/** The page frame: skip link, navigation by role, the signed-in user, language and sign-out. */
export function Layout({ children }: { children: ReactNode }) {
  const i = useI18n();
  const { t } = i;
  const l = labels(i);
  const session = useSession();
  const { path } = useLocation();
  const me = session.me;

  const auditorOnly = isAuditorOnly(me);
  const items: { to: string; label: string; show: boolean; active: boolean }[] = [
    { to: '/', label: t('nav.inbox'), show: !auditorOnly, active: path === '/' || path.startsWith('/cases') },
    { to: '/submit', label: t('nav.submit'), show: session.has('clerk'), active: path === '/submit' },
    { to: '/records', label: t('nav.records'), show: true, active: path.startsWith('/records') },
    { to: '/rounds', label: t('nav.rounds'), show: !auditorOnly, active: path.startsWith('/rounds') },
    { to: '/assessments', label: t('nav.assessments'), show: !auditorOnly, active: path.startsWith('/assessments') },
    {
      to: '/delegations',
      label: t('nav.delegations'),
      show: session.has('approver') || session.has('personnel_officer'),
      active: path === '/delegations',
    },
    { to: '/audit', label: t('nav.audit'), show: session.has('auditor'), active: path.startsWith('/audit') },
    { to: '/admin/notifications', label: t('nav.notifications'), show: session.has('admin'), active: path.startsWith('/admin') },
  ];

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="app-header">
        <div className="header-row">
          <Link to="/" className="brand">
            {t('app.title')}
          </Link>
          <LanguageSwitch />
        </div>
        <div className="header-row">
          <nav aria-label={t('nav.label')}>
            <ul>
              {items
                .filter((x) => x.show)
                .map((x) => (
                  <li key={x.to}>
                    <Link to={x.to} aria-current={x.active ? 'page' : undefined}>
                      {x.label}
                    </Link>
                  </li>
                ))}
            </ul>
          </nav>
          {me && (
            <div className="who">
              <span data-testid="signed-in-user" data-user={me.id}>
                {me.name}
              </span>
              <span className="muted roles">{[...new Set(me.roles.map((r) => l.role(r.role)))].join(' · ')}</span>
              <NotificationBell />
              <button type="button" className="link-button" onClick={session.signOut}>
                {t('nav.signOut')}
              </button>
            </div>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
