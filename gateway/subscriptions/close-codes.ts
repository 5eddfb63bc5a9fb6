/**
 * WebSocket close codes the gateway ends a client connection with. 44xx are graphql-ws's own
 * (graphql-ws clients do not retry 4400 and 4401 by themselves); 4008 is ours.
 */
export const CloseCodes = {
  /** connection_init without a known school, or a malformed message: fix the request. */
  badRequest: { code: 4400, reason: 'Bad request' },
  /** The access token is invalid, or expired while connected: refresh it and reconnect. */
  unauthorized: { code: 4401, reason: 'Unauthorized' },
  /** The login session was revoked (logout, refresh-token reuse): sign in again. */
  sessionRevoked: { code: 4403, reason: 'Session revoked' },
  /** Too many connections from this address or user: reconnect later. */
  rateLimited: { code: 4029, reason: 'Too many requests' },
  /**
   * The client did not read its messages fast enough: its unsent buffer passed the limit.
   * Reconnect and resubscribe with `after` = the last event id received to miss nothing.
   */
  slowConsumer: { code: 4008, reason: 'Slow consumer: unsent buffer limit reached' },
  /** A dependency the check needs is down (SERVICE_UNAVAILABLE: sign-in state, school directory): reconnect later. */
  tryAgainLater: { code: 1013, reason: 'Try again later' },
  /** The gateway is shutting down: reconnect (another instance will answer). */
  goingAway: { code: 1001, reason: 'Going away' },
  internalError: { code: 4500, reason: 'Internal server error' },
} as const;

export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes];
