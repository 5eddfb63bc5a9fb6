import { buildSchema } from 'graphql';
import { ChangeLevel, ChangeTarget } from '../version/schema-change.entity';
import type { OperationUse } from '../usage/usage.service';
import { classifyChanges } from './schema-diff';

const BEFORE = buildSchema(`
  type Query { course(id: ID!): Course  user(id: ID!): User }
  type Subscription { liveEvents(sessionId: ID!): LiveEvent! }
  type LiveEvent { id: ID!  text: String  actor: User }
  type Course { id: ID!  title: String!  summary: String }
  type User { id: ID!  name: String!  nickname: String }
  enum Level { LOW HIGH }
`);
const AFTER = buildSchema(`
  type Query { course(id: ID!, locale: String!): Course  user(id: ID!): User }
  type Subscription { liveEvents(sessionId: ID!): LiveEvent! }
  type LiveEvent { id: ID! }
  type Course { id: ID!  title: String! }
  type User { id: ID!  name: String! }
  enum Level { LOW }
`);
const use = (name: string): OperationUse => ({ id: name, name, count: 3, clients: ['app'] });

/** A usage store answer: these coordinates were used by these operations. */
const usage = (used: Record<string, string[]>) => async (coordinates: string[]) =>
  new Map(coordinates.filter((c) => used[c]).map((c) => [c, used[c].map(use)]));

const levels = async (used: Record<string, string[]>) =>
  Object.fromEntries((await classifyChanges(ChangeTarget.api, BEFORE, AFTER, usage(used), 7)).map((c) => [c.path, c.level]));

describe('classifyChanges', () => {
  it('downgrades unused removals, keeps used ones breaking, and judges an added required argument by the field', async () => {
    expect(await levels({ 'Course.summary': ['CourseCard'], 'Query.course': ['Course'], Subscription: ['Live'] })).toMatchObject({
      'Course.summary': ChangeLevel.breaking,
      'Query.course.locale': ChangeLevel.breaking,
      'LiveEvent.text': ChangeLevel.dangerous,
      'User.nickname': ChangeLevel.dangerous,
      // Enum values can reach clients in responses, where usage cannot see them.
      'Level.HIGH': ChangeLevel.breaking,
    });
  });

  it('keeps changes to types subscriptions can select breaking while no subscription usage is reported', async () => {
    expect(await levels({})).toMatchObject({
      'LiveEvent.text': ChangeLevel.breaking,
      'User.nickname': ChangeLevel.breaking, // LiveEvent.actor reaches User
      'Course.summary': ChangeLevel.dangerous, // only queries reach Course, and they report usage
      'Query.course.locale': ChangeLevel.dangerous,
    });
  });

  it('classes everything by inspector alone when usage is not consulted', async () => {
    const changes = await classifyChanges(ChangeTarget.api, BEFORE, AFTER, null, 0);
    expect(changes.filter((c) => c.level === ChangeLevel.breaking).map((c) => c.path)).toEqual(
      expect.arrayContaining(['Course.summary', 'User.nickname', 'LiveEvent.text', 'Query.course.locale', 'Level.HIGH']),
    );
  });
});
