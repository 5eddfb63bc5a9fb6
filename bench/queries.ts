/** The teacher's dashboard of issue 14: about 2 users and 2 courses fetches per request. */
export const TEACHER_DASHBOARD = `query TeacherDashboard {
  me {
    displayName
    teachingCourses {
      title
      lessons { id title kind }
      liveSessions { id title startsAt status }
      enrollments { totalCount edges { node { status progress student { displayName } } } }
    }
  }
  courses { edges { node { title teacher { displayName } lessons { id title } liveSessions { id title startsAt } } } }
}`;
