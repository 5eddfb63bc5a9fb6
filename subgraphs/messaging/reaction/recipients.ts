import type { EntityManager } from '@mikro-orm/core';
import { GuardianLink } from '../../../platform/people/guardian-link.entity';
import { Contact } from '../contact/contact.entity';
import { CourseInfo } from '../course/course-info.entity';
import type { Notify, NotifyRequest } from '../notification/notify';
import { toLocale, type Locale } from './format';

/** The people of the school by id, from the contacts read model (absent ones are unknown yet). */
export async function contactsById(tx: EntityManager, ids: string[]): Promise<Map<string, Contact>> {
  if (!ids.length) return new Map();
  const contacts = await tx.find(Contact, { id: { $in: [...new Set(ids)] } });
  return new Map(contacts.map((c) => [c.id, c]));
}

/** The parents who follow any of `studentIds`. */
export async function guardiansOf(tx: EntityManager, studentIds: string[]): Promise<string[]> {
  if (!studentIds.length) return [];
  const links = await tx.find(GuardianLink, { studentId: { $in: studentIds } });
  return [...new Set(links.map((l) => l.guardianId))];
}

/** The title of a course from the read model, or undefined when messaging does not know it (yet). */
export async function courseTitle(tx: EntityManager, courseId: string): Promise<string | undefined> {
  return (await tx.findOne(CourseInfo, { id: courseId }, { fields: ['title'] }))?.title;
}

/**
 * Notifies users each in their own language: `variables` is called once per language present
 * among them (amounts and dates formatted for it), and notify once per language with those
 * people, all under the same `source` (its dedupe key names the recipient, so the calls never
 * collide). A person messaging does not know yet is written to in Arabic, the platform's default.
 */
export async function notifyInTheirLanguage(
  notify: Notify,
  tx: EntityManager,
  request: Omit<NotifyRequest, 'recipients' | 'variables'>,
  userIds: string[],
  variables: (locale: Locale) => Record<string, unknown>,
): Promise<number> {
  const contacts = await contactsById(tx, userIds);
  const byLocale = new Map<Locale, string[]>();
  for (const id of new Set(userIds)) {
    const locale = toLocale(contacts.get(id)?.locale);
    byLocale.set(locale, [...(byLocale.get(locale) ?? []), id]);
  }
  let made = 0;
  for (const [locale, ids] of byLocale) {
    made += await notify(tx, { ...request, recipients: ids.map((userId) => ({ userId })), variables: variables(locale) });
  }
  return made;
}
