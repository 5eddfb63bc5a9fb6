import { randomUUID } from 'node:crypto';
import { ProviderError, type OutgoingMessage } from '../subgraphs/messaging/channels/channel';

/**
 * A maker of the messages a channel adapter test sends: each a fresh notification with its first
 * attempt's key, the test's `defaults` (address, language, text; a function when each message needs
 * its own), then the call's overrides.
 */
type Defaults = Omit<OutgoingMessage, 'notificationId' | 'idempotencyKey'>;
export function outgoingMessages(defaults: Defaults | (() => Defaults)) {
  return (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage => {
    const notificationId = overrides.notificationId ?? randomUUID();
    const base = typeof defaults === 'function' ? defaults() : defaults;
    return { notificationId, idempotencyKey: `${notificationId}:1`, ...base, ...overrides };
  };
}

/** The ProviderError `promise` rejects with; the test fails when it resolves or rejects with anything else. */
export async function providerRefusal(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}
