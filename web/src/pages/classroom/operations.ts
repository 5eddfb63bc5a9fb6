import { graphql } from '../../gql';

/** The room as it is now: who is in, whose hand is up, the polls; the live events keep it current. */
export const ClassroomSession = graphql(`
  query ClassroomSession($id: ID!) {
    liveSession(id: $id) {
      id
      title
      status
      startsAt
      startedAt
      endedAt
      course {
        id
        title
        teacher {
          id
        }
      }
      participants {
        id
        displayName
      }
      raisedHands {
        id
        displayName
      }
      polls {
        id
        question
        options
        closed
        counts
        myVote
      }
    }
  }
`);

/** The teacher's attendance list (students only ever see their own record, so only managers ask). */
export const ClassroomAttendance = graphql(`
  query ClassroomAttendance($id: ID!) {
    liveSession(id: $id) {
      id
      attendance {
        status
        firstJoinedAt
        totalSeconds
        student {
          id
          displayName
        }
      }
    }
  }
`);

/** Every classroom event after `after` ('0-0' replays what the stream still holds from the start), then live ones. */
export const ClassroomEvents = graphql(`
  subscription ClassroomEvents($sessionId: ID!, $after: ID) {
    liveSessionEvents(sessionId: $sessionId, after: $after) {
      id
      kind
      at
      text
      actor {
        id
        displayName
      }
      subject {
        id
        displayName
      }
      poll {
        id
        question
        options
        closed
        counts
      }
    }
  }
`);

export const ClassroomJoin = graphql(`
  mutation ClassroomJoin($id: ID!) {
    joinLiveSession(id: $id) {
      id
      status
    }
  }
`);

export const ClassroomLeave = graphql(`
  mutation ClassroomLeave($id: ID!) {
    leaveLiveSession(id: $id) {
      id
    }
  }
`);

export const ClassroomStart = graphql(`
  mutation ClassroomStart($id: ID!) {
    startLiveSession(id: $id) {
      id
      status
    }
  }
`);

export const ClassroomEnd = graphql(`
  mutation ClassroomEnd($id: ID!) {
    endLiveSession(id: $id) {
      id
      status
    }
  }
`);

export const ClassroomChat = graphql(`
  mutation ClassroomChat($sessionId: ID!, $text: String!) {
    sendLiveChat(sessionId: $sessionId, text: $text) {
      id
    }
  }
`);

export const ClassroomReact = graphql(`
  mutation ClassroomReact($sessionId: ID!, $emoji: String!) {
    sendReaction(sessionId: $sessionId, emoji: $emoji) {
      id
    }
  }
`);

export const ClassroomRaiseHand = graphql(`
  mutation ClassroomRaiseHand($sessionId: ID!) {
    raiseHand(sessionId: $sessionId) {
      id
    }
  }
`);

/** Without userId the caller's own hand; with it (teacher, admins) someone else's. */
export const ClassroomLowerHand = graphql(`
  mutation ClassroomLowerHand($sessionId: ID!, $userId: ID) {
    lowerHand(sessionId: $sessionId, userId: $userId) {
      id
    }
  }
`);

export const ClassroomStartPoll = graphql(`
  mutation ClassroomStartPoll($sessionId: ID!, $question: String!, $options: [String!]!) {
    startPoll(sessionId: $sessionId, question: $question, options: $options) {
      id
    }
  }
`);

export const ClassroomVote = graphql(`
  mutation ClassroomVote($pollId: ID!, $option: Int!) {
    votePoll(pollId: $pollId, option: $option) {
      id
      myVote
    }
  }
`);

export const ClassroomEndPoll = graphql(`
  mutation ClassroomEndPoll($pollId: ID!) {
    endPoll(pollId: $pollId) {
      id
      closed
      counts
    }
  }
`);
