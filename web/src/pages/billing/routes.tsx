import type { RouteObject } from 'react-router';

/** The billing pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const billingRoutes: RouteObject[] = [];
