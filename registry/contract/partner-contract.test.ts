import { readFileSync } from 'node:fs';
import { compose } from '../composition/compose';

const USERS = readFileSync('schema/subgraphs/users.graphql', 'utf8');
const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@tag", "@shareable"])';
const CATALOG = `${LINK}
type Query { courses(first: Int, status: CourseStatus): [Course!]!  catalog(first: Int): [Course!]! @tag(name: "partner")  drafts: [Course!]! @tag(name: "internal") }
type Mutation { createCourse(title: String!): Course!  requestDemo(email: String!): Boolean! @tag(name: "partner") }
type Course @key(fields: "id") @tag(name: "partner") { id: ID!  title: String!  status: CourseStatus!  teacher: User!  plans: [Plan!]! }
type Plan { id: ID!  name: String! @tag(name: "partner")  internalCost: Int! }
enum CourseStatus { DRAFT PUBLISHED }
type User @key(fields: "id", resolvable: false) { id: ID! }
`;

const contractOf = (...subgraphs: Array<[string, string]>) => {
  const result = compose(subgraphs.map(([name, sdl]) => ({ name, sdl, url: `http://${name}` })));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.composed.contract;
};

describe('partner contract', () => {
  it("is the users subgraph's tagged School, its enum and its Query lookup, and nothing else", () => {
    expect(contractOf(['users', USERS])!.sdl).toBe(`enum Locale {
  AR
  EN
}

type Query {
  """The current school (from the host's subdomain or X-Tenant-ID)."""
  school: School
}

"""A school (tenant). Its public profile is part of the partner contract."""
type School {
  id: ID!
  locale: Locale!
  name: String!
  slug: String!
  timezone: String!
}
`);
  });

  it('keeps tagged types whole, tagged fields alone, only tagged root fields, and drops fields whose type is outside', () => {
    const sdl = contractOf(['users', USERS], ['catalog', CATALOG])!.sdl;
    expect(sdl).toMatch(/type Course \{\n {2}id: ID!\n {2}plans: \[Plan!\]!\n {2}status: CourseStatus!\n {2}title: String!\n\}/);
    expect(sdl).toMatch(/type Plan \{\n {2}name: String!\n\}/);
    expect(sdl).toMatch(/catalog\(first: Int\): \[Course!\]!/);
    expect(sdl).toMatch(/type Mutation \{\n {2}requestDemo\(email: String!\): Boolean!\n\}/);
    expect(sdl).toMatch(/enum CourseStatus/);
    // Untagged root fields (reads needing a signed-in user, writes), other tags' fields and untagged
    // types stay out even when they return tagged types.
    expect(sdl).not.toMatch(/courses\(|createCourse|drafts|internalCost|teacher|type User/);
  });

  it('is absent while nothing is tagged, and does not change when fields are only reordered', () => {
    expect(contractOf(['plain', `${LINK}\ntype Query { hello: String }`])).toBeNull();
    // School's slug and name swapped, whatever directives they carry.
    const reordered = USERS.replace(/( {2}slug: String![^\n]*\n)( {2}name: String![^\n]*\n)/, '$2$1');
    expect(reordered).not.toBe(USERS);
    expect(contractOf(['users', reordered])!.hash).toBe(contractOf(['users', USERS])!.hash);
  });
});
