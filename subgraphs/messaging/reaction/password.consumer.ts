import { Channel } from '../notification/notification.entity';
import { formatDateTime, toLocale } from './format';
import { isEvent, reaction, type ReactionDeps } from './reaction';
import { contactsById, notifyInTheirLanguage } from './recipients';

/**
 * `password.reset.requested` → the reset link, by email to the address in the event (the token
 * and the link are secret variables); `password.changed` → a security notice to the person.
 * Both `account`: essential, sent whatever the person's preferences say.
 */
export const passwordConsumer = ({ notify, config }: ReactionDeps) =>
  reaction('messaging.passwords', ['password.reset.requested', 'password.changed'], async (tx, event) => {
    if (isEvent(event, 'password.changed')) {
      const p = event.payload;
      await notifyInTheirLanguage(
        notify,
        tx,
        { schoolId: event.tenantId, category: 'account', templateKey: 'account.password-changed', source: event.id },
        [p.userId],
        (locale) => ({ when: formatDateTime(p.changedAt, locale), via: p.via }),
      );
      return;
    }
    if (!isEvent(event, 'password.reset.requested')) return;
    const p = event.payload;
    const locale = toLocale(p.locale);
    const name = (await contactsById(tx, [p.userId])).get(p.userId)?.displayName;
    await notify(tx, {
      schoolId: event.tenantId,
      category: 'account',
      templateKey: 'account.password-reset',
      channels: [Channel.EMAIL],
      recipients: [{ email: p.email, locale, ...(name ? { name } : {}) }],
      variables: { expiresAt: formatDateTime(p.expiresAt, locale) },
      secretVariables: { token: p.token, link: `${config.publicUrl}/reset-password?token=${encodeURIComponent(p.token)}` },
      source: event.id,
    });
  });
