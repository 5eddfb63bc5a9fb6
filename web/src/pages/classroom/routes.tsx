import type { RouteObject } from 'react-router';

/** The classroom pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const classroomRoutes: RouteObject[] = [];
