import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { I18nProvider } from '../i18n/i18n';
import { analyticsRoutes } from '../pages/analytics/routes';
import { billingRoutes } from '../pages/billing/routes';
import { classroomRoutes } from '../pages/classroom/routes';
import { messagingRoutes } from '../pages/messaging/routes';
import { parentRoutes } from '../pages/parent/routes';
import { SignInPage } from '../pages/signin/SignInPage';
import { studentRoutes } from '../pages/student/routes';
import { teacherRoutes } from '../pages/teacher/routes';
import { Layout } from './Layout';
import { NotFound } from './NotFound';
import { RequireSession } from './RequireSession';
import { homeOf, useSession } from './use-session';

function Home() {
  const session = useSession();
  return <Navigate to={session ? homeOf(session.user.roles) : '/signin'} replace />;
}

/** Each area's pages need a signed-in user (their routes name the roles they are for). */
const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/signin', element: <SignInPage /> },
      {
        path: '/',
        element: (
          <RequireSession>
            <Home />
          </RequireSession>
        ),
      },
      ...[studentRoutes, teacherRoutes, parentRoutes, classroomRoutes, billingRoutes, messagingRoutes, analyticsRoutes].flat(),
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function App() {
  return (
    <I18nProvider>
      <RouterProvider router={router} />
    </I18nProvider>
  );
}
