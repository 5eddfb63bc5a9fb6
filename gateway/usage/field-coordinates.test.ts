import { buildSchema, parse } from 'graphql';
import { fieldCoordinates } from './field-coordinates';

const schema = buildSchema(`
  type Query { school: School  users(role: Role, first: Int, filter: UserFilter): [User!]! }
  type School { id: ID!  name: String!  timezone: String! }
  type User { id: ID!  displayName: String!  school: School! }
  enum Role { TEACHER STUDENT }
  input UserFilter { name: String  grade: Int }
`);

describe('fieldCoordinates', () => {
  it('lists types, fields, arguments and literal input fields of the operation, through fragments', () => {
    const doc = parse(`
      query People($first: Int) {
        users(role: TEACHER, first: $first, filter: { name: "a" }) { ...person }
        __typename
      }
      fragment person on User { displayName school { name } }
    `);
    expect(fieldCoordinates(schema, doc, 'People')).toEqual([
      'Query',
      'Query.users',
      'Query.users.filter',
      'Query.users.first',
      'Query.users.role',
      'School',
      'School.name',
      'User',
      'User.displayName',
      'User.school',
      'UserFilter.name',
    ]);
  });

  it('counts only the executed operation of a document with several', () => {
    const doc = parse('query A { school { name } } query B { school { timezone } }');
    expect(fieldCoordinates(schema, doc, 'B')).toEqual(['Query', 'Query.school', 'School', 'School.timezone']);
  });
});
