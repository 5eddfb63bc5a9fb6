import { conversationTemplates } from '../../conversation/conversation.templates';
import { reactionTemplates } from '../../reaction/reaction.templates';
import type { DefaultTemplate } from './default-template';

/** The notification feature's own templates: announcements and the digest that gathers waiting notifications. */
const notificationTemplates: DefaultTemplate[] = [
  {
    key: 'announcement.general',
    locale: 'AR',
    subject: '{{#if courseTitle}}{{courseTitle}}: {{/if}}{{title}}',
    text: '{{message}}{{#if teacherName}}\n\n— {{teacherName}}{{/if}}',
  },
  {
    key: 'announcement.general',
    locale: 'EN',
    subject: '{{#if courseTitle}}{{courseTitle}}: {{/if}}{{title}}',
    text: '{{message}}{{#if teacherName}}\n\n— {{teacherName}}{{/if}}',
  },
  {
    // `items`: [{ title, body }] of the notifications the digest gathers, oldest first.
    key: 'digest',
    locale: 'AR',
    subject: 'ملخص إشعاراتك ({{items.length}})',
    text: '{{#each items}}• {{title}}\n{{body}}\n\n{{/each}}',
    html: '<h2>ملخص إشعاراتك</h2>{{#each items}}<h3>{{title}}</h3><p>{{body}}</p>{{/each}}',
  },
  {
    key: 'digest',
    locale: 'EN',
    subject: 'Your notifications ({{items.length}})',
    text: '{{#each items}}• {{title}}\n{{body}}\n\n{{/each}}',
    html: '<h2>Your notifications</h2>{{#each items}}<h3>{{title}}</h3><p>{{body}}</p>{{/each}}',
  },
];

/** Every built-in template: what each key says where the school has not written its own. */
export const defaultTemplates: readonly DefaultTemplate[] = [...notificationTemplates, ...conversationTemplates, ...reactionTemplates];

/** The keys that exist without any school template. */
export const defaultTemplateKeys: ReadonlySet<string> = new Set(defaultTemplates.map((t) => t.key));
