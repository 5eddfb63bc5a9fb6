import type { RouteObject } from 'react-router';
import { RequireSession } from '../../app/RequireSession';
import { CourseDashboardPage } from './CourseDashboardPage';
import { SchoolDashboardPage } from './SchoolDashboardPage';

/** The analytics pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const analyticsRoutes: RouteObject[] = [
  {
    path: '/teacher/courses/:courseId/dashboard',
    element: (
      <RequireSession roles={['TEACHER', 'SCHOOL_ADMIN']}>
        <CourseDashboardPage />
      </RequireSession>
    ),
  },
  {
    path: '/admin/dashboard',
    element: (
      <RequireSession roles={['SCHOOL_ADMIN']}>
        <SchoolDashboardPage />
      </RequireSession>
    ),
  },
];
