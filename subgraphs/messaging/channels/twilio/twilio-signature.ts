// The webhooks module alone: the package root also loads Twilio's whole REST client.
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';

export interface TwilioSignatureCheck {
  /** The full public URL Twilio called, query string included (what Twilio signed). */
  url: string;
  /** Every form parameter that arrived, whatever they are: Twilio adds some without notice. */
  params: Record<string, string | string[]>;
  /** The X-Twilio-Signature header (absent = not from Twilio). */
  signature: string | undefined;
  authToken: string;
}

/**
 * Whether a form-encoded webhook was signed by Twilio with this auth token (channels.md §1.3).
 * Twilio's own validator is used, as Twilio advises: it compares in constant time and also
 * accepts the URL with or without its port, as Twilio may sign either.
 */
export function verifyTwilioSignature({ url, params, signature, authToken }: TwilioSignatureCheck): boolean {
  if (!signature || !authToken) return false;
  return validateRequest(authToken, signature, url, params);
}

/** The X-Twilio-Signature Twilio sends for `params` posted to `url` (for the fake Twilio server and tests). */
export function twilioSignature(url: string, params: Record<string, string | string[]>, authToken: string): string {
  return getExpectedTwilioSignature(authToken, url, params);
}
