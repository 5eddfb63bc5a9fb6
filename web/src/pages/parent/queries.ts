import { graphql } from '../../gql';

/** The parent's linked children with what their cards show: courses and progress. */
export const ParentChildren = graphql(`
  query ParentChildren {
    me {
      id
      children {
        id
        displayName
        enrollments {
          id
          status
          progress
        }
      }
    }
  }
`);

/**
 * One child's record. `me.children` comes along so the page can tell "not your child" from "no data":
 * for a student who is not theirs the API refuses `enrollments` (FORBIDDEN), which the page shows as not found.
 */
export const ParentChild = graphql(`
  query ParentChild($id: ID!) {
    me {
      id
      children {
        id
      }
    }
    user(id: $id) {
      id
      displayName
      enrollments {
        id
        status
        progress
        enrolledAt
        completedAt
        course {
          id
          title
        }
        attendance {
          status
          firstJoinedAt
          totalSeconds
          session {
            id
            title
            startsAt
            status
          }
        }
        quizAttempts {
          id
          number
          status
          score
          maxScore
          passed
          submittedAt
          quiz {
            id
            title
          }
        }
      }
    }
  }
`);

/** The child's plan subscriptions (billing): apart, so that the rest of the page works while billing is down. */
export const ParentChildSubscriptions = graphql(`
  query ParentChildSubscriptions($id: ID!) {
    user(id: $id) {
      id
      planSubscriptions {
        id
        status
        currentPeriodEnd
        plan {
          id
          name
          price {
            formatted
          }
        }
      }
    }
  }
`);

export const ParentPairWithCode = graphql(`
  mutation ParentPairWithCode($code: String!) {
    pairWithCode(code: $code) {
      id
      displayName
    }
  }
`);
