/**
 * `@kycport/tracker` in `pnpm bench`: webhook ingest throughput through `createKycTracker(...)
 * .ingestWebhook` (HMAC verified, deduped, applied in order and committed before it answers) at
 * concurrency 16, on the memory store, on PostgreSQL in-process (PGlite) and on a PostgreSQL server
 * when KYCPORT_BENCH_DATABASE_URL is set; and the Plu request counts (plu-tracking-bench.ts).
 *
 * The provider is the fake from @kycport/testing: `fake.kyc-status` events signed like Plu's
 * (HMAC-SHA256 of the raw body), carrying their state and a time, so each is applied in one store
 * step with its dedupe key. Deliveries are signed before the clock starts (signing is the provider's
 * work). Per user two events (in_review, then approved a second later, far apart in the stream);
 * then every delivery again (duplicates). No `onStateChange`: the changes are written to the outbox
 * in the same transaction but not drained.
 *
 * BENCH_TRACKER_EVENTS (default 20 000) events per store, BENCH_PLU_USERS (default 20 000).
 */
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Pool } from 'pg';
import type { KycStore, WebhookRequest } from '@kycport/core';
import { createPostgresKycStore, fromPGlite, fromPgPool, migrate } from '@kycport/store-postgres';
import { fakeKycAdapter } from '@kycport/testing';
import { createKycTracker, createMemoryKycStore } from '@kycport/tracker';
import type { KycTracker } from '@kycport/tracker';
import { benchPluTracking, runPool } from './plu-tracking-bench';
import type { PluTrackingResult, RequestCost } from './plu-tracking-bench';

export const INGEST_CONCURRENCY = 16;

export type StoreKind = 'memory' | 'pglite' | 'postgres';

export interface IngestMeasurement {
  readonly events: number;
  readonly detail?: string;
  readonly newPerSecond: number;
  readonly duplicatePerSecond: number;
  /** New events the store applied (all of them, when nothing went wrong). */
  readonly applied: number;
  /** Re-deliveries answered `duplicate` (all of them, when nothing went wrong). */
  readonly duplicates: number;
  /** Any other answer (stale, unchanged, retry_later, rejected): 0 when nothing went wrong. */
  readonly other: number;
  readonly firstProblem?: string;
}

export interface IngestBench {
  readonly kind: StoreKind;
  readonly label: string;
  /** Absent when not measured (`note` says why). */
  readonly measured?: IngestMeasurement;
  readonly note?: string;
}

export interface TrackerBenchResult {
  readonly ingest: ReadonlyArray<IngestBench>;
  readonly plu?: PluTrackingResult;
  readonly pluNote?: string;
}

interface OpenStore {
  readonly store: KycStore;
  /** What the row's label adds (the server's version and durability settings). */
  readonly detail?: string;
  close(): Promise<void>;
}

const LABELS: Readonly<Record<StoreKind, string>> = {
  memory: 'memory store (createMemoryKycStore)',
  pglite: 'PostgreSQL on PGlite (in-process, WASM)',
  postgres: 'PostgreSQL server (local, pg pool of 16)',
};

async function openMemory(): Promise<OpenStore> {
  return { store: createMemoryKycStore(), close: async () => undefined };
}

async function openPGlite(): Promise<OpenStore> {
  const db = new PGlite();
  await db.waitReady;
  const client = fromPGlite(db);
  await migrate(client);
  return { store: createPostgresKycStore({ client }), close: () => db.close() };
}

async function openServer(url: string): Promise<OpenStore> {
  const pool = new Pool({ connectionString: url, max: INGEST_CONCURRENCY });
  pool.on('error', () => undefined);
  const client = fromPgPool(pool);
  const schema = `kp_bench_${randomBytes(6).toString('hex')}`;
  await migrate(client, { schema });
  const setting = async (name: string): Promise<string> =>
    String(
      (await pool.query<{ value: string }>(`SELECT current_setting('${name}') AS value`)).rows[0]?.value,
    );
  const version = (await setting('server_version')).split(' ')[0] ?? '?';
  return {
    store: createPostgresKycStore({ client, schema }),
    detail: `${version}, fsync ${await setting('fsync')}, synchronous_commit ${await setting('synchronous_commit')}`,
    close: async () => {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.end();
    },
  };
}

