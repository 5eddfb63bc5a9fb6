import WebSocket from 'ws';
import { DEMO } from '../../platform/demo';
import { eventually } from '../../testkit/eventually';
import { startFeedsStack, type FeedsStack } from '../../testkit/subscriptions/feeds-stack';
import { metric } from '../../testkit/metrics';

/** The gateway pings every connection and drops one that stopped answering; answering ones stay. */
describe('subscription keep-alive', () => {
  let s: FeedsStack;
  beforeAll(async () => {
    s = await startFeedsStack({ env: { SUBSCRIPTION_KEEPALIVE_MS: '300' } });
  });
  afterAll(() => s.stop());

  const open = async (autoPong: boolean) => {
    const ws = new WebSocket(s.wsUrl, 'graphql-transport-ws', { autoPong });
    const state = { ws, pings: 0, closed: undefined as number | undefined };
    ws.on('ping', () => state.pings++);
    ws.on('close', (code) => (state.closed = code));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const token = await s.token({ userId: DEMO.users.demoStudent.id, roles: ['STUDENT'] });
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}`, tenant: 'demo' } }));
    return state;
  };

  it('drops a client that does not answer pings, and keeps one that does', async () => {
    const answering = await open(true);
    const silent = await open(false);
    await eventually(() => expect(silent.closed).toBe(1006));
    expect(silent.pings).toBeGreaterThan(0);
    await eventually(() => expect(answering.pings).toBeGreaterThan(3));
    expect(answering.closed).toBeUndefined();
    expect(await metric(s.gatewayBase, 'subscription_sockets')).toBe(1);
    answering.ws.close();
  });
});
