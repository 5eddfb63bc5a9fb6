import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/core';
import { GraphQLError } from 'graphql';
import { openDatabase } from '../../../../platform/db/orm';
import { scopeToTenant } from '../../../../platform/db/tenant';
import { testDatabase } from '../../../../testkit/database';
import { messagingDatabase } from '../../database';
import { Channel, Notification } from '../notification.entity';
import { defaultTemplate } from './render';
import { assertTemplate, renderNotification, renderTemplate } from './render';
import { NotificationTemplate } from './notification-template.entity';
import { Locale } from './locale';

describe('template rendering', () => {
  it('escapes values in the HTML part only, and renders a missing variable empty', () => {
    const out = renderTemplate(
      {
        subject: 'About {{title}}',
        text: 'Hello {{name}}, {{message}}{{missing}}!',
        html: '<p>Hello {{name}}, {{message}}{{missing}}!</p>',
      },
      { title: 'Tom & Jerry', name: '<b>Sara</b>', message: 'a "quote" & <script>alert(1)</script>' },
    );
    expect(out.subject).toBe('About Tom & Jerry');
    expect(out.text).toBe('Hello <b>Sara</b>, a "quote" & <script>alert(1)</script>!');
    expect(out.html).toBe('<p>Hello &lt;b&gt;Sara&lt;/b&gt;, a &quot;quote&quot; &amp; &lt;script&gt;alert(1)&lt;/script&gt;!</p>');
  });

  it('makes the HTML part from the text when a template has none: escaped, with line breaks', () => {
    const out = renderTemplate({ subject: 's', text: 'Line {{a}}\nLine 2' }, { a: '<i>1</i>' });
    expect(out.text).toBe('Line <i>1</i>\nLine 2');
    expect(out.html).toBe('Line &lt;i&gt;1&lt;/i&gt;<br>\nLine 2');
  });

  it('renders Arabic templates and values as they are', () => {
    const ar = defaultTemplate('announcement.general', Channel.EMAIL, 'AR')!;
    const out = renderTemplate(ar, {
      title: 'تأجيل الاختبار',
      message: 'تم تأجيل اختبار الرياضيات إلى الأحد.',
      courseTitle: 'الرياضيات',
      teacherName: 'عمر فاروق',
    });
    expect(out.subject).toBe('الرياضيات: تأجيل الاختبار');
    expect(out.text).toBe('تم تأجيل اختبار الرياضيات إلى الأحد.\n\n— عمر فاروق');
  });

  it('renders the digest of gathered items', () => {
    const out = renderTemplate(defaultTemplate('digest', Channel.EMAIL, 'EN')!, {
      items: [
        { title: 'A <1>', body: 'first' },
        { title: 'B', body: 'second' },
      ],
    });
    expect(out.subject).toBe('Your notifications (2)');
    expect(out.text).toBe('• A <1>\nfirst\n\n• B\nsecond\n\n');
    expect(out.html).toContain('<h3>A &lt;1&gt;</h3><p>first</p>');
  });

  it('cannot reach prototypes through variables', () => {
    expect(renderTemplate({ subject: 's', text: '{{constructor.name}}|{{__proto__}}' }, {}).text).toBe('|');
  });

  it('refuses a template that does not compile, naming the field', () => {
    for (const broken of ['Hello {{name', '{{#if a}}open', '{{/if}}', '{{> partial}}}']) {
      let error: unknown;
      try {
        assertTemplate(broken, 'input.text');
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.text' });
      expect((error as GraphQLError).message).toMatch(/^input\.text is not a valid template: /);
    }
    expect(() => assertTemplate('Hi {{name}} {{#if x}}y{{else}}z{{/if}} {{#each items}}{{this}}{{/each}}', 'input.text')).not.toThrow();
  });
});

/** Which wording a notification gets: the school's for its channel, the school's for all channels, the built-in one for the channel, the built-in one. */
describe('template overrides (mysql)', () => {
  const db = testDatabase('mysql', 'messaging');
  let orm: MikroORM;
  const school: string = randomUUID();
  const other: string = randomUUID();
  const em = (schoolId = school) => scopeToTenant(orm.em.fork(), schoolId);
  beforeAll(async () => {
    orm = await openDatabase({ ...messagingDatabase, ...db.options });
  });
  afterAll(async () => {
    await orm.close();
    await db.drop();
  });

  const notification = (channel: Channel, locale: 'AR' | 'EN', schoolId = school) =>
    Object.assign(new Notification(), {
      id: randomUUID(),
      schoolId,
      channel,
      locale,
      templateKey: 'announcement.general',
      variables: { title: 'Trip', message: 'Friday' },
    });

  const template = (schoolId: string, channelKey: string, locale: Locale, subject: string) =>
    em(schoolId).create(NotificationTemplate, {
      schoolId,
      key: 'announcement.general',
      channelKey,
      locale,
      subject,
      text: `${subject} text`,
    });

  it('prefers the school channel template, then the school general one, then the built-in ones', async () => {
    expect((await renderNotification(em(), notification(Channel.SMS, 'EN'))).subject).toBe('Trip');
    const e = em();
    e.persist(template(school, '', Locale.EN, 'School all {{title}}'));
    await e.flush();
    expect((await renderNotification(em(), notification(Channel.SMS, 'EN'))).subject).toBe('School all Trip');
    const e2 = em();
    e2.persist(template(school, 'SMS', Locale.EN, 'School SMS {{title}}'));
    // Another school's wording never applies here.
    e2.persist(template(other, 'EMAIL', Locale.EN, 'Other school {{title}}'));
    await e2.flush();
    expect((await renderNotification(em(), notification(Channel.SMS, 'EN'))).subject).toBe('School SMS Trip');
    expect((await renderNotification(em(), notification(Channel.EMAIL, 'EN'))).subject).toBe('School all Trip');
    // The school wrote English only: Arabic stays built-in.
    expect((await renderNotification(em(), notification(Channel.SMS, 'AR'))).subject).toBe('Trip');
    expect((await renderNotification(em(other), notification(Channel.EMAIL, 'EN', other))).subject).toBe('Other school Trip');
    expect((await renderNotification(em(other), notification(Channel.SMS, 'EN', other))).subject).toBe('Trip');
  });

  it('fails clearly on a key known nowhere', async () => {
    await expect(renderNotification(em(), Object.assign(notification(Channel.SMS, 'EN'), { templateKey: 'no.such.key' }))).rejects.toThrow(
      /no template "no.such.key"/,
    );
  });
});
