import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { plainRows } from '../../../platform/db/plain-rows';
import { TENANT_FILTER } from '../../../platform/db/tenant';
import { Contact } from '../contact/contact.entity';
import { PushDevice } from '../device/push-device.entity';
import { CATEGORIES, isCategory } from './categories';
import { recordDeliveryJob } from './delivery-job';
import { nextDigestAt } from './digest';
import { Channel, DeliveryStatus, Notification } from './notification.entity';
import type { Notify, NotifyRequest } from './notify';
import { NotificationFrequency, NotificationPreference } from './preference/notification-preference.entity';
import type { Sealer } from './seal';
import { renderTemplate, resolveTemplate, type TemplateSource } from './template/render';

/** Ids per `IN (…)` query: far below MariaDB's and SQLite's limits on parameters. */
const LOOKUP_CHUNK = 1000;
/** Rows per INSERT: a few hundred keeps statements well under max_allowed_packet with variables. */
const INSERT_BATCH = 500;
const DEDUPE_KEY_MAX = 250;

type Locale = 'AR' | 'EN';

/** One notification to make: who, where, in which language. */
interface Planned {
  recipient: string;
  userId?: string;
  locale: Locale;
  channel: Channel;
  address?: string;
  digest?: 'DAILY' | 'WEEKLY';
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `<source>:<recipient>:<channel>`; one too long for its column keeps the source as prefix and hashes the rest. */
export function dedupeKey(source: string, recipient: string, channel: Channel): string {
  const key = `${source}:${recipient}:${channel}`;
  if (key.length <= DEDUPE_KEY_MAX) return key;
  return `${sourcePrefix(source)}:#${createHash('sha256').update(key).digest('base64url')}`;
}

/** The part of the source every dedupe key of it starts with. */
const sourcePrefix = (source: string) => source.slice(0, 180);

/** The channels without an address to reach `contact` on drop out (a person without email gets no email). */
function reachable(channel: Channel, contact: Pick<Contact, 'email' | 'phone'>, hasDevice: boolean): string | true | undefined {
  switch (channel) {
    case Channel.EMAIL:
      return contact.email || undefined;
    case Channel.SMS:
    case Channel.WHATSAPP:
      return contact.phone || undefined;
    case Channel.PUSH:
      return hasDevice || undefined;
    case Channel.IN_APP:
      return true;
  }
}

/**
 * Makes notifications (`notify`, the contract of notify.ts) for every feature that notifies:
 * announcements, conversations, the reactions to domain events. Built once per service (app.ts)
 * with the sealer of secret variables, and handed to the others as `service.notify`.
 */
export class NotificationService {
  constructor(private readonly sealer: Sealer) {}

  /** Bound, so it can be passed around as a plain `Notify` function. */
  readonly notify: Notify = (tx, request) => this.create(tx, request);

