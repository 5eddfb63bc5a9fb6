import type { RouteObject } from 'react-router';
import { RequireSession } from '../../app/RequireSession';
import { ClassroomPage } from './ClassroomPage';

/** The classroom pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const classroomRoutes: RouteObject[] = [
  {
    path: '/classroom/:sessionId',
    element: (
      <RequireSession roles={['TEACHER', 'STUDENT', 'SCHOOL_ADMIN']}>
        <ClassroomPage />
      </RequireSession>
    ),
  },
];
