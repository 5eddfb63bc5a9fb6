import { codes, demoPeople } from '../../../testkit/courses';
import { startStack, type Stack } from '../../../testkit/stack';

const PREFERENCES = 'query { notificationPreferences { category channels frequency essential } }';
const SET = `mutation($c: String!, $ch: [Channel!]!, $f: NotificationFrequency!) {
  setNotificationPreference(category: $c, channels: $ch, frequency: $f) { category channels frequency essential }
}`;
const UPSERT = `mutation($i: TemplateInput!) {
  upsertTemplate(input: $i) { id key channel locale subject text html }
}`;

/**
 * Through the gateway: a school's own notification templates (admins only, checked when saved)
 * and each person's notification preferences (their own only; the account's cannot be turned off).
 */
describe('notification templates and preferences (mysql)', () => {
  let stack: Stack;
  let people: Awaited<ReturnType<typeof demoPeople>>;
  beforeAll(async () => {
    stack = await startStack('mysql', { DELIVERY_WORKERS: 'off', MESSAGING_SWEEP_INTERVAL_MS: '0' }, { subgraphs: ['users', 'messaging'] });
    people = await demoPeople(stack);
  });
  afterAll(() => stack?.stop());

  it("lists every category with its defaults until a person sets one, and each person's own only", async () => {
    const { notificationPreferences } = await people.parent.ok(PREFERENCES);
    expect(notificationPreferences).toContainEqual({
      category: 'announcement',
      channels: ['IN_APP', 'EMAIL', 'PUSH'],
      frequency: 'IMMEDIATELY',
      essential: false,
    });
    expect(notificationPreferences).toContainEqual({ category: 'account', channels: ['EMAIL'], frequency: 'IMMEDIATELY', essential: true });
    expect(notificationPreferences).toHaveLength(9);

    const set = await people.parent.ok(SET, { c: 'announcement', ch: ['SMS', 'IN_APP', 'SMS'], f: 'DAILY' });
    expect(set.setNotificationPreference).toEqual({
      category: 'announcement',
      channels: ['SMS', 'IN_APP'],
      frequency: 'DAILY',
      essential: false,
    });
    // Set again: replaced, not added.
    await people.parent.ok(SET, { c: 'announcement', ch: ['WHATSAPP'], f: 'WEEKLY' });
    const after = (await people.parent.ok(PREFERENCES)).notificationPreferences;
    expect(after.filter((p: { category: string }) => p.category === 'announcement')).toEqual([
      { category: 'announcement', channels: ['WHATSAPP'], frequency: 'WEEKLY', essential: false },
    ]);
    // Another person of the school still has the defaults.
    const student = (await people.student.ok(PREFERENCES)).notificationPreferences;
    expect(student.find((p: { category: string }) => p.category === 'announcement').frequency).toBe('IMMEDIATELY');
  });

  it('takes concurrent sets of one preference as one row', async () => {
    const results = await Promise.all(
      (['IMMEDIATELY', 'DAILY', 'WEEKLY', 'NEVER', 'DAILY', 'IMMEDIATELY'] as const).map((f) =>
        people.teacher.q(SET, { c: 'message', ch: ['IN_APP'], f }),
      ),
    );
    expect(results.flatMap(codes)).toEqual([]);
    const mine = (await people.teacher.ok(PREFERENCES)).notificationPreferences.filter(
      (p: { category: string }) => p.category === 'message',
    );
    expect(mine).toHaveLength(1);
  });

  it('refuses an unknown category, turning account messages off, and anonymous callers', async () => {
    expect(codes(await people.parent.q(SET, { c: 'gossip', ch: ['EMAIL'], f: 'DAILY' }))).toEqual(['BAD_USER_INPUT']);
    const never = await people.parent.q(SET, { c: 'account', ch: [], f: 'NEVER' });
    expect(codes(never)).toEqual(['BAD_USER_INPUT']);
    expect(never.body.errors?.[0].extensions?.field).toBe('frequency');
    // Other frequencies are fine (account messages still go at once: they are essential).
    expect((await people.parent.ok(SET, { c: 'account', ch: ['SMS'], f: 'DAILY' })).setNotificationPreference.essential).toBe(true);
    expect(codes(await stack.gql(PREFERENCES, { tenant: 'demo' }))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers errors in Arabic when asked', async () => {
    const r = await stack.gql(SET, {
      tenant: 'demo',
      token: people.parent.token,
      variables: { c: 'account', ch: [], f: 'NEVER' },
      headers: { 'accept-language': 'ar' },
    });
    expect(r.body.errors?.[0].message).toBe('إشعارات الحساب أساسية ولا يمكن إيقافها');
  });

  it('lets school admins write their wording, for every channel or one, and replace it', async () => {
    const input = {
      key: 'announcement.general',
      locale: 'EN',
      subject: 'News: {{title}}',
      text: '{{message}}',
      html: '<p>{{message}}</p>',
    };
    const saved = (await people.admin.ok(UPSERT, { i: input })).upsertTemplate;
    expect(saved).toMatchObject({
      key: 'announcement.general',
      channel: null,
      locale: 'EN',
      subject: 'News: {{title}}',
      html: '<p>{{message}}</p>',
    });
    const replaced = (await people.admin.ok(UPSERT, { i: { ...input, subject: 'Update: {{title}}', html: null } })).upsertTemplate;
    expect(replaced).toMatchObject({ id: saved.id, subject: 'Update: {{title}}', html: null });
    const sms = (await people.admin.ok(UPSERT, { i: { ...input, channel: 'SMS', text: '{{title}}' } })).upsertTemplate;
    expect(sms.id).not.toBe(saved.id);
    const list = (await people.admin.ok('query { notificationTemplates(key: "announcement.general") { id channel subject } }'))
      .notificationTemplates;
    expect(list).toEqual([
      { id: saved.id, channel: null, subject: 'Update: {{title}}' },
      { id: sms.id, channel: 'SMS', subject: 'News: {{title}}' },
    ]);
    // Another school sees none of them.
    expect((await people.nileAdmin.ok('query { notificationTemplates { id } }')).notificationTemplates).toEqual([]);
  });

  it('refuses templates from anyone but school admins, and broken ones naming the field', async () => {
    const input = { key: 'course.welcome', locale: 'AR', subject: 'أهلًا', text: 'مرحبًا {{name}}' };
    for (const who of [people.teacher, people.parent, people.student]) {
      expect(codes(await who.q(UPSERT, { i: input }))).toEqual(['FORBIDDEN']);
      expect(codes(await who.q('query { notificationTemplates { id } }'))).toEqual(['FORBIDDEN']);
    }
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ text: 'Hello {{name' }, 'input.text'],
      [{ subject: '{{#if x}}open' }, 'input.subject'],
      [{ html: '<p>{{/each}}</p>' }, 'input.html'],
      [{ key: 'Bad Key' }, 'input.key'],
      [{ key: 'a..b' }, 'input.key'],
      [{ key: 'a'.repeat(101) }, 'input.key'],
      [{ subject: 's'.repeat(201) }, 'input.subject'],
      [{ text: 't'.repeat(4001) }, 'input.text'],
      [{ html: 'h'.repeat(20001) }, 'input.html'],
      [{ text: '   ' }, 'input.text'],
    ];
    for (const [change, field] of cases) {
      const r = await people.admin.q(UPSERT, { i: { ...input, ...change } });
      expect([codes(r), r.body.errors?.[0].extensions?.field]).toEqual([['BAD_USER_INPUT'], field]);
    }
    // Arabic wording is kept as written.
    const ok = (await people.admin.ok(UPSERT, { i: input })).upsertTemplate;
    expect(ok).toMatchObject({ key: 'course.welcome', locale: 'AR', subject: 'أهلًا', text: 'مرحبًا {{name}}' });
  });
});