  /**
   * For each recipient: the read model's contact (unknown or inactive people are skipped), their
   * preference for the category, the channels asked (or preferred, or the category's) minus
   * those the preference turns off and those without an address. Then one row per recipient and
   * channel, unless the source already made it (`dedupeKey`), QUEUED with its delivery job, or
   * SCHEDULED (a later `scheduledAt`, or the recipient's digest).
   *
   * Bulk by design (an announcement to a whole course): a fixed number of queries per 1,000
   * recipients to read, one per 500 rows to write, whatever the audience.
   */
  private async create(tx: EntityManager, request: NotifyRequest): Promise<number> {
    const { schoolId, category, source } = request;
    if (!isCategory(category)) throw new Error(`unknown notification category "${category}"`);
    const scope = tx.getFilterParams<{ schoolId?: string }>(TENANT_FILTER)?.schoolId;
    if (scope !== schoolId) throw new Error(`notify for school ${schoolId} on an EntityManager scoped to ${scope ?? 'no school'}`);
    const { essential } = CATEGORIES[category];
    const categoryChannels: readonly Channel[] = CATEGORIES[category].channels;
    const asked = request.channels ? [...new Set(request.channels)] : undefined;

    // Reads and writes go through short-lived forks inside the caller's transaction: 10,000 contacts
    // and outbox rows kept in the caller's identity map would make each flush check them all again.
    const reader = tx.fork({ keepTransactionContext: true });
    const userIds = [...new Set(request.recipients.flatMap((r) => ('userId' in r ? [r.userId] : [])))];
    const contacts = new Map<string, Pick<Contact, 'id' | 'email' | 'phone' | 'locale'>>();
    const preferences = new Map<string, NotificationPreference>();
    const withDevice = new Set<string>();
    for (const ids of chunks(userIds, LOOKUP_CHUNK)) {
      const [found, prefs, devices] = await Promise.all([
        plainRows(reader, Contact, ['id', 'email', 'phone', 'locale'], { id: { $in: ids }, active: true }),
        essential ? Promise.resolve([]) : reader.find(NotificationPreference, { userId: { $in: ids }, category }),
        plainRows(reader, PushDevice, ['userId'], { userId: { $in: ids } }),
      ]);
      for (const c of found) contacts.set(c.id, c);
      for (const p of prefs) preferences.set(p.userId, p);
      for (const d of devices) withDevice.add(d.userId);
    }

    const planned: Planned[] = [];
    for (const userId of userIds) {
      const contact = contacts.get(userId);
      if (!contact) continue;
      const preference = essential ? undefined : preferences.get(userId);
      if (preference?.frequency === NotificationFrequency.NEVER) continue;
      let channels: Channel[] = asked ?? preference?.channels ?? [...categoryChannels];
      // The sender's channels, minus those the person turned off; in-app is the quiet inbox and stays.
      if (asked && preference) channels = channels.filter((c) => c === Channel.IN_APP || preference.channels.includes(c));
      if (essential && channels.includes(Channel.EMAIL) && !contact.email && contact.phone && !channels.includes(Channel.SMS)) {
        // An account message must arrive: by SMS when there is no email (categories.ts).
        channels = channels.map((c) => (c === Channel.EMAIL ? Channel.SMS : c));
      }
      const digest =
        preference?.frequency === NotificationFrequency.DAILY || preference?.frequency === NotificationFrequency.WEEKLY
          ? preference.frequency
          : undefined;
      for (const channel of new Set(channels)) {
        const address = reachable(channel, contact, withDevice.has(userId));
        if (!address) continue;
        planned.push({
          recipient: userId,
          userId,
          locale: contact.locale,
          channel,
          address: typeof address === 'string' ? address : undefined,
          digest,
        });
      }
    }
    const emails = new Set<string>();
    for (const r of request.recipients) {
      if ('userId' in r) continue;
      const email = r.email.trim().toLowerCase();
      if (!email || emails.has(email)) continue;
      emails.add(email);
      // Someone without an account yet (an invitation) has an address, nothing else: email only.
      if ((asked ?? categoryChannels).includes(Channel.EMAIL)) {
        planned.push({ recipient: email, locale: r.locale, channel: Channel.EMAIL, address: r.email.trim() });
      }
    }
    if (!planned.length) return 0;

    const prefix = sourcePrefix(source).replace(/[\\%_]/g, '_');
    const existing = new Set(
      (await plainRows(reader, Notification, ['dedupeKey'], { dedupeKey: { $like: `${prefix}:%` } })).map((n) => n.dedupeKey),
    );

    const now = new Date();
    const later = request.scheduledAt && request.scheduledAt.getTime() > now.getTime() ? request.scheduledAt : undefined;
    const secrets = request.secretVariables && Object.keys(request.secretVariables).length ? request.secretVariables : undefined;
    const sealed = secrets ? this.sealer.seal(secrets) : undefined;
    const variables = request.variables ?? {};
    const inApp = new Map<Locale, TemplateSource | undefined>();
    const digestAt = new Map<string, Date>();

    // Every row names every column (null, not absent): one multi-row INSERT needs the same columns throughout.
    const rows: Array<Record<string, unknown> & Pick<Notification, 'id' | 'schoolId' | 'channel' | 'status'>> = [];
    const made = new Set<string>();
    for (const p of planned) {
      const key = dedupeKey(source, p.recipient, p.channel);
      if (existing.has(key) || made.has(key)) continue;
      made.add(key);
      let title: string | undefined;
      let body: string | undefined;
      if (p.channel === Channel.IN_APP) {
        if (!inApp.has(p.locale)) inApp.set(p.locale, await resolveTemplate(reader, request.templateKey, Channel.IN_APP, p.locale));
        const template = inApp.get(p.locale);
        if (!template) throw new Error(`no template "${request.templateKey}" for IN_APP in ${p.locale}`);
        // Rendered now, without the secret variables: an in-app notification keeps its text.
        const rendered = renderTemplate(template, variables);
        title = rendered.subject.slice(0, 300);
        body = rendered.text;
      }
      let status = DeliveryStatus.QUEUED;
      let scheduledAt: Date | undefined;
      if (p.digest) {
        status = DeliveryStatus.SCHEDULED;
        if (!digestAt.has(p.digest)) digestAt.set(p.digest, nextDigestAt(p.digest, later ?? now));
        scheduledAt = digestAt.get(p.digest);
      } else if (later) {
        status = DeliveryStatus.SCHEDULED;
        scheduledAt = later;
      }
      rows.push({
        id: randomUUID(),
        schoolId,
        createdAt: now,
        updatedAt: now,
        recipientId: p.userId ?? null,
        category,
        templateKey: request.templateKey,
        channel: p.channel,
        locale: p.locale,
        address: p.address ?? null,
        variables,
        sealed: (p.channel === Channel.IN_APP ? undefined : sealed) ?? null,
        title: title ?? null,
        body: body ?? null,
        status,
        attempts: 0,
        scheduledAt: scheduledAt ?? null,
        digest: p.digest ?? null,
        announcementId: request.announcementId ?? null,
        dedupeKey: key,
      });
    }

    for (const batch of chunks(rows, INSERT_BATCH)) {
      const writer = tx.fork({ keepTransactionContext: true });
      await writer.insertMany(Notification, batch as never[]);
      for (const row of batch) if (row.status === DeliveryStatus.QUEUED) recordDeliveryJob(writer, row);
      // The batch's outbox rows go now, from a unit of work of their own however large the audience.
      await writer.flush();
    }
    return rows.length;
  }
}
