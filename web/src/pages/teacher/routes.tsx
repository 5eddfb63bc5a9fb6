import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequireSession } from '../../app/RequireSession';
import { TeacherCoursePage } from './TeacherCoursePage';
import { TeacherHomePage } from './TeacherHomePage';

const teacher = (page: ReactNode) => <RequireSession roles={['TEACHER', 'SCHOOL_ADMIN']}>{page}</RequireSession>;

/** The teacher pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const teacherRoutes: RouteObject[] = [
  { path: '/teacher', element: teacher(<TeacherHomePage />) },
  { path: '/teacher/courses/:courseId', element: teacher(<TeacherCoursePage />) },
];
