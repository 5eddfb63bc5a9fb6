/**
 * Bus topics of the live dashboards. The school id is in every topic, so no two tenants ever
 * share one and a subscription can only name a topic of the viewer's own school.
 */
export const dashboardTopics = {
  school: (schoolId: string) => `analytics:${schoolId}:school`,
  course: (schoolId: string, courseId: string) => `analytics:${schoolId}:course:${courseId}`,
  session: (schoolId: string, sessionId: string) => `analytics:${schoolId}:session:${sessionId}`,
};
