import { createHmac } from 'node:crypto';
import { twilioSignature, verifyTwilioSignature } from './twilio/twilio-signature';

/**
 * X-Twilio-Signature (channels.md §1.3): HMAC-SHA1 keyed by the auth token over the full URL
 * followed by each POST parameter, sorted by name, as name + value; base64.
 */
describe('Twilio webhook signatures', () => {
  const authToken = '12345678901234567890123456789012';
  const url = 'https://api.manassa.eg/webhooks/twilio/status?key=0b0e2f5e-1c1f-4d1e-9a53-1f1b2f5d8c11%3A1';
  const params = {
    MessageSid: 'SM0123456789abcdef0123456789abcdef',
    MessageStatus: 'delivered',
    AccountSid: 'AC0123456789abcdef0123456789abcdef',
    To: 'whatsapp:+201001234567',
    From: 'whatsapp:+14155238886',
  };
  /** The documented algorithm, written out on its own. */
  const documented = (u: string, p: Record<string, string>, key: string) =>
    createHmac('sha1', key)
      .update(
        u +
          Object.keys(p)
            .sort()
            .map((name) => name + p[name])
            .join(''),
      )
      .digest('base64');

  it('signs as documented: the URL with its query, then the sorted parameters', () => {
    expect(twilioSignature(url, params, authToken)).toBe(documented(url, params, authToken));
  });

  it('accepts a callback signed over the URL and every parameter, including ones Twilio adds', () => {
    const withMore = { ...params, ApiVersion: '2010-04-01', ChannelPrefix: 'whatsapp', SmsStatus: 'delivered' };
    const signature = documented(url, withMore, authToken);
    expect(verifyTwilioSignature({ url, params: withMore, signature, authToken })).toBe(true);
  });

  it('refuses a changed parameter, a missing or added one, another URL or query, another token', () => {
    const signature = twilioSignature(url, params, authToken);
    expect(verifyTwilioSignature({ url, params: { ...params, MessageStatus: 'read' }, signature, authToken })).toBe(false);
    const { To: _to, ...fewer } = params;
    expect(verifyTwilioSignature({ url, params: fewer, signature, authToken })).toBe(false);
    expect(verifyTwilioSignature({ url, params: { ...params, ErrorCode: '30003' }, signature, authToken })).toBe(false);
    expect(verifyTwilioSignature({ url: url.replace('%3A1', '%3A2'), params, signature, authToken })).toBe(false);
    expect(verifyTwilioSignature({ url: url.replace('api.manassa.eg', 'evil.example'), params, signature, authToken })).toBe(false);
    expect(verifyTwilioSignature({ url, params, signature, authToken: `${authToken.slice(1)}x` })).toBe(false);
  });

  it('refuses a missing, empty or malformed signature header', () => {
    expect(verifyTwilioSignature({ url, params, signature: undefined, authToken })).toBe(false);
    expect(verifyTwilioSignature({ url, params, signature: '', authToken })).toBe(false);
    expect(verifyTwilioSignature({ url, params, signature: 'not base64 at all', authToken })).toBe(false);
    expect(verifyTwilioSignature({ url, params, signature: twilioSignature(url, params, authToken), authToken: '' })).toBe(false);
  });

  it('accepts the URL Twilio signed with or without the default port (Twilio signs either)', () => {
    const withPort = url.replace('api.manassa.eg', 'api.manassa.eg:443');
    const signature = documented(withPort, params, authToken);
    expect(verifyTwilioSignature({ url, params, signature, authToken })).toBe(true);
  });
});
