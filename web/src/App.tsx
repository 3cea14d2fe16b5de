import { useEffect, useRef } from 'react';
import { ErrorBoundary, Loading, PageTitle } from './components/common';
import { isAuditorOnly, Layout } from './components/Layout';
import { useI18n } from './i18n';
import { CALLBACK_PATH } from './oidc';
import { Audit } from './pages/Audit';
import { CasePage } from './pages/CasePage';
import { Delegations } from './pages/Delegations';
import { Inbox } from './pages/Inbox';
import { Login, OidcCallback } from './pages/Login';
import { NotificationAdmin } from './pages/NotificationAdmin';
import { PrintDossier } from './pages/PrintDossier';
import { PublicNotices } from './pages/PublicNotices';
import { Records, WorkerPage } from './pages/Records';
import { AssessmentPage, Assessments } from './pages/Assessments';
import { RoundPage, Rounds } from './pages/Rounds';
import { Submit } from './pages/Submit';
import { Link, match, useLocation } from './router';
import { useSession } from './session';

export function App() {
  const { t } = useI18n();
  const session = useSession();
  const location = useLocation();

  // After in-app navigation, move focus to the new page's heading so keyboard and screen-reader users start
  // there; on a fresh load the focus stays at the top, where the skip link is.
  const firstPath = useRef(true);
  useEffect(() => {
    if (firstPath.current) {
      firstPath.current = false;
      return;
    }
    const timer = setTimeout(() => document.getElementById('page-title')?.focus({ preventScroll: true }), 0);
    return () => clearTimeout(timer);
  }, [location.path]);

  useEffect(() => {
    document.title = t('app.title');
  }, [t]);

  if (location.path === CALLBACK_PATH) return <OidcCallback />;
  // The public notice board is for residents: no sign-in.
  if (location.path === '/public' || location.path === '/public/notices') return <PublicNotices />;
  if (session.state === 'checking') return <Loading />;
  if (session.state === 'signed-out' || !session.me) return <Login />;

  return (
    <Layout>
      <ErrorBoundary
        key={location.path}
        fallback={(error, reset) => (
          <div className="error" role="alert">
            <p className="error-title">{t('error.unexpected')}</p>
            <p className="error-detail">{error.message}</p>
            <button type="button" onClick={reset}>
              {t('common.retry')}
            </button>
          </div>
        )}
      >
        <Route path={location.path} auditorOnly={isAuditorOnly(session.me)} />
      </ErrorBoundary>
    </Layout>
  );
}

function Route({ path, auditorOnly }: { path: string; auditorOnly: boolean }) {
  const { t } = useI18n();
  let params: Record<string, string> | null;
  if (path === '/' || path === '/inbox') return auditorOnly ? <Audit /> : <Inbox />;
  if (path === '/submit') return <Submit />;
  if ((params = match('/cases/:id/print', path))) return <PrintDossier id={params.id as string} />;
  if ((params = match('/cases/:id', path))) return <CasePage key={params.id} id={params.id as string} />;
  if (path === '/records') return <Records />;
  if ((params = match('/records/:id', path))) return <WorkerPage key={params.id} id={params.id as string} />;
  if (path === '/rounds') return <Rounds />;
  if (path === '/assessments') return <Assessments />;
  if ((params = match('/assessments/:id', path))) return <AssessmentPage key={params.id} id={params.id as string} />;
  if ((params = match('/rounds/:id', path))) return <RoundPage key={params.id} id={params.id as string} />;
  if (path === '/audit') return <Audit />;
  if (path === '/delegations') return <Delegations />;
  if (path === '/admin/notifications') return <NotificationAdmin />;
  return (
    <>
      <PageTitle>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <Link to="/">{t('notFound.home')}</Link>
    </>
  );
}
