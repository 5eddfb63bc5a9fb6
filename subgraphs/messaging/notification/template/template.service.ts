import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { badInput } from '../../../../platform/errors';
import { viewerOf } from '../../../../platform/auth/viewer';
import type { MessagingContext } from '../../context';
import { NotificationTemplate } from './notification-template.entity';
import { assertTemplate } from './render';
import type { TemplateInput } from './template.input';

/** Template keys: lower-case words joined by one `.`, `_` or `-` (the built-in keys' shape). */
export const TEMPLATE_KEY = /^[a-z0-9]+([._-][a-z0-9]+)*$/;
export const TEMPLATE_LIMITS = { key: 100, subject: 200, text: 4000, html: 20000 } as const;

function part(value: string, field: string, max: number): string {
  if (!value.trim()) throw badInput(`${field} must not be blank`, field);
  if (value.length > max) throw badInput(`${field} must be at most ${max} characters`, field);
  assertTemplate(value, field);
  return value;
}

/** School admins write their school's wording of notifications (the resolver checks the role). */
export class TemplateService {
  /**
   * Creates or replaces the school's template for (key, channel, locale). Every part must compile,
   * so a broken template is refused here rather than failing deliveries later. Concurrent saves of
   * the same template end as one row (the last write wins), never as a unique-key error.
   */
  async upsert(ctx: MessagingContext, input: TemplateInput): Promise<NotificationTemplate> {
    const { schoolId } = viewerOf(ctx);
    const key = input.key.trim();
    if (key.length > TEMPLATE_LIMITS.key || !TEMPLATE_KEY.test(key)) {
      throw badInput('input.key must be lower-case words joined by ".", "_" or "-", at most 100 characters', 'input.key');
    }
    const data = {
      schoolId,
      key,
      channelKey: input.channel ?? '',
      locale: input.locale,
      subject: part(input.subject, 'input.subject', TEMPLATE_LIMITS.subject),
      text: part(input.text, 'input.text', TEMPLATE_LIMITS.text),
      html: input.html == null || input.html === '' ? null : part(input.html, 'input.html', TEMPLATE_LIMITS.html),
      updatedAt: new Date(),
    };
    const unique = { schoolId, key, channelKey: data.channelKey, locale: data.locale };
    try {
      await ctx.em.insert(NotificationTemplate, { ...data, id: randomUUID(), createdAt: data.updatedAt });
    } catch (err) {
      // Saved before (or by a concurrent save a moment ago): this one replaces it.
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      await ctx.em.nativeUpdate(NotificationTemplate, unique, {
        subject: data.subject,
        text: data.text,
        html: data.html,
        updatedAt: data.updatedAt,
      });
    }
    return ctx.em.findOneOrFail(NotificationTemplate, unique, { refresh: true });
  }

  /** The school's own templates of `key` (every key when unset), by key, language, then channel. */
  list(ctx: MessagingContext, key?: string): Promise<NotificationTemplate[]> {
    viewerOf(ctx);
    return ctx.em.find(NotificationTemplate, key ? { key } : {}, { orderBy: { key: 'asc', locale: 'asc', channelKey: 'asc' } });
  }
}
