import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { createWebhookDeliverer, startSimulatorServer } from '../src';
import type { SimulatorServer } from '../src';

const client = axios.create({ validateStatus: () => true, transformResponse: [(data: unknown) => data] });

describe('startSimulatorServer', () => {
  let server: SimulatorServer;
  beforeAll(async () => {
    server = await startSimulatorServer({
      routes: [
        {
          method: 'GET',
          pattern: '/v1/users/{id}',
          handler: (request) => ({ status: 200, body: { id: request.params.id } }),
        },
      ],
      controlRoutes: [
        { method: 'GET', pattern: '/ping', handler: () => ({ status: 200, body: { pong: true } }) },
      ],
    });
  });
  afterAll(() => server.close());

  it('routes with path params on loopback, port 0 by default', async () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await client.get(`${server.baseUrl}/v1/users/a%20b`);
    expect([response.status, JSON.parse(response.data as string)]).toEqual([200, { id: 'a b' }]);
    expect((await client.get(`${server.baseUrl}/nope`)).status).toBe(404);
  });

  it('injects faults once each, in order, and never on control routes', async () => {
    server.injectFault({
      fault: { type: 'status', status: 429, retryAfterSeconds: 3 },
      path: '/v1/users/{id}',
    });
    server.injectFault({ fault: { type: 'malformed_json' } });
    server.injectFault({ fault: { type: 'wrong_shape' } });
    expect((await client.get(`${server.baseUrl}/__control/ping`)).status).toBe(200);
    const limited = await client.get(`${server.baseUrl}/v1/users/1`);
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '3']);
    const malformed = await client.get(`${server.baseUrl}/v1/users/1`);
    expect(() => JSON.parse(malformed.data as string)).toThrow();
    expect(JSON.parse((await client.get(`${server.baseUrl}/v1/users/1`)).data as string)).toEqual({
      unexpected: true,
      data: [],
    });
    expect((await client.get(`${server.baseUrl}/v1/users/1`)).status).toBe(200);
  });

  it('resets the connection on a reset fault', async () => {
    server.injectFault({ fault: { type: 'reset' } });
    await expect(client.get(`${server.baseUrl}/v1/users/1`)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('createWebhookDeliverer', () => {
  it('signs, delivers and re-delivers the same bytes until the receiver answers 2xx', async () => {
    const received: Array<{ body: string; signature: string | undefined }> = [];
    let failuresLeft = 2;
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: request.headers['x-signature'] as string | undefined,
        });
        response.statusCode = failuresLeft-- > 0 ? 500 : 200;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    const deliverer = createWebhookDeliverer({
      url: `http://127.0.0.1:${port}/hooks`,
      sign: (raw) => ({ 'x-signature': `sig:${raw.length}` }),
      retryDelaysMs: [5, 5, 5],
    });
    const record = deliverer.deliver({ event: 'x', n: 1 });
    await deliverer.idle();
    deliverer.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    expect(record).toMatchObject({ delivered: true, attempts: [500, 500, 200], abandoned: false });
    expect(new Set(received.map((entry) => entry.body)).size).toBe(1);
    expect(received[0]).toEqual({ body: '{"event":"x","n":1}', signature: 'sig:19' });
  });

  it('abandons after the schedule and stops promptly when closed', async () => {
    const deliverer = createWebhookDeliverer({
      url: 'http://127.0.0.1:9/unreachable',
      sign: () => ({}),
      retryDelaysMs: [1],
    });
    const record = deliverer.deliver({ event: 'y' });
    await deliverer.idle();
    expect(record).toMatchObject({ delivered: false, abandoned: true, attempts: [0, 0] });
    const slow = createWebhookDeliverer({
      url: 'http://127.0.0.1:9/unreachable',
      sign: () => ({}),
      retryDelaysMs: [60_000],
    });
    slow.deliver({ event: 'z' });
    setTimeout(() => slow.close(), 20);
    await slow.idle();
  });
});
