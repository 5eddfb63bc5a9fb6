import express from 'express';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks';
import { createHttpApp, listen, type RunningServer } from '../../platform/http';
import { createLogger } from '../../platform/logger';
import { createMetrics } from '../../platform/metrics';
import { PROVIDER_WEBHOOKS, providerWebhooks } from './webhooks';

/**
 * The gateway's forwarding of providers' callbacks, against a local server standing in for the
 * subgraphs (it records exactly what reached it). Twilio's status callback is checked with
 * Twilio's own validator on the subgraph side: the signature made over the public URL must still
 * hold after the hop.
 */
const AUTH_TOKEN = 'test-twilio-auth-token-0123456789';
const logger = createLogger('gateway-webhooks-test', 'silent');

interface Received {
  path: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let subgraph: RunningServer;
let gateway: RunningServer;
let gatewayWithoutMessaging: RunningServer;
const received: Received[] = [];

beforeAll(async () => {
  const fake = express();
  fake.use(express.raw({ type: () => true }));
  fake.post(/.*/, (req, res) => {
    received.push({ path: req.path, originalUrl: req.originalUrl, headers: req.headers, body: req.body as Buffer });
    res
      .status(req.path === '/webhooks/twilio/status' ? 204 : 200)
      .type('text/plain')
      .send(req.path === '/webhooks/twilio/status' ? '' : 'ok');
  });
  subgraph = await listen(fake, 0, '127.0.0.1');

  const gatewayApp = (routing: Record<string, string>) => {
    const app = createHttpApp({
      name: 'gateway',
      logger,
      metrics: createMetrics('gateway'),
      ready: async () => true,
      rawBodies: PROVIDER_WEBHOOKS,
    });
    app.use(
      providerWebhooks({
        baseUrlOf: (name) => {
          if (!routing[name]) throw new Error(`no URL for subgraph ${name}`);
          return routing[name];
        },
        logger,
        timeoutMs: 2000,
      }),
    );
    return app;
  };
  gateway = await listen(gatewayApp({ billing: subgraph.url, messaging: subgraph.url }), 0, '127.0.0.1');
  gatewayWithoutMessaging = await listen(gatewayApp({ billing: subgraph.url }), 0, '127.0.0.1');
});

afterAll(async () => {
  await Promise.all([gateway?.close(), gatewayWithoutMessaging?.close(), subgraph?.close()]);
});

beforeEach(() => {
  received.length = 0;
});

describe('POST /webhooks/twilio/status through the gateway', () => {
  it('reaches messaging with the same path, query, body bytes and headers, so Twilio’s signature over the public URL still holds', async () => {
    const publicUrl = `${gateway.url}/webhooks/twilio/status?n=8c7b1e4e-5a0e-4a43-9d55-0b1f9d6c1e2a`;
    const params = {
      MessageSid: 'SM0123456789abcdef0123456789abcdef',
      MessageStatus: 'delivered',
      AccountSid: 'AC1',
      'Weird Name': 'ü & =',
    };
    const signature = getExpectedTwilioSignature(AUTH_TOKEN, publicUrl, params);
    const body = new URLSearchParams(params).toString();

    const res = await fetch(publicUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        'x-twilio-signature': signature,
        'i-twilio-idempotency-token': 'idem-1',
        'user-agent': 'TwilioProxy/1.1',
      },
      body,
    });

    expect(res.status).toBe(204);
    expect(received).toHaveLength(1);
    const [hop] = received;
    expect(hop.originalUrl).toBe('/webhooks/twilio/status?n=8c7b1e4e-5a0e-4a43-9d55-0b1f9d6c1e2a');
    expect(hop.body.toString('utf8')).toBe(body);
    expect(hop.headers).toMatchObject({
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': 'idem-1',
      'user-agent': 'TwilioProxy/1.1',
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      'x-forwarded-host': new URL(gateway.url).host,
      'x-forwarded-proto': 'http',
    });
    // What the subgraph does: rebuild the public URL from its configured base and the path it got.
    const rebuilt = `${gateway.url}${hop.originalUrl}`;
    const parsed = Object.fromEntries(new URLSearchParams(hop.body.toString('utf8')));
    expect(validateRequest(AUTH_TOKEN, String(hop.headers['x-twilio-signature']), rebuilt, parsed)).toBe(true);
  });

  it('does not let the caller choose the forwarded address or host (the gateway sets them from what it trusts)', async () => {
    const res = await fetch(`${gateway.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-host': 'evil.example',
      },
      body: 'MessageStatus=sent',
    });
    expect(res.status).toBe(204);
    expect(received[0].headers['x-forwarded-for']).not.toContain('203.0.113.9');
    expect(received[0].headers['x-forwarded-host']).toBe(new URL(gateway.url).host);
  });

  it('answers 503 SERVICE_UNAVAILABLE when messaging has no routing URL, and forwards nothing', async () => {
    const res = await fetch(`${gatewayWithoutMessaging.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'MessageStatus=sent',
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      errors: [{ message: 'Message status callbacks are not served here', extensions: { code: 'SERVICE_UNAVAILABLE' } }],
    });
    expect(received).toHaveLength(0);
  });

  it('answers 503 naming messaging, with Retry-After, when messaging does not answer', async () => {
    const down = await listen(express(), 0, '127.0.0.1');
    const downUrl = down.url;
    await down.close();
    const app = createHttpApp({
      name: 'gateway',
      logger,
      metrics: createMetrics('gateway'),
      ready: async () => true,
      rawBodies: PROVIDER_WEBHOOKS,
    });
    app.use(providerWebhooks({ baseUrlOf: () => downUrl, logger, timeoutMs: 2000 }));
    const gw = await listen(app, 0, '127.0.0.1');
    try {
      const res = await fetch(`${gw.url}/webhooks/twilio/status`, { method: 'POST', body: 'MessageStatus=sent' });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('30');
      const body = (await res.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
      expect(body.errors[0].extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', serviceName: 'messaging' });
    } finally {
      await gw.close();
    }
  });

  it('refuses a body over the webhook limit with 413 before forwarding it', async () => {
    const res = await fetch(`${gateway.url}/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Body=${'x'.repeat(70 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(received).toHaveLength(0);
  });
});

describe('the payment webhooks still reach billing', () => {
  it('forwards /webhooks/paymob with its query string (the hmac) and raw JSON body', async () => {
    const body = '{"obj":{"id":1,"success":true},  "type":"TRANSACTION"}';
    const res = await fetch(`${gateway.url}/webhooks/paymob?hmac=abc123`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
    expect(received).toHaveLength(1);
    expect(received[0].originalUrl).toBe('/webhooks/paymob?hmac=abc123');
    // Byte for byte: the odd spacing survives (a re-serialised JSON would not).
    expect(received[0].body.toString('utf8')).toBe(body);
  });

  it('does not forward other paths', async () => {
    const res = await fetch(`${gateway.url}/webhooks/twilio/other`, { method: 'POST', body: 'x=1' });
    expect(res.status).toBe(404);
    expect(received).toHaveLength(0);
  });
});
