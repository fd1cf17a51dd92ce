/**
 * The fault families of the simulator server, on a route with state (a counter of created items):
 * faults before acting leave the state unchanged, faults after acting change it although the client
 * gets no usable answer ("answer lost after acting"). Also the control API's parsing of the rules.
 */
import { parseFaultRule, startSimulatorServer } from '../src';
import type { SimulatorServer } from '../src';

let server: SimulatorServer;
let created = 0;

beforeAll(async () => {
  server = await startSimulatorServer({
    routes: [
      {
        method: 'POST',
        pattern: '/v1/items',
        handler: () => {
          created += 1;
          return { status: 201, body: { id: created, note: 'x'.repeat(200) } };
        },
      },
    ],
  });
});
afterAll(() => server.close());
beforeEach(() => {
  created = 0;
  server.clearFaults();
});

/** POSTs an item; `timeoutMs` bounds the whole exchange, body included. */
async function createItem(timeoutMs = 2_000): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.baseUrl}/v1/items`, {
    method: 'POST',
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, text: await response.text() };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lastLog = () => server.requests[server.requests.length - 1];

describe('faults after acting: the request acts, the answer does not arrive', () => {
  it('answer_lost: handles the request, then destroys the connection without an answer', async () => {
    server.injectFault({ fault: { type: 'answer_lost' }, method: 'POST' });
    await expect(createItem()).rejects.toThrow();
    expect(created).toBe(1);
    expect(lastLog()).toEqual({
      method: 'POST',
      path: '/v1/items',
      status: 0,
      fault: 'answer_lost',
      handledStatus: 201,
    });
  });

  it('answer_lost with afterMs: the client times out first, the item exists', async () => {
    server.injectFault({ fault: { type: 'answer_lost', afterMs: 1_000 } });
    const started = performance.now();
    await expect(createItem(150)).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(900);
    expect(created).toBe(1);
  });

  it('timeout_after_acting: acts at once, answers only after the delay (too late for a short timeout)', async () => {
    server.injectFault({ fault: { type: 'timeout_after_acting', ms: 400 } });
    await expect(createItem(100)).rejects.toThrow();
    expect(created).toBe(1);
    expect(lastLog()).toMatchObject({ fault: 'timeout_after_acting', handledStatus: 201 });
    // A client that waits longer gets the answer, late.
    server.injectFault({ fault: { type: 'timeout_after_acting', ms: 150 } });
    const started = performance.now();
    const late = await createItem(2_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect([late.status, JSON.parse(late.text).id]).toEqual([201, 2]);
  });

  it('slow_body: sends the status at once and trickles the body over ms', async () => {
    server.injectFault({ fault: { type: 'slow_body', ms: 300 } });
    const started = performance.now();
    const response = await fetch(`${server.baseUrl}/v1/items`, { method: 'POST' });
    const headersAfter = performance.now() - started;
    const text = await response.text();
    expect(headersAfter).toBeLessThan(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect([response.status, JSON.parse(text).id]).toEqual([201, 1]);
    expect(lastLog()).toMatchObject({ status: 201, fault: 'slow_body', handledStatus: 201 });
    server.injectFault({ fault: { type: 'slow_body', ms: 600 } });
    await expect(createItem(150)).rejects.toThrow();
    expect(created).toBe(2);
  });

  it('malformed_json and wrong_shape with afterActing: act, then answer 200 with junk', async () => {
    server.injectFault({ fault: { type: 'malformed_json', afterActing: true } });
    const malformed = await createItem();
    expect(() => JSON.parse(malformed.text)).toThrow();
    server.injectFault({ fault: { type: 'wrong_shape', afterActing: true } });
    expect(JSON.parse((await createItem()).text)).toEqual({ unexpected: true, data: [] });
    expect(created).toBe(2);
  });
});

describe('faults before acting: the request never acts (or acts only late)', () => {
  it('timeout_before_acting: holds the request, then closes the connection without handling it', async () => {
    server.injectFault({ fault: { type: 'timeout_before_acting', ms: 300 } });
    await expect(createItem(100)).rejects.toThrow();
    await sleep(350);
    expect(created).toBe(0);
    expect(lastLog()).toEqual({
      method: 'POST',
      path: '/v1/items',
      status: 0,
      fault: 'timeout_before_acting',
    });
    // A client that waits longer than ms sees the connection closed, still without an answer.
    server.injectFault({ fault: { type: 'timeout_before_acting', ms: 50 } });
    await expect(createItem(2_000)).rejects.toThrow();
    expect(created).toBe(0);
  });

  it('delay: the client times out, but the request acts after the delay (a late landing)', async () => {
    server.injectFault({ fault: { type: 'delay', ms: 200 } });
    await expect(createItem(50)).rejects.toThrow();
    expect(created).toBe(0);
    await sleep(300);
    expect(created).toBe(1);
  });

  it('reset, status and junk without afterActing never act', async () => {
    server.injectFault({ fault: { type: 'reset' } });
    server.injectFault({ fault: { type: 'status', status: 503 } });
    server.injectFault({ fault: { type: 'malformed_json' } });
    server.injectFault({ fault: { type: 'wrong_shape' } });
    await expect(createItem()).rejects.toThrow();
    expect((await createItem()).status).toBe(503);
    expect((await createItem()).status).toBe(200);
    expect((await createItem()).status).toBe(200);
    expect(created).toBe(0);
    expect(server.requests.slice(-4).map((entry) => entry.handledStatus)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('parseFaultRule (POST /__control/faults)', () => {
  it('reads every fault type', () => {
    expect(parseFaultRule({ fault: { type: 'answer_lost' }, method: 'post', path: '/v1/items' })).toEqual({
      fault: { type: 'answer_lost' },
      method: 'POST',
      path: '/v1/items',
      times: undefined,
    });
    expect(parseFaultRule({ fault: { type: 'answer_lost', afterMs: 500 } })?.fault).toEqual({
      type: 'answer_lost',
      afterMs: 500,
    });
    for (const type of ['delay', 'timeout_before_acting', 'timeout_after_acting', 'slow_body'])
      expect(parseFaultRule({ fault: { type, ms: 250 } })?.fault).toEqual({ type, ms: 250 });
    expect(parseFaultRule({ fault: { type: 'malformed_json', afterActing: true } })?.fault).toEqual({
      type: 'malformed_json',
      afterActing: true,
    });
    expect(parseFaultRule({ fault: { type: 'wrong_shape', afterActing: false } })?.fault).toEqual({
      type: 'wrong_shape',
    });
  });

  it('refuses rules it cannot read', () => {
    for (const fault of [
      { type: 'timeout_after_acting' },
      { type: 'slow_body', ms: -1 },
      { type: 'timeout_before_acting', ms: 'soon' },
      { type: 'answer_lost', afterMs: Number.NaN },
      { type: 'malformed_json', afterActing: 'yes' },
      { type: 'explode' },
      null,
    ]) {
      expect(parseFaultRule({ fault })).toBeUndefined();
    }
  });
});
