/**
 * The Fastify example host: a Plu simulator stands in for the provider (no credentials, no
 * network); the host tracks users with the tracker on the memory store and takes webhooks through
 * `@kycport/fastify`. One user is onboarded end to end: the client creates it through the host's
 * API, completes the hosted flow (the simulator's control API plays the end user), the simulator
 * delivers the signed webhook to the host's route, and the client reads the approved status.
 */
import * as E from 'fp-ts/Either';
import Fastify from 'fastify';
import { isFinalStatus } from '@kycport/core';
import type { CreateUserInput, StateChange, UserRef } from '@kycport/core';
import { kycWebhooks } from '@kycport/fastify';
import { pluAdapter } from '@kycport/plu';
import { startPluSimulator } from '@kycport/simulators';
import { createKycTracker, createMemoryKycStore } from '@kycport/tracker';

/** What the run did: the user's ref and the statuses the client saw. */
export interface ExampleSummary {
  readonly userRef: UserRef;
  readonly created: string;
  readonly final: string;
  readonly changes: ReadonlyArray<StateChange>;
}

const applicant: CreateUserInput = {
  applicant: {
    externalId: 'example-user-1',
    name: { given: 'Jane', family: 'Doe' },
    email: 'jane@example.com',
    phone: '+14155555555',
    dateOfBirth: '1990-05-15',
    address: { line1: '1 Main St', city: 'San Francisco', region: 'CA', postalCode: '94105', country: 'US' },
    ipAddress: '203.0.113.7',
    termsAccepted: true,
  },
  providerOptions: { plu: { program: 'custodial', accountPurpose: 'personal use' } },
};

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`HTTP ${response.status} from ${response.url}`);
  return (await response.json()) as T;
}

function waitFor(changes: StateChange[], done: (change: StateChange) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = () => {
      if (changes.some(done)) return resolve();
      if (Date.now() - started > 10_000) return reject(new Error('no final state change within 10 s'));
      setTimeout(poll, 20);
    };
    poll();
  });
}

/** Runs the example; `write` prints a line (never personal data). */
export async function runExample(write: (line: string) => void): Promise<ExampleSummary> {
  const sim = await startPluSimulator();
  const config = pluAdapter.parseConfig(sim.adapterSettings);
  if (E.isLeft(config)) throw new Error(config.left.message);
  const adapter = pluAdapter.create(config.right);
  const kyc = adapter.provider;
  const changes: StateChange[] = [];
  const tracker = createKycTracker({
    kyc,
    webhooks: adapter.webhooks,
    store: createMemoryKycStore(),
    onStateChange: (change) => {
      changes.push(change);
      write(
        `  state change: ${change.previousStatus ?? '(new)'} -> ${change.state.status} (from ${change.source})`,
      );
    },
  });

  const app = Fastify();
  // The webhook route, in the plugin's own context with its own raw-body parser ...
  await app.register(kycWebhooks, {
    tracker,
    log: (entry) =>
      write(`  webhook from ${entry.provider ?? '?'}: ${entry.outcome}, answered ${entry.status}`),
  });
  // ... and the host's own API, with Fastify's JSON parser as usual.
  app.post('/users', async (request, reply) => {
    const created = await tracker.createUser(request.body as CreateUserInput)();
    if (E.isLeft(created)) return reply.code(502).send({ error: created.left.kind });
    return reply.code(201).send({ userRef: created.right.userRef, status: created.right.state.status });
  });
  app.get<{ Params: { ref: string } }>('/users/:ref/status', async (request, reply) => {
    const status = await tracker.getStatus(request.params.ref as UserRef, { maxAgeMs: 60_000 })();
    if (E.isLeft(status)) return reply.code(502).send({ error: status.left.kind });
    return { status: status.right.state.status, from: status.right.from };
  });

  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    sim.setWebhookUrl(`${base}/webhooks/plu`);
    write(`host listening on ${base}; Plu simulator on ${sim.baseUrl}`);

    const post = { method: 'POST', headers: { 'content-type': 'application/json' } };
    const created = await json<{ userRef: UserRef; status: string }>(
      await fetch(`${base}/users`, { ...post, body: JSON.stringify(applicant) }),
    );
    write(`POST /users -> ${created.userRef}: ${created.status}`);

    const bareId = created.userRef.slice(created.userRef.indexOf(':') + 1);
    await json(
      await fetch(`${sim.baseUrl}/__control/users/${encodeURIComponent(bareId)}/complete`, {
        ...post,
        body: JSON.stringify({ outcome: 'approved' }),
      }),
    );
    write('the end user completes the hosted flow (simulator control API)');
    await waitFor(changes, (change) => change.ref === created.userRef && isFinalStatus(change.state.status));
    await sim.webhooksIdle();

    const final = await json<{ status: string; from: string }>(
      await fetch(`${base}/users/${encodeURIComponent(created.userRef)}/status`),
    );
    write(`GET /users/:ref/status -> ${final.status} (${final.from})`);
    return { userRef: created.userRef, created: created.status, final: final.status, changes };
  } finally {
    await tracker.stop();
    await app.close();
    await sim.close();
    adapter.close();
  }
}
