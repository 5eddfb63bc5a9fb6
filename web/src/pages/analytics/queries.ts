import { graphql } from '../../gql';

export const AnalyticsCourse = graphql(`
  query AnalyticsCourse($courseId: ID!) {
    course(id: $courseId) {
      id
      title
      analytics {
        ...AnalyticsCourseFigures
      }
    }
  }
`);

export const AnalyticsCourseFigures = graphql(`
  fragment AnalyticsCourseFigures on CourseAnalytics {
    enrolledStudents
    activeStudents7d
    averageProgress
    completionRate
    averageQuizScore
    attendanceRate
  }
`);

export const AnalyticsCourseLive = graphql(`
  subscription AnalyticsCourseLive($courseId: ID!) {
    courseAnalytics(courseId: $courseId) {
      ...AnalyticsCourseFigures
    }
  }
`);

/** Revenue comes `formatted` in the page's language (a subscription has no Accept-Language). */
export const AnalyticsSchoolFigures = graphql(`
  fragment AnalyticsSchoolFigures on SchoolAnalytics {
    activeStudents7d
    enrollments30d
    liveSessionsToday
    revenue30d {
      amountPiasters
      formatted(locale: $locale)
    }
  }
`);

export const AnalyticsSchool = graphql(`
  query AnalyticsSchool($locale: Locale) {
    school {
      id
      name
      analytics {
        ...AnalyticsSchoolFigures
      }
    }
  }
`);

export const AnalyticsSchoolLive = graphql(`
  subscription AnalyticsSchoolLive($locale: Locale) {
    schoolAnalytics {
      ...AnalyticsSchoolFigures
    }
  }
`);

export const AnalyticsSessionFigures = graphql(`
  fragment AnalyticsSessionFigures on LiveSessionAnalytics {
    inRoomNow
    peakInRoom
    handsRaised
    chatMessages
    pollParticipation
  }
`);

export const AnalyticsSession = graphql(`
  query AnalyticsSession($sessionId: ID!) {
    liveSession(id: $sessionId) {
      id
      analytics {
        ...AnalyticsSessionFigures
      }
    }
  }
`);

export const AnalyticsSessionLive = graphql(`
  subscription AnalyticsSessionLive($sessionId: ID!) {
    liveSessionAnalytics(sessionId: $sessionId) {
      ...AnalyticsSessionFigures
    }
  }
`);
