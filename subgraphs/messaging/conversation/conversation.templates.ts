import { Channel } from '../notification/notification.entity';
import type { DefaultTemplate } from '../notification/template/default-template';

/**
 * The built-in templates of a new message's notification to the other participants
 * (conversation.service.ts). Variables: `senderName`, `subject` (the conversation's) and
 * `preview` (the message's start, one line, at most 140 characters). The SMS version is shorter:
 * one SMS segment of Arabic holds 70 characters.
 */
export const conversationTemplates: DefaultTemplate[] = [
  {
    key: 'conversation.message',
    locale: 'AR',
    subject: 'رسالة جديدة من {{senderName}}',
    text: '{{senderName}} في «{{subject}}»:\n{{preview}}',
    html: '<p><strong>{{senderName}}</strong> في «{{subject}}»:</p><blockquote>{{preview}}</blockquote>',
  },
  {
    key: 'conversation.message',
    locale: 'EN',
    subject: 'New message from {{senderName}}',
    text: '{{senderName}} in "{{subject}}":\n{{preview}}',
    html: '<p><strong>{{senderName}}</strong> in “{{subject}}”:</p><blockquote>{{preview}}</blockquote>',
  },
  {
    key: 'conversation.message',
    locale: 'AR',
    channel: Channel.SMS,
    subject: 'رسالة جديدة',
    text: 'رسالة جديدة من {{senderName}} على المنصة: {{subject}}',
  },
  {
    key: 'conversation.message',
    locale: 'EN',
    channel: Channel.SMS,
    subject: 'New message',
    text: 'New message from {{senderName}} on El-Manassa: {{subject}}',
  },
];
