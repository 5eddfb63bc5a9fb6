import type { StreamCodec } from './codec';

const BOUNDARY = 'graphql';
const DELIMITER = `\r\n--${BOUNDARY}`;
const PART = Buffer.from('\r\ncontent-type: application/json\r\n\r\n{"payload":');
/** Closes a part's JSON and opens the next delimiter: every part ends ready for the next one, or for the close. */
const PART_END = Buffer.from(`}${DELIMITER}`);
const END = Buffer.from('--\r\n');

/** A part carrying `{"payload": <result>}`, the result already serialized. */
function payloadPart(payload: Buffer): Buffer {
  return Buffer.concat([PART, payload, PART_END], PART.length + payload.length + PART_END.length);
}

/**
 * Apollo's multipart HTTP subscription protocol (what Apollo Client, Kotlin and iOS speak):
 * asked for with `Accept: multipart/mixed;subscriptionSpec="1.0", application/json`, answered
 * `multipart/mixed; boundary="graphql"; subscriptionSpec="1.0"`; each result is a JSON part
 * `{"payload": {...}}`, a heartbeat part `{}` every 5 s keeps the connection open, and the body
 * ends with `--graphql--`. A result with errors is `{"payload": {"errors": [...]}}`; a transport
 * error that ends the subscription (token expired, shutdown) is `{"payload": null, "errors": [...]}`.
 * Errors found before the subscription starts (parse, validation, variables) are a JSON answer
 * instead (the request accepts application/json too), with the error code's status.
 */
export const multipart: StreamCodec = {
  transport: 'multipart',
  key: Symbol('multipart'),
  headers: {
    'content-type': `multipart/mixed; boundary="${BOUNDARY}"; subscriptionSpec="1.0"`,
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  },
  // An empty preamble, then the first delimiter: each part follows its own delimiter.
  opening: Buffer.from(DELIMITER),
  next: payloadPart,
  heartbeat: Buffer.from(`\r\ncontent-type: application/json\r\n\r\n{}${DELIMITER}`),
  // The protocol's interval, whatever the WebSocket keep-alive is.
  heartbeatMs: () => 5000,
  complete: END,
  refusal: (errors) => Buffer.concat([payloadPart(Buffer.from(JSON.stringify({ errors }))), END]),
  fatal: (errors) =>
    Buffer.concat([Buffer.from(`\r\ncontent-type: application/json\r\n\r\n${JSON.stringify({ payload: null, errors })}${DELIMITER}`), END]),
};
