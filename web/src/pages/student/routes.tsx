import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import { RequireSession } from '../../app/RequireSession';
import { StudentAttemptPage } from './StudentAttemptPage';
import { StudentCoursePage } from './StudentCoursePage';
import { StudentHomePage } from './StudentHomePage';
import { StudentQuizPage } from './StudentQuizPage';

const student = (page: ReactNode) => <RequireSession roles={['STUDENT']}>{page}</RequireSession>;

/** The student pages and their paths (mounted under the signed-in layout by app/App.tsx). */
export const studentRoutes: RouteObject[] = [
  { path: '/student', element: student(<StudentHomePage />) },
  { path: '/student/courses/:courseId', element: student(<StudentCoursePage />) },
  { path: '/student/quizzes/:quizId', element: student(<StudentQuizPage />) },
  { path: '/student/attempts/:attemptId', element: student(<StudentAttemptPage />) },
];
