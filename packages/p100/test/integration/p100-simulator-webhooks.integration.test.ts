/**
 * The webhooks the P100 simulator sends, read by the adapter's webhook handler: the token it sends
 * is accepted, another is refused, and each payload becomes the event P100's would. (Moved from the
 * simulator's own tests, which check the wire by hand: the simulators package uses no adapter.)
 */
import type { KycEvent } from '@kycport/core';
import { P100_SIMULATOR_WEBHOOK_TOKEN, startP100Simulator } from '@kycport/simulators';
import type { P100Simulator } from '@kycport/simulators';
import { createP100WebhookHandler } from '../../src';
import {
  call,
  createUserBody,
  documentDataBody,
  filesForm,
  startReceiver,
  startVerificationBody,
} from './support';
import type { ReceivedWebhook, Receiver } from './support';

const handler = createP100WebhookHandler(P100_SIMULATOR_WEBHOOK_TOKEN);

async function parse(delivery: ReceivedWebhook): Promise<KycEvent> {
  const result = await handler.parseWebhook({ headers: delivery.headers, rawBody: delivery.rawBody })();
  if (result._tag === 'Left') throw new Error(`webhook rejected: ${result.left.message}`);
  return result.right;
}

describe('p100 (simulator): its webhooks, parsed by the adapter', () => {
  let sim: P100Simulator;
  let receiver: Receiver;
  let counter = 0;
  const nextId = (label: string) => `${label}-${(counter += 1)}`;
  const post = (path: string, body?: unknown) => call(sim.baseUrl, 'POST', path, body);

  async function createdUser(lastName = 'Kowalski'): Promise<string> {
    const id = nextId('user');
    const answer = await post('/v1/user/balances/crypto-and-fiat', createUserBody(id, lastName));
    expect(answer.status).toBe(201);
    return id;
  }

  async function startedUser(lastName = 'Kowalski'): Promise<{ id: string; verificationId: string }> {
    const id = await createdUser(lastName);
    const answer = await post('/v1/kyc', startVerificationBody(id));
    expect(answer.status).toBe(201);
    return { id, verificationId: (answer.json as { verificationId: string }).verificationId };
  }

  beforeAll(async () => {
    receiver = await startReceiver();
    sim = await startP100Simulator({ webhookUrl: receiver.url });
  });
  afterEach(async () => {
    sim.clearFaults();
    await sim.webhooksIdle();
    receiver.received.length = 0;
    receiver.respond = () => 200;
  });
  afterAll(async () => {
    await sim.close();
    await receiver.close();
  });

  it('sends the KYC status and user ACTIVE webhooks with the raw token in Authorization', async () => {
    const { id } = await startedUser();
    await sim.completeHostedFlow(id, 'denied');
    await sim.webhooksIdle();
    await post('/v1/kyc', startVerificationBody(id));
    // Method B: the accepted capture, the document data (step 5), then P100's verdict.
    await sim.completeHostedFlow(id, 'approved');
    await sim.webhooksIdle();
    expect(await post('/v1/user/verification', documentDataBody(id, nextId('DOC')))).toMatchObject({
      status: 201,
    });
    await sim.completeHostedFlow(id, 'approved');
    await sim.webhooksIdle();
    for (const delivery of receiver.received) {
      expect(delivery.headers.authorization).toBe(P100_SIMULATOR_WEBHOOK_TOKEN);
      expect(delivery.headers['content-type']).toBe('application/json');
    }
    const events = await Promise.all(receiver.received.map(parse));
    expect(events.map((event) => event.userRef)).toEqual([id, id, id, id]);
    // The denial was delivered before the retry; the approval and ACTIVE travel independently (no order).
    expect(events[0]).toMatchObject({
      type: 'kyc.verification_status',
      state: { status: 'denied', reasonCodes: ['NO_FACE_FOUND'] },
    });
    expect(events[1]).toMatchObject({
      type: 'kyc.verification_status',
      state: { status: 'action_required', nextAction: { missing: ['document_data'] } },
    });
    const rest = events.slice(2);
    expect(rest.find((event) => event.type === 'kyc.verification_status')).toMatchObject({
      state: { status: 'approved' },
    });
    expect(rest.find((event) => event.type === 'user.status')).toMatchObject({
      detail: 'ACTIVE',
      stateIncluded: false,
    });
    const forged = await createP100WebhookHandler('another-token').parseWebhook(receiver.received[0]!)();
    expect(forged).toMatchObject({ _tag: 'Left', left: { kind: 'webhook_rejected' } });
  });

  it('sends KYC File Added (ADDED / ERROR) and POA status webhooks', async () => {
    const id = await createdUser();
    await post(`/v1/user/kyc-files/${id}`, filesForm([{ type: 'image/png', size: 8 }]));
    await post(`/v1/user/kyc-files/${id}`, filesForm([{ type: 'text/plain', size: 8 }]));
    await post(`/v1/user/poa-files/${id}`, filesForm([{ type: 'application/pdf', size: 8 }]));
    await sim.webhooksIdle();
    const events = await Promise.all(receiver.received.map(parse));
    expect(events.map((event) => [event.type, 'detail' in event ? event.detail : undefined]).sort()).toEqual(
      [
        ['kyc.file_added', 'ADDED'],
        ['kyc.file_added', 'ERROR'],
        ['poa.verification_status', 'WAITING'],
      ].sort(),
    );
  });
});
