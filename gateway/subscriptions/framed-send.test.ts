import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { ClientSocket } from './client-socket';
import { CloseCodes } from './close-codes';
import { nextFrame, nextWebSocketFrame } from './member';

/**
 * Prebuilt `next` frames are written to the TCP socket without ws: a real ws client must read
 * them as the same messages ws.send would have sent, in order with what ws sends itself, at every
 * payload length encoding (7-bit, 16-bit, 64-bit), and the slow-consumer limit still applies.
 */
describe('prebuilt WebSocket frames', () => {
  let server: http.Server;
  let wss: WebSocketServer;
  let url: string;
  let accepted: Promise<WebSocket>;

  beforeEach(async () => {
    server = http.createServer();
    wss = new WebSocketServer({ server, perMessageDeflate: false });
    accepted = new Promise((resolve) => wss.once('connection', resolve));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  async function connect(): Promise<{ client: WebSocket; server: WebSocket }> {
    const client = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
    return { client, server: await accepted };
  }

  function messages(client: WebSocket, count: number): Promise<{ text: string; binary: boolean }[]> {
    const received: { text: string; binary: boolean }[] = [];
    return new Promise((resolve) =>
      client.on('message', (data: Buffer, binary: boolean) => {
        received.push({ text: data.toString('utf8'), binary });
        if (received.length === count) resolve(received);
      }),
    );
  }

  it('reads as the same text messages as ws.send, in order, at every length encoding', async () => {
    const { client, server: ws } = await connect();
    const socket = new ClientSocket(ws);
    const payloads = [10, 125 - 40, 200, 65_535 - 40, 70_000].map((size) => Buffer.from(JSON.stringify({ data: { s: 'x'.repeat(size) } })));
    const expected = payloads.flatMap((payload, i) => [nextFrame(`id-${i}`, payload).toString(), `{"type":"ping","n":${i}}`]);
    const received = messages(client, expected.length);
    payloads.forEach((payload, i) => {
      socket.sendFramed(nextWebSocketFrame(`id-${i}`, payload));
      socket.send(`{"type":"ping","n":${i}}`);
    });
    const got = await received;
    expect(got.map((m) => m.text)).toEqual(expected);
    expect(got.every((m) => !m.binary)).toBe(true);
    client.close();
  });

  it('writes nothing once closed and drops a client past its buffer limit', async () => {
    const { client, server: ws } = await connect();
    const slow = jest.fn();
    const socket = new ClientSocket(ws, { maxBufferedBytes: 0, onSlow: slow });
    Object.defineProperty(ws, 'bufferedAmount', { get: () => 1 });
    const closed = new Promise<number>((resolve) => client.once('close', resolve));
    const received = jest.fn();
    client.on('message', received);
    socket.sendFramed(nextWebSocketFrame('1', Buffer.from('{"data":null}')));
    socket.sendFramed(nextWebSocketFrame('1', Buffer.from('{"data":null}')));
    expect(await closed).toBe(CloseCodes.slowConsumer.code);
    expect(slow).toHaveBeenCalledTimes(1);
    expect(received).not.toHaveBeenCalled();
  });
});
