import { request } from '../testkit/graphql-client';
import { metric } from '../testkit/metrics';
import { startStack } from '../testkit/stack';

describe('graceful shutdown', () => {
  it('finishes requests in flight, closes kept-alive sockets, then refuses new connections', async () => {
    // A slow password hash keeps the logins in flight while stop() begins.
    const stack = await startStack('sqlite', { ARGON2_MEMORY_KIB: '65536' });
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    const inFlightNow = () => metric(base, 'http_requests_in_flight');
    const body = JSON.stringify({ query: 'mutation { login(email: "teacher@demo.test", password: "manassa-demo") { accessToken } }' });
    const inFlight = Promise.all(
      Array.from({ length: 5 }, () =>
        request(stack.gatewayUrl, { headers: { 'content-type': 'application/json', 'x-tenant-id': 'demo' }, body }),
      ),
    );
    // Only requests the server has received are "in flight" (the metrics call itself is one more).
    while ((await inFlightNow()) < 6) await new Promise((r) => setTimeout(r, 2));
    const stopping = stack.stop();
    const answers = await inFlight;
    await stopping;
    for (const a of answers) expect(JSON.parse(a.text).data.login.accessToken).toEqual(expect.any(String));
    await expect(request(stack.gatewayUrl, { headers: { 'content-type': 'application/json' }, body, fresh: true })).rejects.toThrow(
      /ECONNREFUSED/,
    );
  });
});
