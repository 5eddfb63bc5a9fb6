import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { lastTenant, refresh, type Role } from '../api/session';
import { useLang } from '../i18n/i18n';
import { Loading } from '../ui/feedback';
import { useSession } from './use-session';

/**
 * Pages that need a signed-in user: after a reload the session is restored from the refresh cookie
 * once (POST /auth/refresh); without one, the sign-in page, which comes back here afterwards.
 */
export function RequireSession({ roles, children }: { roles?: Role[]; children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  const { suggest } = useLang();
  const [tried, setTried] = useState(!!session || !lastTenant());
  useEffect(() => {
    if (session || tried) return;
    // refresh() shares one call among every caller in flight (StrictMode mounts this twice).
    void refresh()
      .catch(() => null)
      .finally(() => setTried(true));
  }, [session, tried]);
  useEffect(() => {
    if (session) suggest(session.user.locale === 'EN' ? 'en' : 'ar');
  }, [session, suggest]);
  if (!session && !tried) return <Loading />;
  if (!session) return <Navigate to="/signin" replace state={{ from: location.pathname + location.search }} />;
  if (roles && !roles.some((r) => session.user.roles.includes(r))) return <Navigate to="/" replace />;
  return <>{children}</>;
}
