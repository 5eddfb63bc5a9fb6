import { startStack, type Stack } from '../../../testkit/stack';
import { codes, demoPeople } from '../../../testkit/courses';

/** The public catalog: what partners and signed-out visitors see of a school's courses. */
describe('course catalog (public, partner contract)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack('sqlite');
  });
  afterAll(() => stack.stop());

  const CATALOG = '{ catalog(first: 50) { totalCount edges { node { id title subject gradeLevel } } } }';

  it('lists only published courses, without signing in, and only those of the requested school', async () => {
    const { teacher } = await demoPeople(stack);
    const draft = await teacher.ok('mutation { createCourse(input: { title: "Secret draft" }) { id } }');
    const demo = await stack.gql(CATALOG, { tenant: 'demo' });
    const titles = demo.body.data.catalog.edges.map((e: { node: { title: string } }) => e.node.title);
    expect(titles.length).toBeGreaterThan(0);
    expect(demo.body.data.catalog.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(draft.createCourse.id);
    const nile = await stack.gql(CATALOG, { tenant: 'nile' });
    expect(nile.body.data.catalog.edges.map((e: { node: { title: string } }) => e.node.title)).not.toEqual(expect.arrayContaining(titles));
  });

  it('keeps enrollment data behind sign-in', async () => {
    const r = await stack.gql('{ catalog(first: 5) { edges { node { title enrollments(first: 5) { edges { node { progress } } } } } } }', {
      tenant: 'demo',
    });
    expect(codes(r)).toContain('UNAUTHENTICATED');
  });
});
