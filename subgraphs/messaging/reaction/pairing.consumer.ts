import { Channel } from '../notification/notification.entity';
import { formatDateTime } from './format';
import { reaction, type ReactionDeps } from './reaction';
import { notifyInTheirLanguage } from './recipients';

/**
 * `pairing.code.created` → the student, in the app and by email. The code is a secret variable:
 * the email carries it; the in-app notice (whose rendered body is kept) only says one was sent.
 */
export const pairingCodeConsumer = ({ notify }: ReactionDeps) =>
  reaction('messaging.pairing-codes', ['pairing.code.created'], async (tx, event) => {
    const p = event.payload;
    await notifyInTheirLanguage(
      notify,
      tx,
      {
        schoolId: event.tenantId,
        category: 'account',
        templateKey: 'account.pairing-code',
        channels: [Channel.IN_APP, Channel.EMAIL],
        secretVariables: { code: p.code },
        source: event.id,
      },
      [p.studentId],
      (locale) => ({ expiresAt: formatDateTime(p.expiresAt, locale) }),
    );
  });
