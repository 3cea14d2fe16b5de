import { useEffect, useState } from 'react';
import { api } from '../api';
import { useGet } from '../hooks';
import { useI18n } from '../i18n';
import { Link } from '../router';
import type { NotificationPage, NotificationPreferences } from '../types';

/** How often the bell asks for new notifications while the page is open. */
const REFRESH_MS = 30_000;

/**
 * The bell (通知): the unread count in the header; opened, the newest notifications with a link to each case,
 * "mark all read", and the user's channels (in the app, by email).
 */
export function NotificationBell() {
  const { t, tx, dateTime } = useI18n();
  const [open, setOpen] = useState(false);
  const [tick, setTick] = useState(0);
  const page = useGet<NotificationPage>('/notifications?limit=10', tick);
  const prefs = useGet<NotificationPreferences>(open ? '/me/notification-preferences' : null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const unread = page.data?.unread ?? 0;
  const markAll = async () => {
    await api('/notifications/read', { method: 'POST', body: { all: true } });
    setTick((n) => n + 1);
  };
  const setChannel = async (change: Partial<NotificationPreferences>) => {
    if (!prefs.data) return;
    await api('/me/notification-preferences', { method: 'PUT', body: { ...prefs.data, ...change } });
    setSaved(true);
    prefs.reload();
    setTick((n) => n + 1);
  };

  return (
    <div className="bell">
      <button
        type="button"
        className="bell-button"
        aria-expanded={open}
        data-testid="notification-bell"
        data-unread={unread}
        onClick={() => setOpen((o) => !o)}
      >
        {t('notifications.bell')}
        {unread > 0 && <span className="badge">{t('notifications.unread', { count: unread })}</span>}
      </button>
      {open && (
        <div className="bell-panel" role="region" aria-label={t('notifications.bell')}>
          {page.data && page.data.items.length === 0 && <p className="muted">{t('notifications.empty')}</p>}
          <ul>
            {page.data?.items.map((n) => (
              <li key={n.id} className={n.readAt ? 'read' : 'unread'} data-testid="notification">
                <Link to={`/cases/${n.caseId}`}>
                  <strong>{tx(`notifications.kind.${n.kind}`, n.kind)}</strong> {n.subjectName}
                </Link>{' '}
                <span className="muted">{dateTime(n.at)}</span>
              </li>
            ))}
          </ul>
          {unread > 0 && (
            <button type="button" onClick={() => void markAll()}>
              {t('notifications.markAllRead')}
            </button>
          )}
          {prefs.data && (
            <fieldset>
              <legend>{t('notifications.preferences')}</legend>
              <label>
                <input type="checkbox" checked={prefs.data.inApp} onChange={(e) => void setChannel({ inApp: e.target.checked })} />{' '}
                {t('notifications.inApp')}
              </label>
              <label>
                <input type="checkbox" checked={prefs.data.email} onChange={(e) => void setChannel({ email: e.target.checked })} />{' '}
                {t('notifications.email')}
              </label>
              {saved && <span className="muted">{t('notifications.saved')}</span>}
            </fieldset>
          )}
        </div>
      )}
    </div>
  );
}
