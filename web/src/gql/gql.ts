/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query SchoolName {\n    school {\n      name\n    }\n  }\n": typeof types.SchoolNameDocument,
    "\n  query AnalyticsCourse($courseId: ID!) {\n    course(id: $courseId) {\n      id\n      title\n      analytics {\n        ...AnalyticsCourseFigures\n      }\n    }\n  }\n": typeof types.AnalyticsCourseDocument,
    "\n  fragment AnalyticsCourseFigures on CourseAnalytics {\n    enrolledStudents\n    activeStudents7d\n    averageProgress\n    completionRate\n    averageQuizScore\n    attendanceRate\n  }\n": typeof types.AnalyticsCourseFiguresFragmentDoc,
    "\n  subscription AnalyticsCourseLive($courseId: ID!) {\n    courseAnalytics(courseId: $courseId) {\n      ...AnalyticsCourseFigures\n    }\n  }\n": typeof types.AnalyticsCourseLiveDocument,
    "\n  fragment AnalyticsSchoolFigures on SchoolAnalytics {\n    activeStudents7d\n    enrollments30d\n    liveSessionsToday\n    revenue30d {\n      amountPiasters\n      formatted(locale: $locale)\n    }\n  }\n": typeof types.AnalyticsSchoolFiguresFragmentDoc,
    "\n  query AnalyticsSchool($locale: Locale) {\n    school {\n      id\n      name\n      analytics {\n        ...AnalyticsSchoolFigures\n      }\n    }\n  }\n": typeof types.AnalyticsSchoolDocument,
    "\n  subscription AnalyticsSchoolLive($locale: Locale) {\n    schoolAnalytics {\n      ...AnalyticsSchoolFigures\n    }\n  }\n": typeof types.AnalyticsSchoolLiveDocument,
    "\n  fragment AnalyticsSessionFigures on LiveSessionAnalytics {\n    inRoomNow\n    peakInRoom\n    handsRaised\n    chatMessages\n    pollParticipation\n  }\n": typeof types.AnalyticsSessionFiguresFragmentDoc,
    "\n  query AnalyticsSession($sessionId: ID!) {\n    liveSession(id: $sessionId) {\n      id\n      analytics {\n        ...AnalyticsSessionFigures\n      }\n    }\n  }\n": typeof types.AnalyticsSessionDocument,
    "\n  subscription AnalyticsSessionLive($sessionId: ID!) {\n    liveSessionAnalytics(sessionId: $sessionId) {\n      ...AnalyticsSessionFigures\n    }\n  }\n": typeof types.AnalyticsSessionLiveDocument,
    "\n  query BillingOverview($locale: Locale) {\n    me {\n      id\n      displayName\n      roles\n      children {\n        id\n        displayName\n        planSubscriptions {\n          ...BillingSubscriptionFields\n        }\n      }\n      planSubscriptions {\n        ...BillingSubscriptionFields\n      }\n    }\n    plans {\n      id\n      name\n      interval\n      price {\n        formatted(locale: $locale)\n      }\n      course {\n        id\n        title\n      }\n    }\n  }\n": typeof types.BillingOverviewDocument,
    "\n  fragment BillingSubscriptionFields on PlanSubscription {\n    id\n    status\n    currentPeriodEnd\n    plan {\n      id\n      name\n    }\n    student {\n      id\n      displayName\n    }\n  }\n": typeof types.BillingSubscriptionFieldsFragmentDoc,
    "\n  query BillingPayments($locale: Locale, $after: String) {\n    me {\n      id\n      payments(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            provider\n            method\n            status\n            createdAt\n            checkoutUrl\n            fawryReferenceNumber\n            expiresAt\n            amount {\n              amountPiasters\n              formatted(locale: $locale)\n            }\n            refundedAmount {\n              amountPiasters\n              formatted(locale: $locale)\n            }\n            invoice {\n              id\n              number\n              pdfUrl\n            }\n            subscription {\n              id\n              plan {\n                id\n                name\n              }\n            }\n            student {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.BillingPaymentsDocument,
    "\n  mutation BillingSubscribe(\n    $planId: ID!\n    $studentId: ID!\n    $provider: PaymentProvider!\n    $method: PaymentMethod!\n    $contact: PaymentContactInput\n    $locale: Locale\n  ) {\n    subscribe(planId: $planId, studentId: $studentId, provider: $provider, method: $method, contact: $contact) {\n      id\n      provider\n      method\n      status\n      checkoutUrl\n      fawryReferenceNumber\n      expiresAt\n      amount {\n        formatted(locale: $locale)\n      }\n    }\n  }\n": typeof types.BillingSubscribeDocument,
    "\n  mutation BillingCancelSubscription($id: ID!) {\n    cancelPlanSubscription(id: $id) {\n      id\n      status\n      currentPeriodEnd\n    }\n  }\n": typeof types.BillingCancelSubscriptionDocument,
    "\n  query BillingPaymentAmount($id: ID!, $locale: Locale) {\n    payment(id: $id) {\n      id\n      amount {\n        formatted(locale: $locale)\n      }\n    }\n  }\n": typeof types.BillingPaymentAmountDocument,
    "\n  query ClassroomSession($id: ID!) {\n    liveSession(id: $id) {\n      id\n      title\n      status\n      startsAt\n      startedAt\n      endedAt\n      course {\n        id\n        title\n        teacher {\n          id\n        }\n      }\n      participants {\n        id\n        displayName\n      }\n      raisedHands {\n        id\n        displayName\n      }\n      polls {\n        id\n        question\n        options\n        closed\n        counts\n        myVote\n      }\n    }\n  }\n": typeof types.ClassroomSessionDocument,
    "\n  query ClassroomAttendance($id: ID!) {\n    liveSession(id: $id) {\n      id\n      attendance {\n        status\n        firstJoinedAt\n        totalSeconds\n        student {\n          id\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.ClassroomAttendanceDocument,
    "\n  subscription ClassroomEvents($sessionId: ID!, $after: ID) {\n    liveSessionEvents(sessionId: $sessionId, after: $after) {\n      id\n      kind\n      at\n      text\n      actor {\n        id\n        displayName\n      }\n      subject {\n        id\n        displayName\n      }\n      poll {\n        id\n        question\n        options\n        closed\n        counts\n      }\n    }\n  }\n": typeof types.ClassroomEventsDocument,
    "\n  mutation ClassroomJoin($id: ID!) {\n    joinLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.ClassroomJoinDocument,
    "\n  mutation ClassroomLeave($id: ID!) {\n    leaveLiveSession(id: $id) {\n      id\n    }\n  }\n": typeof types.ClassroomLeaveDocument,
    "\n  mutation ClassroomStart($id: ID!) {\n    startLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.ClassroomStartDocument,
    "\n  mutation ClassroomEnd($id: ID!) {\n    endLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.ClassroomEndDocument,
    "\n  mutation ClassroomChat($sessionId: ID!, $text: String!) {\n    sendLiveChat(sessionId: $sessionId, text: $text) {\n      id\n    }\n  }\n": typeof types.ClassroomChatDocument,
    "\n  mutation ClassroomReact($sessionId: ID!, $emoji: String!) {\n    sendReaction(sessionId: $sessionId, emoji: $emoji) {\n      id\n    }\n  }\n": typeof types.ClassroomReactDocument,
    "\n  mutation ClassroomRaiseHand($sessionId: ID!) {\n    raiseHand(sessionId: $sessionId) {\n      id\n    }\n  }\n": typeof types.ClassroomRaiseHandDocument,
    "\n  mutation ClassroomLowerHand($sessionId: ID!, $userId: ID) {\n    lowerHand(sessionId: $sessionId, userId: $userId) {\n      id\n    }\n  }\n": typeof types.ClassroomLowerHandDocument,
    "\n  mutation ClassroomStartPoll($sessionId: ID!, $question: String!, $options: [String!]!) {\n    startPoll(sessionId: $sessionId, question: $question, options: $options) {\n      id\n    }\n  }\n": typeof types.ClassroomStartPollDocument,
    "\n  mutation ClassroomVote($pollId: ID!, $option: Int!) {\n    votePoll(pollId: $pollId, option: $option) {\n      id\n      myVote\n    }\n  }\n": typeof types.ClassroomVoteDocument,
    "\n  mutation ClassroomEndPoll($pollId: ID!) {\n    endPoll(pollId: $pollId) {\n      id\n      closed\n      counts\n    }\n  }\n": typeof types.ClassroomEndPollDocument,
    "\n  query MessagingConversations($after: String) {\n    me {\n      id\n    }\n    conversations(first: 30, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          subject\n          unreadCount\n          updatedAt\n          participants {\n            id\n            displayName\n          }\n          student {\n            id\n            displayName\n          }\n          lastMessage {\n            id\n            body\n            sender {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.MessagingConversationsDocument,
    "\n  fragment MessagingMessageFields on Message {\n    id\n    body\n    sentAt\n    sender {\n      id\n      displayName\n    }\n  }\n": typeof types.MessagingMessageFieldsFragmentDoc,
    "\n  query MessagingConversation($id: ID!, $after: String) {\n    me {\n      id\n    }\n    conversation(id: $id) {\n      id\n      subject\n      participants {\n        id\n        displayName\n      }\n      student {\n        id\n        displayName\n      }\n      messages(first: 20, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...MessagingMessageFields\n          }\n        }\n      }\n    }\n  }\n": typeof types.MessagingConversationDocument,
    "\n  mutation MessagingSend($conversationId: ID!, $body: String!) {\n    sendMessage(conversationId: $conversationId, body: $body) {\n      ...MessagingMessageFields\n    }\n  }\n": typeof types.MessagingSendDocument,
    "\n  mutation MessagingMarkRead($id: ID!) {\n    markConversationRead(id: $id) {\n      id\n      unreadCount\n    }\n  }\n": typeof types.MessagingMarkReadDocument,
    "\n  subscription MessagingMessageAdded($conversationId: ID!, $after: ID) {\n    messageAdded(conversationId: $conversationId, after: $after) {\n      ...MessagingMessageFields\n    }\n  }\n": typeof types.MessagingMessageAddedDocument,
    "\n  mutation MessagingStart($participantIds: [ID!]!, $subject: String!, $body: String!, $studentId: ID) {\n    startConversation(participantIds: $participantIds, subject: $subject, body: $body, studentId: $studentId) {\n      id\n    }\n  }\n": typeof types.MessagingStartDocument,
    "\n  query MessagingParentRecipients {\n    me {\n      id\n      children {\n        id\n        displayName\n        enrollments {\n          id\n          status\n          course {\n            id\n            title\n            teacher {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.MessagingParentRecipientsDocument,
    "\n  query MessagingTeacherRecipients {\n    me {\n      id\n      teachingCourses {\n        id\n        title\n        enrollments(first: 30) {\n          edges {\n            node {\n              id\n              status\n              student {\n                id\n                displayName\n                guardians {\n                  id\n                  displayName\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.MessagingTeacherRecipientsDocument,
    "\n  query MessagingAdminRecipients {\n    me {\n      id\n    }\n    users(first: 100) {\n      edges {\n        node {\n          id\n          displayName\n          roles\n        }\n      }\n    }\n  }\n": typeof types.MessagingAdminRecipientsDocument,
    "\n  subscription MessagingNotificationReceived($after: ID) {\n    notificationReceived(after: $after) {\n      id\n      title\n      body\n      category\n    }\n  }\n": typeof types.MessagingNotificationReceivedDocument,
    "\n  query ParentChildren {\n    me {\n      id\n      children {\n        id\n        displayName\n        enrollments {\n          id\n          status\n          progress\n        }\n      }\n    }\n  }\n": typeof types.ParentChildrenDocument,
    "\n  query ParentChild($id: ID!) {\n    me {\n      id\n      children {\n        id\n      }\n    }\n    user(id: $id) {\n      id\n      displayName\n      enrollments {\n        id\n        status\n        progress\n        enrolledAt\n        completedAt\n        course {\n          id\n          title\n        }\n        attendance {\n          status\n          firstJoinedAt\n          totalSeconds\n          session {\n            id\n            title\n            startsAt\n            status\n          }\n        }\n        quizAttempts {\n          id\n          number\n          status\n          score\n          maxScore\n          passed\n          submittedAt\n          quiz {\n            id\n            title\n          }\n        }\n      }\n    }\n  }\n": typeof types.ParentChildDocument,
    "\n  query ParentChildSubscriptions($id: ID!) {\n    user(id: $id) {\n      id\n      planSubscriptions {\n        id\n        status\n        currentPeriodEnd\n        plan {\n          id\n          name\n          price {\n            formatted\n          }\n        }\n      }\n    }\n  }\n": typeof types.ParentChildSubscriptionsDocument,
    "\n  mutation ParentPairWithCode($code: String!) {\n    pairWithCode(code: $code) {\n      id\n      displayName\n    }\n  }\n": typeof types.ParentPairWithCodeDocument,
    "\n  mutation StudentSaveAnswer($attemptId: ID!, $answer: AnswerInput!) {\n    saveQuizAnswer(attemptId: $attemptId, answer: $answer) {\n      id\n      lastSavedAt\n    }\n  }\n": typeof types.StudentSaveAnswerDocument,
    "\n  mutation StudentSubmitAttempt($attemptId: ID!, $answers: [AnswerInput!]!) {\n    submitQuizAttempt(attemptId: $attemptId, answers: $answers) {\n      id\n      status\n    }\n  }\n": typeof types.StudentSubmitAttemptDocument,
    "\n  query StudentAttempt($id: ID!) {\n    quizAttempt(id: $id) {\n      id\n      number\n      status\n      startedAt\n      deadline\n      submittedAt\n      timedOut\n      lastSavedAt\n      score\n      maxScore\n      passed\n      quiz {\n        id\n        title\n        passingScore\n        solutionsRevealed\n        course {\n          id\n        }\n        questions {\n          id\n          position\n          kind\n          prompt\n          options\n          points\n          solution {\n            choices\n            booleanValue\n            numericValue\n            tolerance\n            acceptedAnswers\n          }\n        }\n      }\n      answers {\n        id\n        choices\n        booleanValue\n        numericValue\n        text\n        correct\n        pointsAwarded\n        question {\n          id\n        }\n        solution {\n          choices\n          booleanValue\n          numericValue\n          tolerance\n          acceptedAnswers\n        }\n      }\n    }\n  }\n": typeof types.StudentAttemptDocument,
    "\n  query StudentCourse($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      description\n      teacher {\n        id\n        displayName\n      }\n      enrollments(first: 1) {\n        edges {\n          node {\n            id\n            status\n            progress\n          }\n        }\n      }\n      lessons {\n        id\n        title\n        position\n        kind\n        durationSeconds\n        completed\n      }\n      quizzes {\n        id\n        title\n        timeLimitSeconds\n        maxAttempts\n        dueAt\n        totalPoints\n        questions {\n          id\n        }\n      }\n      liveSessions(upcoming: true) {\n        id\n        title\n        startsAt\n        status\n      }\n    }\n  }\n": typeof types.StudentCourseDocument,
    "\n  mutation StudentCompleteLesson($lessonId: ID!) {\n    completeLesson(lessonId: $lessonId) {\n      id\n      status\n      progress\n    }\n  }\n": typeof types.StudentCompleteLessonDocument,
    "\n  query StudentCourses {\n    me {\n      id\n      enrollments {\n        id\n        status\n        progress\n        course {\n          id\n          title\n          teacher {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n": typeof types.StudentCoursesDocument,
    "\n  query StudentQuiz($id: ID!) {\n    quiz(id: $id) {\n      id\n      title\n      timeLimitSeconds\n      maxAttempts\n      dueAt\n      totalPoints\n      course {\n        id\n        title\n      }\n      questions {\n        id\n      }\n      attempts {\n        id\n        number\n        status\n        startedAt\n        score\n        maxScore\n        passed\n      }\n    }\n  }\n": typeof types.StudentQuizDocument,
    "\n  mutation StudentStartAttempt($quizId: ID!) {\n    startQuizAttempt(quizId: $quizId) {\n      id\n    }\n  }\n": typeof types.StudentStartAttemptDocument,
    "\n  query TeacherCourseRoster($id: ID!, $first: Int!, $after: String) {\n    course(id: $id) {\n      id\n      enrollments(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            status\n            progress\n            student {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": typeof types.TeacherCourseRosterDocument,
    "\n  mutation TeacherScheduleSession($courseId: ID!, $input: ScheduleLiveSessionInput!) {\n    scheduleLiveSession(courseId: $courseId, input: $input) {\n      id\n      title\n    }\n  }\n": typeof types.TeacherScheduleSessionDocument,
    "\n  query TeacherSessionAttendance($id: ID!) {\n    liveSession(id: $id) {\n      id\n      attendance {\n        status\n        firstJoinedAt\n        totalSeconds\n        student {\n          id\n          displayName\n        }\n      }\n    }\n  }\n": typeof types.TeacherSessionAttendanceDocument,
    "\n  query TeacherCourse($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      status\n      enrollmentCount\n      liveSessions {\n        id\n        title\n        startsAt\n        status\n      }\n    }\n  }\n": typeof types.TeacherCourseDocument,
    "\n  mutation TeacherStartSession($id: ID!) {\n    startLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.TeacherStartSessionDocument,
    "\n  mutation TeacherEndSession($id: ID!) {\n    endLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.TeacherEndSessionDocument,
    "\n  query TeacherCourses {\n    me {\n      id\n      teachingCourses {\n        id\n        title\n        status\n        enrollmentCount\n      }\n    }\n  }\n": typeof types.TeacherCoursesDocument,
    "\n  query TeacherSchoolCourses {\n    courses(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          status\n          enrollmentCount\n          teacher {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n": typeof types.TeacherSchoolCoursesDocument,
};
const documents: Documents = {
    "\n  query SchoolName {\n    school {\n      name\n    }\n  }\n": types.SchoolNameDocument,
    "\n  query AnalyticsCourse($courseId: ID!) {\n    course(id: $courseId) {\n      id\n      title\n      analytics {\n        ...AnalyticsCourseFigures\n      }\n    }\n  }\n": types.AnalyticsCourseDocument,
    "\n  fragment AnalyticsCourseFigures on CourseAnalytics {\n    enrolledStudents\n    activeStudents7d\n    averageProgress\n    completionRate\n    averageQuizScore\n    attendanceRate\n  }\n": types.AnalyticsCourseFiguresFragmentDoc,
    "\n  subscription AnalyticsCourseLive($courseId: ID!) {\n    courseAnalytics(courseId: $courseId) {\n      ...AnalyticsCourseFigures\n    }\n  }\n": types.AnalyticsCourseLiveDocument,
    "\n  fragment AnalyticsSchoolFigures on SchoolAnalytics {\n    activeStudents7d\n    enrollments30d\n    liveSessionsToday\n    revenue30d {\n      amountPiasters\n      formatted(locale: $locale)\n    }\n  }\n": types.AnalyticsSchoolFiguresFragmentDoc,
    "\n  query AnalyticsSchool($locale: Locale) {\n    school {\n      id\n      name\n      analytics {\n        ...AnalyticsSchoolFigures\n      }\n    }\n  }\n": types.AnalyticsSchoolDocument,
    "\n  subscription AnalyticsSchoolLive($locale: Locale) {\n    schoolAnalytics {\n      ...AnalyticsSchoolFigures\n    }\n  }\n": types.AnalyticsSchoolLiveDocument,
    "\n  fragment AnalyticsSessionFigures on LiveSessionAnalytics {\n    inRoomNow\n    peakInRoom\n    handsRaised\n    chatMessages\n    pollParticipation\n  }\n": types.AnalyticsSessionFiguresFragmentDoc,
    "\n  query AnalyticsSession($sessionId: ID!) {\n    liveSession(id: $sessionId) {\n      id\n      analytics {\n        ...AnalyticsSessionFigures\n      }\n    }\n  }\n": types.AnalyticsSessionDocument,
    "\n  subscription AnalyticsSessionLive($sessionId: ID!) {\n    liveSessionAnalytics(sessionId: $sessionId) {\n      ...AnalyticsSessionFigures\n    }\n  }\n": types.AnalyticsSessionLiveDocument,
    "\n  query BillingOverview($locale: Locale) {\n    me {\n      id\n      displayName\n      roles\n      children {\n        id\n        displayName\n        planSubscriptions {\n          ...BillingSubscriptionFields\n        }\n      }\n      planSubscriptions {\n        ...BillingSubscriptionFields\n      }\n    }\n    plans {\n      id\n      name\n      interval\n      price {\n        formatted(locale: $locale)\n      }\n      course {\n        id\n        title\n      }\n    }\n  }\n": types.BillingOverviewDocument,
    "\n  fragment BillingSubscriptionFields on PlanSubscription {\n    id\n    status\n    currentPeriodEnd\n    plan {\n      id\n      name\n    }\n    student {\n      id\n      displayName\n    }\n  }\n": types.BillingSubscriptionFieldsFragmentDoc,
    "\n  query BillingPayments($locale: Locale, $after: String) {\n    me {\n      id\n      payments(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            provider\n            method\n            status\n            createdAt\n            checkoutUrl\n            fawryReferenceNumber\n            expiresAt\n            amount {\n              amountPiasters\n              formatted(locale: $locale)\n            }\n            refundedAmount {\n              amountPiasters\n              formatted(locale: $locale)\n            }\n            invoice {\n              id\n              number\n              pdfUrl\n            }\n            subscription {\n              id\n              plan {\n                id\n                name\n              }\n            }\n            student {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": types.BillingPaymentsDocument,
    "\n  mutation BillingSubscribe(\n    $planId: ID!\n    $studentId: ID!\n    $provider: PaymentProvider!\n    $method: PaymentMethod!\n    $contact: PaymentContactInput\n    $locale: Locale\n  ) {\n    subscribe(planId: $planId, studentId: $studentId, provider: $provider, method: $method, contact: $contact) {\n      id\n      provider\n      method\n      status\n      checkoutUrl\n      fawryReferenceNumber\n      expiresAt\n      amount {\n        formatted(locale: $locale)\n      }\n    }\n  }\n": types.BillingSubscribeDocument,
    "\n  mutation BillingCancelSubscription($id: ID!) {\n    cancelPlanSubscription(id: $id) {\n      id\n      status\n      currentPeriodEnd\n    }\n  }\n": types.BillingCancelSubscriptionDocument,
    "\n  query BillingPaymentAmount($id: ID!, $locale: Locale) {\n    payment(id: $id) {\n      id\n      amount {\n        formatted(locale: $locale)\n      }\n    }\n  }\n": types.BillingPaymentAmountDocument,
    "\n  query ClassroomSession($id: ID!) {\n    liveSession(id: $id) {\n      id\n      title\n      status\n      startsAt\n      startedAt\n      endedAt\n      course {\n        id\n        title\n        teacher {\n          id\n        }\n      }\n      participants {\n        id\n        displayName\n      }\n      raisedHands {\n        id\n        displayName\n      }\n      polls {\n        id\n        question\n        options\n        closed\n        counts\n        myVote\n      }\n    }\n  }\n": types.ClassroomSessionDocument,
    "\n  query ClassroomAttendance($id: ID!) {\n    liveSession(id: $id) {\n      id\n      attendance {\n        status\n        firstJoinedAt\n        totalSeconds\n        student {\n          id\n          displayName\n        }\n      }\n    }\n  }\n": types.ClassroomAttendanceDocument,
    "\n  subscription ClassroomEvents($sessionId: ID!, $after: ID) {\n    liveSessionEvents(sessionId: $sessionId, after: $after) {\n      id\n      kind\n      at\n      text\n      actor {\n        id\n        displayName\n      }\n      subject {\n        id\n        displayName\n      }\n      poll {\n        id\n        question\n        options\n        closed\n        counts\n      }\n    }\n  }\n": types.ClassroomEventsDocument,
    "\n  mutation ClassroomJoin($id: ID!) {\n    joinLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": types.ClassroomJoinDocument,
    "\n  mutation ClassroomLeave($id: ID!) {\n    leaveLiveSession(id: $id) {\n      id\n    }\n  }\n": types.ClassroomLeaveDocument,
    "\n  mutation ClassroomStart($id: ID!) {\n    startLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": types.ClassroomStartDocument,
    "\n  mutation ClassroomEnd($id: ID!) {\n    endLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": types.ClassroomEndDocument,
    "\n  mutation ClassroomChat($sessionId: ID!, $text: String!) {\n    sendLiveChat(sessionId: $sessionId, text: $text) {\n      id\n    }\n  }\n": types.ClassroomChatDocument,
    "\n  mutation ClassroomReact($sessionId: ID!, $emoji: String!) {\n    sendReaction(sessionId: $sessionId, emoji: $emoji) {\n      id\n    }\n  }\n": types.ClassroomReactDocument,
    "\n  mutation ClassroomRaiseHand($sessionId: ID!) {\n    raiseHand(sessionId: $sessionId) {\n      id\n    }\n  }\n": types.ClassroomRaiseHandDocument,
    "\n  mutation ClassroomLowerHand($sessionId: ID!, $userId: ID) {\n    lowerHand(sessionId: $sessionId, userId: $userId) {\n      id\n    }\n  }\n": types.ClassroomLowerHandDocument,
    "\n  mutation ClassroomStartPoll($sessionId: ID!, $question: String!, $options: [String!]!) {\n    startPoll(sessionId: $sessionId, question: $question, options: $options) {\n      id\n    }\n  }\n": types.ClassroomStartPollDocument,
    "\n  mutation ClassroomVote($pollId: ID!, $option: Int!) {\n    votePoll(pollId: $pollId, option: $option) {\n      id\n      myVote\n    }\n  }\n": types.ClassroomVoteDocument,
    "\n  mutation ClassroomEndPoll($pollId: ID!) {\n    endPoll(pollId: $pollId) {\n      id\n      closed\n      counts\n    }\n  }\n": types.ClassroomEndPollDocument,
    "\n  query MessagingConversations($after: String) {\n    me {\n      id\n    }\n    conversations(first: 30, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          subject\n          unreadCount\n          updatedAt\n          participants {\n            id\n            displayName\n          }\n          student {\n            id\n            displayName\n          }\n          lastMessage {\n            id\n            body\n            sender {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": types.MessagingConversationsDocument,
    "\n  fragment MessagingMessageFields on Message {\n    id\n    body\n    sentAt\n    sender {\n      id\n      displayName\n    }\n  }\n": types.MessagingMessageFieldsFragmentDoc,
    "\n  query MessagingConversation($id: ID!, $after: String) {\n    me {\n      id\n    }\n    conversation(id: $id) {\n      id\n      subject\n      participants {\n        id\n        displayName\n      }\n      student {\n        id\n        displayName\n      }\n      messages(first: 20, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...MessagingMessageFields\n          }\n        }\n      }\n    }\n  }\n": types.MessagingConversationDocument,
    "\n  mutation MessagingSend($conversationId: ID!, $body: String!) {\n    sendMessage(conversationId: $conversationId, body: $body) {\n      ...MessagingMessageFields\n    }\n  }\n": types.MessagingSendDocument,
    "\n  mutation MessagingMarkRead($id: ID!) {\n    markConversationRead(id: $id) {\n      id\n      unreadCount\n    }\n  }\n": types.MessagingMarkReadDocument,
    "\n  subscription MessagingMessageAdded($conversationId: ID!, $after: ID) {\n    messageAdded(conversationId: $conversationId, after: $after) {\n      ...MessagingMessageFields\n    }\n  }\n": types.MessagingMessageAddedDocument,
    "\n  mutation MessagingStart($participantIds: [ID!]!, $subject: String!, $body: String!, $studentId: ID) {\n    startConversation(participantIds: $participantIds, subject: $subject, body: $body, studentId: $studentId) {\n      id\n    }\n  }\n": types.MessagingStartDocument,
    "\n  query MessagingParentRecipients {\n    me {\n      id\n      children {\n        id\n        displayName\n        enrollments {\n          id\n          status\n          course {\n            id\n            title\n            teacher {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": types.MessagingParentRecipientsDocument,
    "\n  query MessagingTeacherRecipients {\n    me {\n      id\n      teachingCourses {\n        id\n        title\n        enrollments(first: 30) {\n          edges {\n            node {\n              id\n              status\n              student {\n                id\n                displayName\n                guardians {\n                  id\n                  displayName\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n": types.MessagingTeacherRecipientsDocument,
    "\n  query MessagingAdminRecipients {\n    me {\n      id\n    }\n    users(first: 100) {\n      edges {\n        node {\n          id\n          displayName\n          roles\n        }\n      }\n    }\n  }\n": types.MessagingAdminRecipientsDocument,
    "\n  subscription MessagingNotificationReceived($after: ID) {\n    notificationReceived(after: $after) {\n      id\n      title\n      body\n      category\n    }\n  }\n": types.MessagingNotificationReceivedDocument,
    "\n  query ParentChildren {\n    me {\n      id\n      children {\n        id\n        displayName\n        enrollments {\n          id\n          status\n          progress\n        }\n      }\n    }\n  }\n": types.ParentChildrenDocument,
    "\n  query ParentChild($id: ID!) {\n    me {\n      id\n      children {\n        id\n      }\n    }\n    user(id: $id) {\n      id\n      displayName\n      enrollments {\n        id\n        status\n        progress\n        enrolledAt\n        completedAt\n        course {\n          id\n          title\n        }\n        attendance {\n          status\n          firstJoinedAt\n          totalSeconds\n          session {\n            id\n            title\n            startsAt\n            status\n          }\n        }\n        quizAttempts {\n          id\n          number\n          status\n          score\n          maxScore\n          passed\n          submittedAt\n          quiz {\n            id\n            title\n          }\n        }\n      }\n    }\n  }\n": types.ParentChildDocument,
    "\n  query ParentChildSubscriptions($id: ID!) {\n    user(id: $id) {\n      id\n      planSubscriptions {\n        id\n        status\n        currentPeriodEnd\n        plan {\n          id\n          name\n          price {\n            formatted\n          }\n        }\n      }\n    }\n  }\n": types.ParentChildSubscriptionsDocument,
    "\n  mutation ParentPairWithCode($code: String!) {\n    pairWithCode(code: $code) {\n      id\n      displayName\n    }\n  }\n": types.ParentPairWithCodeDocument,
    "\n  mutation StudentSaveAnswer($attemptId: ID!, $answer: AnswerInput!) {\n    saveQuizAnswer(attemptId: $attemptId, answer: $answer) {\n      id\n      lastSavedAt\n    }\n  }\n": types.StudentSaveAnswerDocument,
    "\n  mutation StudentSubmitAttempt($attemptId: ID!, $answers: [AnswerInput!]!) {\n    submitQuizAttempt(attemptId: $attemptId, answers: $answers) {\n      id\n      status\n    }\n  }\n": types.StudentSubmitAttemptDocument,
    "\n  query StudentAttempt($id: ID!) {\n    quizAttempt(id: $id) {\n      id\n      number\n      status\n      startedAt\n      deadline\n      submittedAt\n      timedOut\n      lastSavedAt\n      score\n      maxScore\n      passed\n      quiz {\n        id\n        title\n        passingScore\n        solutionsRevealed\n        course {\n          id\n        }\n        questions {\n          id\n          position\n          kind\n          prompt\n          options\n          points\n          solution {\n            choices\n            booleanValue\n            numericValue\n            tolerance\n            acceptedAnswers\n          }\n        }\n      }\n      answers {\n        id\n        choices\n        booleanValue\n        numericValue\n        text\n        correct\n        pointsAwarded\n        question {\n          id\n        }\n        solution {\n          choices\n          booleanValue\n          numericValue\n          tolerance\n          acceptedAnswers\n        }\n      }\n    }\n  }\n": types.StudentAttemptDocument,
    "\n  query StudentCourse($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      description\n      teacher {\n        id\n        displayName\n      }\n      enrollments(first: 1) {\n        edges {\n          node {\n            id\n            status\n            progress\n          }\n        }\n      }\n      lessons {\n        id\n        title\n        position\n        kind\n        durationSeconds\n        completed\n      }\n      quizzes {\n        id\n        title\n        timeLimitSeconds\n        maxAttempts\n        dueAt\n        totalPoints\n        questions {\n          id\n        }\n      }\n      liveSessions(upcoming: true) {\n        id\n        title\n        startsAt\n        status\n      }\n    }\n  }\n": types.StudentCourseDocument,
    "\n  mutation StudentCompleteLesson($lessonId: ID!) {\n    completeLesson(lessonId: $lessonId) {\n      id\n      status\n      progress\n    }\n  }\n": types.StudentCompleteLessonDocument,
    "\n  query StudentCourses {\n    me {\n      id\n      enrollments {\n        id\n        status\n        progress\n        course {\n          id\n          title\n          teacher {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n": types.StudentCoursesDocument,
    "\n  query StudentQuiz($id: ID!) {\n    quiz(id: $id) {\n      id\n      title\n      timeLimitSeconds\n      maxAttempts\n      dueAt\n      totalPoints\n      course {\n        id\n        title\n      }\n      questions {\n        id\n      }\n      attempts {\n        id\n        number\n        status\n        startedAt\n        score\n        maxScore\n        passed\n      }\n    }\n  }\n": types.StudentQuizDocument,
    "\n  mutation StudentStartAttempt($quizId: ID!) {\n    startQuizAttempt(quizId: $quizId) {\n      id\n    }\n  }\n": types.StudentStartAttemptDocument,
    "\n  query TeacherCourseRoster($id: ID!, $first: Int!, $after: String) {\n    course(id: $id) {\n      id\n      enrollments(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            status\n            progress\n            student {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n": types.TeacherCourseRosterDocument,
    "\n  mutation TeacherScheduleSession($courseId: ID!, $input: ScheduleLiveSessionInput!) {\n    scheduleLiveSession(courseId: $courseId, input: $input) {\n      id\n      title\n    }\n  }\n": types.TeacherScheduleSessionDocument,
    "\n  query TeacherSessionAttendance($id: ID!) {\n    liveSession(id: $id) {\n      id\n      attendance {\n        status\n        firstJoinedAt\n        totalSeconds\n        student {\n          id\n          displayName\n        }\n      }\n    }\n  }\n": types.TeacherSessionAttendanceDocument,
    "\n  query TeacherCourse($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      status\n      enrollmentCount\n      liveSessions {\n        id\n        title\n        startsAt\n        status\n      }\n    }\n  }\n": types.TeacherCourseDocument,
    "\n  mutation TeacherStartSession($id: ID!) {\n    startLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": types.TeacherStartSessionDocument,
    "\n  mutation TeacherEndSession($id: ID!) {\n    endLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n": types.TeacherEndSessionDocument,
    "\n  query TeacherCourses {\n    me {\n      id\n      teachingCourses {\n        id\n        title\n        status\n        enrollmentCount\n      }\n    }\n  }\n": types.TeacherCoursesDocument,
    "\n  query TeacherSchoolCourses {\n    courses(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          status\n          enrollmentCount\n          teacher {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n": types.TeacherSchoolCoursesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SchoolName {\n    school {\n      name\n    }\n  }\n"): typeof import('./graphql').SchoolNameDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsCourse($courseId: ID!) {\n    course(id: $courseId) {\n      id\n      title\n      analytics {\n        ...AnalyticsCourseFigures\n      }\n    }\n  }\n"): typeof import('./graphql').AnalyticsCourseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnalyticsCourseFigures on CourseAnalytics {\n    enrolledStudents\n    activeStudents7d\n    averageProgress\n    completionRate\n    averageQuizScore\n    attendanceRate\n  }\n"): typeof import('./graphql').AnalyticsCourseFiguresFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AnalyticsCourseLive($courseId: ID!) {\n    courseAnalytics(courseId: $courseId) {\n      ...AnalyticsCourseFigures\n    }\n  }\n"): typeof import('./graphql').AnalyticsCourseLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnalyticsSchoolFigures on SchoolAnalytics {\n    activeStudents7d\n    enrollments30d\n    liveSessionsToday\n    revenue30d {\n      amountPiasters\n      formatted(locale: $locale)\n    }\n  }\n"): typeof import('./graphql').AnalyticsSchoolFiguresFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsSchool($locale: Locale) {\n    school {\n      id\n      name\n      analytics {\n        ...AnalyticsSchoolFigures\n      }\n    }\n  }\n"): typeof import('./graphql').AnalyticsSchoolDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AnalyticsSchoolLive($locale: Locale) {\n    schoolAnalytics {\n      ...AnalyticsSchoolFigures\n    }\n  }\n"): typeof import('./graphql').AnalyticsSchoolLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AnalyticsSessionFigures on LiveSessionAnalytics {\n    inRoomNow\n    peakInRoom\n    handsRaised\n    chatMessages\n    pollParticipation\n  }\n"): typeof import('./graphql').AnalyticsSessionFiguresFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyticsSession($sessionId: ID!) {\n    liveSession(id: $sessionId) {\n      id\n      analytics {\n        ...AnalyticsSessionFigures\n      }\n    }\n  }\n"): typeof import('./graphql').AnalyticsSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AnalyticsSessionLive($sessionId: ID!) {\n    liveSessionAnalytics(sessionId: $sessionId) {\n      ...AnalyticsSessionFigures\n    }\n  }\n"): typeof import('./graphql').AnalyticsSessionLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingOverview($locale: Locale) {\n    me {\n      id\n      displayName\n      roles\n      children {\n        id\n        displayName\n        planSubscriptions {\n          ...BillingSubscriptionFields\n        }\n      }\n      planSubscriptions {\n        ...BillingSubscriptionFields\n      }\n    }\n    plans {\n      id\n      name\n      interval\n      price {\n        formatted(locale: $locale)\n      }\n      course {\n        id\n        title\n      }\n    }\n  }\n"): typeof import('./graphql').BillingOverviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BillingSubscriptionFields on PlanSubscription {\n    id\n    status\n    currentPeriodEnd\n    plan {\n      id\n      name\n    }\n    student {\n      id\n      displayName\n    }\n  }\n"): typeof import('./graphql').BillingSubscriptionFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingPayments($locale: Locale, $after: String) {\n    me {\n      id\n      payments(first: 20, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            provider\n            method\n            status\n            createdAt\n            checkoutUrl\n            fawryReferenceNumber\n            expiresAt\n            amount {\n              amountPiasters\n              formatted(locale: $locale)\n            }\n            refundedAmount {\n              amountPiasters\n              formatted(locale: $locale)\n            }\n            invoice {\n              id\n              number\n              pdfUrl\n            }\n            subscription {\n              id\n              plan {\n                id\n                name\n              }\n            }\n            student {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').BillingPaymentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BillingSubscribe(\n    $planId: ID!\n    $studentId: ID!\n    $provider: PaymentProvider!\n    $method: PaymentMethod!\n    $contact: PaymentContactInput\n    $locale: Locale\n  ) {\n    subscribe(planId: $planId, studentId: $studentId, provider: $provider, method: $method, contact: $contact) {\n      id\n      provider\n      method\n      status\n      checkoutUrl\n      fawryReferenceNumber\n      expiresAt\n      amount {\n        formatted(locale: $locale)\n      }\n    }\n  }\n"): typeof import('./graphql').BillingSubscribeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BillingCancelSubscription($id: ID!) {\n    cancelPlanSubscription(id: $id) {\n      id\n      status\n      currentPeriodEnd\n    }\n  }\n"): typeof import('./graphql').BillingCancelSubscriptionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BillingPaymentAmount($id: ID!, $locale: Locale) {\n    payment(id: $id) {\n      id\n      amount {\n        formatted(locale: $locale)\n      }\n    }\n  }\n"): typeof import('./graphql').BillingPaymentAmountDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClassroomSession($id: ID!) {\n    liveSession(id: $id) {\n      id\n      title\n      status\n      startsAt\n      startedAt\n      endedAt\n      course {\n        id\n        title\n        teacher {\n          id\n        }\n      }\n      participants {\n        id\n        displayName\n      }\n      raisedHands {\n        id\n        displayName\n      }\n      polls {\n        id\n        question\n        options\n        closed\n        counts\n        myVote\n      }\n    }\n  }\n"): typeof import('./graphql').ClassroomSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClassroomAttendance($id: ID!) {\n    liveSession(id: $id) {\n      id\n      attendance {\n        status\n        firstJoinedAt\n        totalSeconds\n        student {\n          id\n          displayName\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ClassroomAttendanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClassroomEvents($sessionId: ID!, $after: ID) {\n    liveSessionEvents(sessionId: $sessionId, after: $after) {\n      id\n      kind\n      at\n      text\n      actor {\n        id\n        displayName\n      }\n      subject {\n        id\n        displayName\n      }\n      poll {\n        id\n        question\n        options\n        closed\n        counts\n      }\n    }\n  }\n"): typeof import('./graphql').ClassroomEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomJoin($id: ID!) {\n    joinLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').ClassroomJoinDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomLeave($id: ID!) {\n    leaveLiveSession(id: $id) {\n      id\n    }\n  }\n"): typeof import('./graphql').ClassroomLeaveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomStart($id: ID!) {\n    startLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').ClassroomStartDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomEnd($id: ID!) {\n    endLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').ClassroomEndDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomChat($sessionId: ID!, $text: String!) {\n    sendLiveChat(sessionId: $sessionId, text: $text) {\n      id\n    }\n  }\n"): typeof import('./graphql').ClassroomChatDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomReact($sessionId: ID!, $emoji: String!) {\n    sendReaction(sessionId: $sessionId, emoji: $emoji) {\n      id\n    }\n  }\n"): typeof import('./graphql').ClassroomReactDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomRaiseHand($sessionId: ID!) {\n    raiseHand(sessionId: $sessionId) {\n      id\n    }\n  }\n"): typeof import('./graphql').ClassroomRaiseHandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomLowerHand($sessionId: ID!, $userId: ID) {\n    lowerHand(sessionId: $sessionId, userId: $userId) {\n      id\n    }\n  }\n"): typeof import('./graphql').ClassroomLowerHandDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomStartPoll($sessionId: ID!, $question: String!, $options: [String!]!) {\n    startPoll(sessionId: $sessionId, question: $question, options: $options) {\n      id\n    }\n  }\n"): typeof import('./graphql').ClassroomStartPollDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomVote($pollId: ID!, $option: Int!) {\n    votePoll(pollId: $pollId, option: $option) {\n      id\n      myVote\n    }\n  }\n"): typeof import('./graphql').ClassroomVoteDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClassroomEndPoll($pollId: ID!) {\n    endPoll(pollId: $pollId) {\n      id\n      closed\n      counts\n    }\n  }\n"): typeof import('./graphql').ClassroomEndPollDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagingConversations($after: String) {\n    me {\n      id\n    }\n    conversations(first: 30, after: $after) {\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          subject\n          unreadCount\n          updatedAt\n          participants {\n            id\n            displayName\n          }\n          student {\n            id\n            displayName\n          }\n          lastMessage {\n            id\n            body\n            sender {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MessagingConversationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessagingMessageFields on Message {\n    id\n    body\n    sentAt\n    sender {\n      id\n      displayName\n    }\n  }\n"): typeof import('./graphql').MessagingMessageFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagingConversation($id: ID!, $after: String) {\n    me {\n      id\n    }\n    conversation(id: $id) {\n      id\n      subject\n      participants {\n        id\n        displayName\n      }\n      student {\n        id\n        displayName\n      }\n      messages(first: 20, after: $after) {\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            ...MessagingMessageFields\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MessagingConversationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MessagingSend($conversationId: ID!, $body: String!) {\n    sendMessage(conversationId: $conversationId, body: $body) {\n      ...MessagingMessageFields\n    }\n  }\n"): typeof import('./graphql').MessagingSendDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MessagingMarkRead($id: ID!) {\n    markConversationRead(id: $id) {\n      id\n      unreadCount\n    }\n  }\n"): typeof import('./graphql').MessagingMarkReadDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessagingMessageAdded($conversationId: ID!, $after: ID) {\n    messageAdded(conversationId: $conversationId, after: $after) {\n      ...MessagingMessageFields\n    }\n  }\n"): typeof import('./graphql').MessagingMessageAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MessagingStart($participantIds: [ID!]!, $subject: String!, $body: String!, $studentId: ID) {\n    startConversation(participantIds: $participantIds, subject: $subject, body: $body, studentId: $studentId) {\n      id\n    }\n  }\n"): typeof import('./graphql').MessagingStartDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagingParentRecipients {\n    me {\n      id\n      children {\n        id\n        displayName\n        enrollments {\n          id\n          status\n          course {\n            id\n            title\n            teacher {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MessagingParentRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagingTeacherRecipients {\n    me {\n      id\n      teachingCourses {\n        id\n        title\n        enrollments(first: 30) {\n          edges {\n            node {\n              id\n              status\n              student {\n                id\n                displayName\n                guardians {\n                  id\n                  displayName\n                }\n              }\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MessagingTeacherRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagingAdminRecipients {\n    me {\n      id\n    }\n    users(first: 100) {\n      edges {\n        node {\n          id\n          displayName\n          roles\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').MessagingAdminRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MessagingNotificationReceived($after: ID) {\n    notificationReceived(after: $after) {\n      id\n      title\n      body\n      category\n    }\n  }\n"): typeof import('./graphql').MessagingNotificationReceivedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParentChildren {\n    me {\n      id\n      children {\n        id\n        displayName\n        enrollments {\n          id\n          status\n          progress\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ParentChildrenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParentChild($id: ID!) {\n    me {\n      id\n      children {\n        id\n      }\n    }\n    user(id: $id) {\n      id\n      displayName\n      enrollments {\n        id\n        status\n        progress\n        enrolledAt\n        completedAt\n        course {\n          id\n          title\n        }\n        attendance {\n          status\n          firstJoinedAt\n          totalSeconds\n          session {\n            id\n            title\n            startsAt\n            status\n          }\n        }\n        quizAttempts {\n          id\n          number\n          status\n          score\n          maxScore\n          passed\n          submittedAt\n          quiz {\n            id\n            title\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ParentChildDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ParentChildSubscriptions($id: ID!) {\n    user(id: $id) {\n      id\n      planSubscriptions {\n        id\n        status\n        currentPeriodEnd\n        plan {\n          id\n          name\n          price {\n            formatted\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ParentChildSubscriptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ParentPairWithCode($code: String!) {\n    pairWithCode(code: $code) {\n      id\n      displayName\n    }\n  }\n"): typeof import('./graphql').ParentPairWithCodeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StudentSaveAnswer($attemptId: ID!, $answer: AnswerInput!) {\n    saveQuizAnswer(attemptId: $attemptId, answer: $answer) {\n      id\n      lastSavedAt\n    }\n  }\n"): typeof import('./graphql').StudentSaveAnswerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StudentSubmitAttempt($attemptId: ID!, $answers: [AnswerInput!]!) {\n    submitQuizAttempt(attemptId: $attemptId, answers: $answers) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').StudentSubmitAttemptDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StudentAttempt($id: ID!) {\n    quizAttempt(id: $id) {\n      id\n      number\n      status\n      startedAt\n      deadline\n      submittedAt\n      timedOut\n      lastSavedAt\n      score\n      maxScore\n      passed\n      quiz {\n        id\n        title\n        passingScore\n        solutionsRevealed\n        course {\n          id\n        }\n        questions {\n          id\n          position\n          kind\n          prompt\n          options\n          points\n          solution {\n            choices\n            booleanValue\n            numericValue\n            tolerance\n            acceptedAnswers\n          }\n        }\n      }\n      answers {\n        id\n        choices\n        booleanValue\n        numericValue\n        text\n        correct\n        pointsAwarded\n        question {\n          id\n        }\n        solution {\n          choices\n          booleanValue\n          numericValue\n          tolerance\n          acceptedAnswers\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').StudentAttemptDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StudentCourse($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      description\n      teacher {\n        id\n        displayName\n      }\n      enrollments(first: 1) {\n        edges {\n          node {\n            id\n            status\n            progress\n          }\n        }\n      }\n      lessons {\n        id\n        title\n        position\n        kind\n        durationSeconds\n        completed\n      }\n      quizzes {\n        id\n        title\n        timeLimitSeconds\n        maxAttempts\n        dueAt\n        totalPoints\n        questions {\n          id\n        }\n      }\n      liveSessions(upcoming: true) {\n        id\n        title\n        startsAt\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').StudentCourseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StudentCompleteLesson($lessonId: ID!) {\n    completeLesson(lessonId: $lessonId) {\n      id\n      status\n      progress\n    }\n  }\n"): typeof import('./graphql').StudentCompleteLessonDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StudentCourses {\n    me {\n      id\n      enrollments {\n        id\n        status\n        progress\n        course {\n          id\n          title\n          teacher {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').StudentCoursesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StudentQuiz($id: ID!) {\n    quiz(id: $id) {\n      id\n      title\n      timeLimitSeconds\n      maxAttempts\n      dueAt\n      totalPoints\n      course {\n        id\n        title\n      }\n      questions {\n        id\n      }\n      attempts {\n        id\n        number\n        status\n        startedAt\n        score\n        maxScore\n        passed\n      }\n    }\n  }\n"): typeof import('./graphql').StudentQuizDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StudentStartAttempt($quizId: ID!) {\n    startQuizAttempt(quizId: $quizId) {\n      id\n    }\n  }\n"): typeof import('./graphql').StudentStartAttemptDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeacherCourseRoster($id: ID!, $first: Int!, $after: String) {\n    course(id: $id) {\n      id\n      enrollments(first: $first, after: $after) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        edges {\n          node {\n            id\n            status\n            progress\n            student {\n              id\n              displayName\n            }\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TeacherCourseRosterDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TeacherScheduleSession($courseId: ID!, $input: ScheduleLiveSessionInput!) {\n    scheduleLiveSession(courseId: $courseId, input: $input) {\n      id\n      title\n    }\n  }\n"): typeof import('./graphql').TeacherScheduleSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeacherSessionAttendance($id: ID!) {\n    liveSession(id: $id) {\n      id\n      attendance {\n        status\n        firstJoinedAt\n        totalSeconds\n        student {\n          id\n          displayName\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TeacherSessionAttendanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeacherCourse($id: ID!) {\n    course(id: $id) {\n      id\n      title\n      status\n      enrollmentCount\n      liveSessions {\n        id\n        title\n        startsAt\n        status\n      }\n    }\n  }\n"): typeof import('./graphql').TeacherCourseDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TeacherStartSession($id: ID!) {\n    startLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').TeacherStartSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TeacherEndSession($id: ID!) {\n    endLiveSession(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql').TeacherEndSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeacherCourses {\n    me {\n      id\n      teachingCourses {\n        id\n        title\n        status\n        enrollmentCount\n      }\n    }\n  }\n"): typeof import('./graphql').TeacherCoursesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeacherSchoolCourses {\n    courses(first: 100) {\n      totalCount\n      edges {\n        node {\n          id\n          title\n          status\n          enrollmentCount\n          teacher {\n            id\n            displayName\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').TeacherSchoolCoursesDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
