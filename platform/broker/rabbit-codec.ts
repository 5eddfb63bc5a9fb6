import type { Message, Options } from 'amqplib';
import type { BrokerMessage } from './message-broker';

/** Which delivery this is: 1 for the first, then one more per retry. */
export const ATTEMPT_HEADER = 'x-attempt';
/**
 * The routing key the message was published with: a retry travels through the default exchange
 * under the queue's name, which replaces the original key.
 */
export const ROUTING_KEY_HEADER = 'x-routing-key';
/** Added by RabbitMQ when it dead-letters (here: a retry's wait is over); meaningless to handlers. */
const DEATH_HEADERS = /^x-(death|first-death-.+|last-death-.+)$/;

export const retryQueue = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}`;
export const deadQueue = (queue: string) => `${queue}.dead`;

/** Persistent, so a confirmed message routed to a durable queue survives a broker restart. */
export function publishOptions(id: string, headers: Record<string, string>, attempt: number): Options.Publish {
  return { persistent: true, messageId: id, contentType: 'application/json', headers: { ...headers, [ATTEMPT_HEADER]: attempt } };
}

/** Options to send a received message on (to a retry or dead queue) with its id and original key. */
export function redirectOptions(message: Message, attempt: number, extraHeaders: Record<string, string> = {}): Options.Publish {
  const headers = { ...userHeaders(message), [ROUTING_KEY_HEADER]: routingKeyOf(message), ...extraHeaders };
  return publishOptions(message.properties.messageId ?? '', headers, attempt);
}

export function attemptOf(message: Message): number {
  const attempt = Number(message.properties.headers?.[ATTEMPT_HEADER]);
  return Number.isSafeInteger(attempt) && attempt >= 1 ? attempt : 1;
}

/**
 * @param lenient keep an unparseable body as its text instead of throwing: a dead letter may be
 *   dead precisely because it is not JSON, and must still be inspectable.
 */
export function decodeMessage<T>(message: Message, lenient = false): BrokerMessage<T> {
  const text = message.content.toString('utf8');
  let payload: T;
  try {
    payload = JSON.parse(text) as T;
  } catch (err) {
    if (!lenient) throw err;
    payload = text as T;
  }
  return {
    id: message.properties.messageId ?? '',
    routingKey: routingKeyOf(message),
    payload,
    headers: userHeaders(message),
    attempt: attemptOf(message),
  };
}

function routingKeyOf(message: Message): string {
  const original: unknown = message.properties.headers?.[ROUTING_KEY_HEADER];
  return typeof original === 'string' ? original : message.fields.routingKey;
}

function userHeaders(message: Message): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.properties.headers ?? {})) {
    if (name === ATTEMPT_HEADER || name === ROUTING_KEY_HEADER || DEATH_HEADERS.test(name)) continue;
    headers[name] = String(value);
  }
  return headers;
}
