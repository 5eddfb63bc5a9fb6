import type { RouteObject } from 'react-router';
import { RequireSession } from '../../app/RequireSession';
import { ChildPage } from './ChildPage';
import { ChildrenPage } from './ChildrenPage';

/** The parent pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const parentRoutes: RouteObject[] = [
  {
    path: '/parent',
    element: (
      <RequireSession roles={['PARENT']}>
        <ChildrenPage />
      </RequireSession>
    ),
  },
  {
    path: '/parent/children/:childId',
    element: (
      <RequireSession roles={['PARENT']}>
        <ChildPage />
      </RequireSession>
    ),
  },
];
