import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServiceAccount, startFcmServer, type FcmServer } from '../../../testkit/providers/fcm-server';
import { FcmAuth } from './fcm/fcm-auth';
import { FCM_DEAD_TOKEN_CODES, pushAdapter } from './fcm/push.adapter';
import { loadServiceAccount, type ServiceAccount } from './fcm/service-account';
import { outgoingMessages, providerRefusal } from '../../../testkit/channel-messages';

let fcm: FcmServer;
let account: ServiceAccount;

const message = outgoingMessages(() => ({
  to: `device-${crypto.randomUUID()}`,
  locale: 'EN',
  subject: 'Live class in 15 minutes',
  text: 'Algebra starts at 10:00',
  data: { category: 'live.reminder', sessionId: 'c0ffee' },
}));

const refusal = providerRefusal;

const adapter = (auth?: FcmAuth) => pushAdapter({ baseUrl: fcm.url, serviceAccount: account, timeoutMs: 5_000, auth });

beforeAll(async () => {
  fcm = await startFcmServer({ projectId: 'manassa-push', unregisteredTokens: ['uninstalled-app-token'] });
  account = loadServiceAccount({ serviceAccount: fcm.serviceAccount.json });
});

afterAll(() => fcm.close());

describe('push over FCM HTTP v1', () => {
  it('sends the notification with its data and the notification id as the collapse key on Android and iOS', async () => {
    const push = adapter();
    const m = message();
    const result = await push.send(m);
    expect(result.status).toBe('SENT');
    expect(result.providerMessageId).toMatch(/^projects\/manassa-push\/messages\//);
    const [sent] = fcm.sentTo(m.to);
    expect(sent.message).toEqual({
      token: m.to,
      notification: { title: m.subject, body: m.text },
      data: { notificationId: m.notificationId, category: 'live.reminder', sessionId: 'c0ffee' },
      android: { collapse_key: m.notificationId },
      apns: { headers: { 'apns-collapse-id': m.notificationId } },
    });

    // A later attempt of the same notification collapses into it on the device.
    await push.send({ ...m, idempotencyKey: `${m.notificationId}:2` });
    const both = fcm.sentTo(m.to);
    expect(both).toHaveLength(2);
    expect(both[1].message.apns).toEqual(both[0].message.apns);
    expect(both[1].message.android).toEqual(both[0].message.android);
  });

  it('asks for one access token and reuses it, also when many sends start at once', async () => {
    const push = adapter(new FcmAuth(account, 5_000));
    const before = fcm.tokensIssued;
    await Promise.all(Array.from({ length: 20 }, () => push.send(message())));
    await push.send(message());
    expect(fcm.tokensIssued - before).toBe(1);
    const tokens = new Set(fcm.messages.slice(-21).map((m) => m.accessToken));
    expect(tokens.size).toBe(1);
  });

  it('renews the token shortly before it expires', async () => {
    let now = Date.now();
    const push = adapter(new FcmAuth(account, 5_000, () => now));
    const before = fcm.tokensIssued;
    await push.send(message());
    now += 3599_000 - 120_000; // two minutes left: still used
    await push.send(message());
    expect(fcm.tokensIssued - before).toBe(1);
    now += 90_000; // thirty seconds left: renewed
    await push.send(message());
    expect(fcm.tokensIssued - before).toBe(2);
  });

  it('after a 401, gets a fresh token once and sends again, also for many sends refused together', async () => {
    const push = adapter(new FcmAuth(account, 5_000));
    await push.send(message());
    const before = fcm.tokensIssued;
    fcm.revokeAccessTokens();
    const batch = Array.from({ length: 10 }, () => message());
    const results = await Promise.all(batch.map((m) => push.send(m)));
    expect(results.every((r) => r.status === 'SENT')).toBe(true);
    expect(fcm.tokensIssued - before).toBe(1);
    for (const m of batch) expect(fcm.sentTo(m.to)).toHaveLength(1);
  });

  it('reports an unregistered token as permanent with FCM’s code, for the worker to drop the device', async () => {
    const err = await refusal(adapter().send(message({ to: 'uninstalled-app-token' })));
    expect(err).toMatchObject({ permanent: true, code: 'UNREGISTERED' });
    expect(FCM_DEAD_TOKEN_CODES).toContain(err.code);
  });

  it('reports a message FCM cannot take as permanent INVALID_ARGUMENT (not a dead token)', async () => {
    const err = await refusal(adapter().send(message({ data: { from: 'reserved key' } })));
    expect(err).toMatchObject({ permanent: true, code: 'INVALID_ARGUMENT' });
    expect(FCM_DEAD_TOKEN_CODES).not.toContain(err.code);
  });

  it('retries outages and quota refusals', async () => {
    const push = adapter();
    fcm.failNext(1, 503);
    expect(await refusal(push.send(message()))).toMatchObject({ permanent: false, code: 'UNAVAILABLE' });
    fcm.failNext(1, 429);
    expect(await refusal(push.send(message()))).toMatchObject({ permanent: false, code: 'QUOTA_EXCEEDED' });
    fcm.failNext(1, 500);
    expect(await refusal(push.send(message()))).toMatchObject({ permanent: false, code: 'INTERNAL' });
    fcm.outage = 'refuse';
    try {
      expect(await refusal(push.send(message()))).toMatchObject({ permanent: false, code: 'NETWORK' });
    } finally {
      fcm.outage = false;
    }
    expect((await push.send(message())).status).toBe('SENT');
  });

  it('fails permanently when Google refuses the service account (a key it does not know)', async () => {
    const stranger = JSON.parse(createServiceAccount({ projectId: 'manassa-push', tokenUri: `${fcm.url}/token` }).json) as ServiceAccount;
    // Same account name and token URI as the trusted one, another private key.
    const forged = { ...account, private_key: stranger.private_key };
    const push = pushAdapter({ baseUrl: fcm.url, serviceAccount: forged, timeoutMs: 5_000 });
    const tokensBefore = fcm.tokensIssued;
    const sentBefore = fcm.messages.length;
    const err = await refusal(push.send(message()));
    expect(err).toMatchObject({ permanent: true, code: 'invalid_grant' });
    expect(err.message).toContain('Invalid JWT');
    expect(fcm.tokensIssued).toBe(tokensBefore);
    expect(fcm.messages).toHaveLength(sentBefore);
  });

  it('sends to the account’s own project only', async () => {
    const other = pushAdapter({ baseUrl: fcm.url, serviceAccount: { ...account, project_id: 'someone-else' }, timeoutMs: 5_000 });
    const err = await refusal(other.send(message()));
    expect(err).toMatchObject({ permanent: true, code: 'PERMISSION_DENIED' });
    expect(FCM_DEAD_TOKEN_CODES).not.toContain(err.code);
  });
});

describe('the FCM service account', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fcm-sa-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is read from the JSON or from a file', () => {
    const file = path.join(dir, 'sa.json');
    writeFileSync(file, fcm.serviceAccount.json);
    expect(loadServiceAccount({ serviceAccountFile: file })).toEqual(account);
    expect(account).toMatchObject({ project_id: 'manassa-push', token_uri: `${fcm.url}/token` });
  });

  it('stops the start with the reason when it is missing, not JSON, or lacks fields', () => {
    expect(() => loadServiceAccount({})).toThrow(/FCM_SERVICE_ACCOUNT/);
    expect(() => loadServiceAccount({ serviceAccount: '{not json' })).toThrow(/not JSON/);
    const { private_key: _k, ...noKey } = JSON.parse(fcm.serviceAccount.json) as Record<string, unknown>;
    expect(() => loadServiceAccount({ serviceAccount: JSON.stringify({ ...noKey, project_id: '' }) })).toThrow(/project_id, private_key/);
    expect(() => loadServiceAccount({ serviceAccountFile: path.join(dir, 'absent.json') })).toThrow(/ENOENT/);
  });
});
