import { randomUUID } from 'node:crypto';
import { codes, demoPeople, newMember } from '../../../testkit/courses';
import { eventually } from '../../../testkit/eventually';
import { startStack, type Stack } from '../../../testkit/stack';
import { formatMoney, Locale } from '../money/money';
import { DEMO_PLANS } from '../seed';

const DEMO_MATH = '0b8f5a2e-0000-4000-8000-000000001001';
const DEMO_ARABIC = '0b8f5a2e-0000-4000-8000-000000001002';

/** Plans are the school's price list: admins make and archive them, everyone sees the active ones, courses show theirs. */
describe.each(['sqlite', 'mysql'] as const)('plans (%s)', (dialect) => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  beforeAll(async () => {
    stack = await startStack(dialect, {}, { subgraphs: ['users', 'courses', 'billing'] });
    people = await demoPeople(stack);
  });
  afterAll(() => stack.stop());

  it('shows the seeded plans of a course, with their course and prices in the viewer’s language', async () => {
    const data = await people.student.ok(
      `query($c: ID!) { course(id: $c) { title plans { id name interval price { amountPiasters currency formatted ar: formatted(locale: AR) en: formatted(locale: EN) } course { id title } } } }`,
      { c: DEMO_MATH },
    );
    expect(data.course.plans).toEqual([
      {
        id: DEMO_PLANS.mathMonthly.id,
        name: DEMO_PLANS.mathMonthly.name,
        interval: 'MONTH',
        price: {
          amountPiasters: 15000,
          currency: 'EGP',
          // In the viewer's language: the test client asks for English (Accept-Language: en).
          formatted: formatMoney(15000, Locale.EN),
          ar: expect.stringMatching(/^\u200f?١٥٠٫٠٠\sج\.م\.\u200f?$/),
          en: expect.stringMatching(/^EGP\s150\.00$/),
        },
        course: { id: DEMO_MATH, title: 'Mathematics, Grade 8' },
      },
      expect.objectContaining({ id: DEMO_PLANS.mathTerm.id, interval: 'TERM' }),
    ]);
    // Without Accept-Language: the student's saved language (Arabic; Intl writes Arabic-Indic digits and direction marks).
    const arabic = await stack.gql(`query($c: ID!) { course(id: $c) { plans { price { formatted } } } }`, {
      tenant: 'demo',
      token: people.student.token,
      variables: { c: DEMO_MATH },
      headers: { 'accept-language': '' },
    });
    expect(arabic.body.data.course.plans[0].price.formatted).toBe(formatMoney(15000, Locale.AR));
  });

  it('lets school admins create and archive plans, and nobody else', async () => {
    const input = { name: 'Physics — monthly', amountPiasters: 12_050, interval: 'MONTH', courseId: randomUUID() };
    expect(codes(await people.teacher.q('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', { i: input }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await people.parent.q('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', { i: input }))).toEqual([
      'FORBIDDEN',
    ]);
    const { createPlan } = await people.admin.ok(
      'mutation($i: CreatePlanInput!) { createPlan(input: $i) { id name active price { amountPiasters } } }',
      {
        i: input,
      },
    );
    expect(createPlan).toMatchObject({ name: input.name, active: true, price: { amountPiasters: 12_050 } });
    const listed = await people.parent.ok('query($c: ID!) { plans(courseId: $c) { id } }', { c: input.courseId });
    expect(listed.plans).toEqual([{ id: createPlan.id }]);

    await people.admin.ok('mutation($id: ID!) { archivePlan(id: $id) { active } }', { id: createPlan.id });
    expect((await people.parent.ok('query($c: ID!) { plans(courseId: $c) { id } }', { c: input.courseId })).plans).toEqual([]);
    const archived = await people.admin.ok('query($c: ID!) { plans(courseId: $c, includeArchived: true) { id active } }', {
      c: input.courseId,
    });
    expect(archived.plans).toEqual([{ id: createPlan.id, active: false }]);
  });

  it('refuses bad plans with the field named', async () => {
    const r = await people.admin.q('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
      i: { name: ' ', amountPiasters: 50, interval: 'YEAR' },
    });
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    const bad = await people.admin.q('mutation($i: CreatePlanInput!) { createPlan(input: $i) { id } }', {
      i: { name: 'X', amountPiasters: 1000, interval: 'YEAR', courseId: 'abc' },
    });
    expect(bad.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.courseId' });
  });

  it("never shows another school's plans", async () => {
    const nile = await people.nileAdmin.ok('{ plans { id } }');
    expect(nile.plans).toEqual([]);
    expect((await people.nileAdmin.ok('query($id: ID!) { plan(id: $id) { id } }', { id: DEMO_PLANS.mathMonthly.id })).plan).toBeNull();
  });

  it('tells courses which courses are sold (plan.created), so the math course takes no free enrollment', async () => {
    const student = await newMember(stack, people.admin, 'STUDENT', 'Free Rider');
    await eventually(async () => {
      const r = await people.teacher.q('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', {
        c: DEMO_MATH,
        s: student.id,
      });
      expect(r.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' }, message: expect.stringMatching(/plan/) });
    });
    // The free Arabic course still takes students from staff.
    await people.teacher.ok('mutation($c: ID!, $s: ID!) { enroll(courseId: $c, studentId: $s) { id } }', { c: DEMO_ARABIC, s: student.id });
  });
});