/** `events` signed deliveries: per user an in_review event, then (later in the stream) approved. */
function deliveries(
  sign: (body: unknown) => WebhookRequest,
  events: number,
  prefix: string,
): WebhookRequest[] {
  const users = Math.ceil(events / 2);
  const base = Date.now() - 60_000;
  const requests: WebhookRequest[] = [];
  for (let step = 0; step < 2; step++) {
    for (let user = 0; user < users && requests.length < events; user++) {
      requests.push(
        sign({
          event: 'fake.kyc-status',
          eventId: `${prefix}-${user}-${step}`,
          occurredAt: new Date(base + step * 1_000).toISOString(),
          data: {
            ref: `${prefix}-user-${user}`,
            status: step === 0 ? 'in_review' : 'approved',
            attempt: 1,
            reasonCodes: [],
          },
        }),
      );
    }
  }
  return requests;
}

interface Pass {
  readonly ms: number;
  readonly applied: number;
  readonly duplicates: number;
  readonly other: number;
  readonly firstProblem?: string;
}

async function ingestAll(tracker: KycTracker, requests: ReadonlyArray<WebhookRequest>): Promise<Pass> {
  let applied = 0;
  let duplicates = 0;
  let other = 0;
  let firstProblem: string | undefined;
  const started = process.hrtime.bigint();
  await runPool(requests.length, INGEST_CONCURRENCY, async (index) => {
    const result = await tracker.ingestWebhook({ provider: 'fake', ...requests[index]! })();
    if (result.outcome === 'accepted' && result.applied === 'applied') applied++;
    else if (result.outcome === 'duplicate') duplicates++;
    else {
      other++;
      firstProblem ??= 'error' in result ? result.error.message : `${result.outcome}: ${result.applied}`;
    }
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, applied, duplicates, other, ...(firstProblem === undefined ? {} : { firstProblem }) };
}

/** A warm-up, the new events, then every delivery again, at concurrency 16. */
export async function benchIngest(
  open: () => Promise<OpenStore>,
  events: number,
): Promise<IngestMeasurement> {
  const opened = await open();
  try {
    const fake = fakeKycAdapter.createProvider({});
    const tracker = createKycTracker({ kyc: fake, store: opened.store });
    const sign = (body: unknown): WebhookRequest => fake.control.signWebhook(body);
    const run = randomBytes(4).toString('hex');
    await ingestAll(tracker, deliveries(sign, Math.min(2_000, events), `warm-${run}`));
    const requests = deliveries(sign, events, `bench-${run}`);
    const fresh = await ingestAll(tracker, requests);
    const again = await ingestAll(tracker, requests);
    const firstProblem = fresh.firstProblem ?? again.firstProblem;
    return {
      events,
      ...(opened.detail === undefined ? {} : { detail: opened.detail }),
      newPerSecond: (events / fresh.ms) * 1000,
      duplicatePerSecond: (events / again.ms) * 1000,
      applied: fresh.applied,
      duplicates: again.duplicates,
      other: fresh.other + again.other + fresh.duplicates + again.applied,
      ...(firstProblem === undefined ? {} : { firstProblem }),
    };
  } finally {
    await opened.close();
  }
}

const failure = (error: unknown): string => (error instanceof Error ? error.message : String(error));

async function measured(
  kind: StoreKind,
  open: () => Promise<OpenStore>,
  events: number,
): Promise<IngestBench> {
  process.stderr.write(`bench: tracker ingest, ${LABELS[kind]}\n`);
  try {
    return { kind, label: LABELS[kind], measured: await benchIngest(open, events) };
  } catch (error) {
    return { kind, label: LABELS[kind], note: `not measured: ${failure(error)}` };
  }
}

export async function benchTracker(
  options: { events?: number; pluUsers?: number; databaseUrl?: string } = {},
): Promise<TrackerBenchResult> {
  const events = options.events ?? Number(process.env.BENCH_TRACKER_EVENTS ?? 20_000);
  const pluUsers = options.pluUsers ?? Number(process.env.BENCH_PLU_USERS ?? 20_000);
  const url = options.databaseUrl ?? process.env.KYCPORT_BENCH_DATABASE_URL ?? '';
  const ingest: IngestBench[] = [
    await measured('memory', openMemory, events),
    await measured('pglite', openPGlite, events),
    url === ''
      ? { kind: 'postgres', label: LABELS.postgres, note: 'not measured: set KYCPORT_BENCH_DATABASE_URL' }
      : await measured('postgres', () => openServer(url), events),
  ];
  process.stderr.write(`bench: tracker on the Plu simulator, ${pluUsers} users\n`);
  try {
    return { ingest, plu: await benchPluTracking(pluUsers) };
  } catch (error) {
    return { ingest, pluNote: `not measured: ${failure(error)}` };
  }
}

const fixed = (value: number, digits = 0): string => value.toFixed(digits);
const cost = (entry: RequestCost | undefined): [string, string] =>
  entry === undefined ? ['n/a', 'n/a'] : [String(entry.requests), fixed(entry.ms, 1)];

function ingestLines(result: TrackerBenchResult): string[] {
  const lines = [
    `## Tracker: webhook ingest (verified, deduped, committed; concurrency ${INGEST_CONCURRENCY})`,
    '',
    'Fake provider from @kycport/testing (HMAC-SHA256 over the raw body, events carry state and time, like Plu): two events per user, then every delivery again. Each answer comes after the store committed; no `onStateChange`, so the outbox rows are written but not drained.',
    '',
    '| store | events | new events/s | duplicates/s | applied | duplicates | other answers |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const entry of result.ingest) {
    const m = entry.measured;
    lines.push(
      m === undefined
        ? `| ${entry.label} | ${entry.note ?? 'not measured'} | | | | | |`
        : `| ${entry.label}${m.detail === undefined ? '' : ` (${m.detail})`} | ${m.events} | ${fixed(m.newPerSecond)} | ${fixed(m.duplicatePerSecond)} | ${m.applied} | ${m.duplicates} | ${m.other}${m.firstProblem === undefined ? '' : ` (${m.firstProblem})`} |`,
    );
  }
  return lines;
}

function pluLines(result: TrackerBenchResult): string[] {
  const plu = result.plu;
  const lines = ['', '## Tracker: Plu request counts (simulator, List Users requests on loopback)', ''];
  if (plu === undefined) return [...lines, result.pluNote ?? 'not measured'];
  const sweep = plu.sweep;
  lines.push(
    `${plu.users} users (${plu.seededWith === 'seedUsers' ? "seeded with the simulator's `seedUsers`" : 'created through the API'} in ${fixed(plu.seedMs / 1000, 1)} s), ${plu.pageSize} users per page.`,
    '',
    '| read | list requests | ms | bound |',
    '|---|---|---|---|',
    `| plain getStatus of the newest user (the scan) | ${cost(plu.plainScan).join(' | ')} | ceil(N / ${plu.pageSize}) |`,
    `| tracked getStatus, state fresh (from ${plu.trackedFresh?.from ?? 'n/a'}) | ${cost(plu.trackedFresh).join(' | ')} | 0 |`,
    `| reconcile sweep of all users (getStatuses) | ${cost(sweep).join(' | ')} | ${sweep === undefined ? 'n/a' : `ceil(N / ${plu.pageSize}) + 1 = ${sweep.bound}`} |`,
  );
  if (sweep !== undefined) {
    lines.push(
      '',
      `The sweep claimed ${sweep.claimed} users and read them in ${sweep.bulkReads} bulk read(s) taking ${fixed(sweep.readMs, 1)} ms of its ${fixed(sweep.ms, 1)} ms (the rest: claiming and recording in the store): ${sweep.applied} applied (approved at Plu with no webhook), ${sweep.unchanged} unchanged, ${sweep.failed} failed.`,
    );
  }
  for (const note of plu.notes) lines.push('', note);
  return lines;
}

export function renderTracker(result: TrackerBenchResult): string[] {
  return [...ingestLines(result), ...pluLines(result)];
}

/** Target rows: [target, client, measured, met]; `met` is undefined when not measured. */
export type TargetRow = [string, string, string, boolean | undefined];

export function trackerTargets(result: TrackerBenchResult): TargetRow[] {
  const rows: TargetRow[] = [];
  const goals: ReadonlyArray<[StoreKind, string, number]> = [
    ['postgres', `>= 1,000 events/s on local PostgreSQL at concurrency ${INGEST_CONCURRENCY}`, 1_000],
    ['memory', '>= 10,000 events/s memory store (HMAC provider)', 10_000],
  ];
  for (const [kind, target, goal] of goals) {
    const entry = result.ingest.find((candidate) => candidate.kind === kind);
    const perSecond = entry?.measured?.newPerSecond;
    rows.push(
      perSecond === undefined
        ? [target, `tracker ingest, ${LABELS[kind]}`, entry?.note ?? 'not measured', undefined]
        : [target, `tracker ingest, ${LABELS[kind]}`, `${fixed(perSecond)} new events/s`, perSecond >= goal],
    );
  }
  const plu = result.plu;
  if (plu?.trackedFresh !== undefined) {
    const requests = plu.trackedFresh.requests;
    rows.push([
      'tracked getStatus when fresh: 0 requests',
      'tracker over Plu',
      String(requests),
      requests === 0,
    ]);
  }
  if (plu?.sweep !== undefined) {
    const { requests, bound } = plu.sweep;
    rows.push([
      `Plu reconcile of ${plu.users} users <= ceil(N / page size) + 1 requests`,
      'tracker over Plu',
      `${requests} (bound ${bound})`,
      requests <= bound,
    ]);
  }
  return rows;
}
