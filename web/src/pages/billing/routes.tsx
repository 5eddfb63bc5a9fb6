import type { RouteObject } from 'react-router';
import { RequireSession } from '../../app/RequireSession';
import { BillingPage } from './BillingPage';

/** The billing pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const billingRoutes: RouteObject[] = [
  {
    path: '/billing',
    element: (
      <RequireSession roles={['PARENT', 'STUDENT', 'SCHOOL_ADMIN']}>
        <BillingPage />
      </RequireSession>
    ),
  },
];
