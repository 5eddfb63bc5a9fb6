import { graphql } from '../../gql';

/** The viewer's conversations, most recent activity first. */
export const MessagingConversations = graphql(`
  query MessagingConversations($after: String) {
    me {
      id
    }
    conversations(first: 30, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          subject
          unreadCount
          updatedAt
          participants {
            id
            displayName
          }
          student {
            id
            displayName
          }
          lastMessage {
            id
            body
            sender {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

export const MessagingMessageFields = graphql(`
  fragment MessagingMessageFields on Message {
    id
    body
    sentAt
    sender {
      id
      displayName
    }
  }
`);

/** A conversation with its newest messages (the API pages newest first; `after` goes back in time). */
export const MessagingConversation = graphql(`
  query MessagingConversation($id: ID!, $after: String) {
    me {
      id
    }
    conversation(id: $id) {
      id
      subject
      participants {
        id
        displayName
      }
      student {
        id
        displayName
      }
      messages(first: 20, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            ...MessagingMessageFields
          }
        }
      }
    }
  }
`);

export const MessagingSend = graphql(`
  mutation MessagingSend($conversationId: ID!, $body: String!) {
    sendMessage(conversationId: $conversationId, body: $body) {
      ...MessagingMessageFields
    }
  }
`);

export const MessagingMarkRead = graphql(`
  mutation MessagingMarkRead($id: ID!) {
    markConversationRead(id: $id) {
      id
      unreadCount
    }
  }
`);

export const MessagingMessageAdded = graphql(`
  subscription MessagingMessageAdded($conversationId: ID!, $after: ID) {
    messageAdded(conversationId: $conversationId, after: $after) {
      ...MessagingMessageFields
    }
  }
`);

export const MessagingStart = graphql(`
  mutation MessagingStart($participantIds: [ID!]!, $subject: String!, $body: String!, $studentId: ID) {
    startConversation(participantIds: $participantIds, subject: $subject, body: $body, studentId: $studentId) {
      id
    }
  }
`);

/**
 * Whom the viewer may write to, as far as the API lets them see it: a parent the teachers of their
 * children's courses; a teacher the guardians of their courses' students; an admin the school's
 * people (`users`). Parents and teachers may also write to admins, whom they cannot list. Three
 * queries, not one with @include: the gateway's cost limit counts skipped branches too.
 */
export const MessagingParentRecipients = graphql(`
  query MessagingParentRecipients {
    me {
      id
      children {
        id
        displayName
        enrollments {
          id
          status
          course {
            id
            title
            teacher {
              id
              displayName
            }
          }
        }
      }
    }
  }
`);

/** The first 30 students of each course (the gateway's cost limit): enough for a class. */
export const MessagingTeacherRecipients = graphql(`
  query MessagingTeacherRecipients {
    me {
      id
      teachingCourses {
        id
        title
        enrollments(first: 30) {
          edges {
            node {
              id
              status
              student {
                id
                displayName
                guardians {
                  id
                  displayName
                }
              }
            }
          }
        }
      }
    }
  }
`);

export const MessagingAdminRecipients = graphql(`
  query MessagingAdminRecipients {
    me {
      id
    }
    users(first: 100) {
      edges {
        node {
          id
          displayName
          roles
        }
      }
    }
  }
`);

export const MessagingNotificationReceived = graphql(`
  subscription MessagingNotificationReceived($after: ID) {
    notificationReceived(after: $after) {
      id
      title
      body
      category
    }
  }
`);
