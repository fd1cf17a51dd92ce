/**
 * Import cost and cold start: fresh processes that load modules, or a client and its first answer
 * from the example server, per module format (CommonJS, ES module), with what each loads.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One row of the import-cost table. */
export interface ImportCost {
  readonly label: string;
  readonly wallMs: number;
  readonly requireMs: number;
  readonly rssMb: number;
}

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** Runs `script` in `runs` fresh processes; it prints `{ requireMs, rss }`. Medians are reported. */
function measureScript(label: string, script: string, cwd: string, runs: number): ImportCost {
  const samples = Array.from({ length: runs }, () => {
    const started = performance.now();
    const output = execFileSync(process.execPath, ['-e', script], { cwd, encoding: 'utf8' });
    const parsed = JSON.parse(output) as { requireMs: number; rss: number };
    return { wallMs: performance.now() - started, requireMs: parsed.requireMs, rssMb: parsed.rss / 2 ** 20 };
  });
  const of = (pick: (sample: Omit<ImportCost, 'label'>) => number): number => median(samples.map(pick));
  return { label, wallMs: of((x) => x.wallMs), requireMs: of((x) => x.requireMs), rssMb: of((x) => x.rssMb) };
}

/** A fresh process that only `require`s `modules`: its wall time, require time and RSS. */
export function measureImport(
  label: string,
  modules: ReadonlyArray<string>,
  cwd: string,
  runs = 7,
): ImportCost {
  const script = `const t0 = performance.now(); ${modules.map((name) => `require(${JSON.stringify(name)});`).join(' ')} const t1 = performance.now(); process.stdout.write(JSON.stringify({ requireMs: t1 - t0, rss: process.memoryUsage().rss }));`;
  return measureScript(label, script, cwd, runs);
}

/** The clients measured from a cold start: plaid-node is the reference. */
export type ColdStartClient = 'plaid-node' | 'kycport/plaid' | 'kycport/plu' | 'kycport/p100';
/** How the host loads the client: `require` from CommonJS, or `import` from an ES module. */
export type ModuleFormat = 'CJS' | 'ESM';

/** One client's first call: what it imports and the call (a Promise that rejects when it fails). */
interface ColdStartCall {
  readonly client: ColdStartClient;
  readonly operation: string;
  /** Module to the names imported from it. */
  readonly imports: Readonly<Record<string, string>>;
  readonly call: string;
}

const RIGHT = `.then((r) => { if (r._tag !== 'Right') throw new Error('call failed'); })`;

/** The same calls (and configuration) as adapter-clients.ts and baseline-clients.ts. */
function coldStartCalls(baseUrl: string): ReadonlyArray<ColdStartCall> {
  const url = JSON.stringify(baseUrl);
  const core = { '@kycport/core': 'userRef' };
  return [
    {
      client: 'plaid-node',
      operation: 'retry',
      imports: { plaid: 'Configuration, PlaidApi' },
      call: `new PlaidApi(new Configuration({ basePath: ${url}, baseOptions: { headers: { 'PLAID-CLIENT-ID': 'bench-client', 'PLAID-SECRET': 'bench-secret' } } })).identityVerificationRetry({ client_user_id: 'your-db-id-3b24110', template_id: 'idvtmp_4FrXJvfQU3zGUR', strategy: 'reset' }).then((r) => { if (r.status !== 200) throw new Error('call failed'); })`,
    },
    {
      client: 'kycport/plaid',
      operation: 'retry',
      imports: { ...core, '@kycport/plaid': 'createPlaidProvider' },
      call: `createPlaidProvider({ clientId: 'bench-client', secret: 'bench-secret', baseUrl: ${url}, templateId: 'idvtmp_4FrXJvfQU3zGUR' }).retry(userRef('your-db-id-3b24110'), { strategy: { kind: 'restart' }, providerOptions: { plaid: { checkStateFirst: false } } })()${RIGHT}`,
    },
    {
      client: 'kycport/plu',
      operation: 'getStatus',
      imports: { ...core, '@kycport/plu': 'createPluProvider' },
      call: `createPluProvider({ apiKey: 'sk_staging_bench_key', baseUrl: ${JSON.stringify(`${baseUrl}/api`)}, webhookSecret: 'whsec_bench' }).getStatus(userRef('acme-user-abc123'))()${RIGHT}`,
    },
    {
      client: 'kycport/p100',
      operation: 'getStatus',
      imports: { ...core, '@kycport/p100': 'createP100Provider' },
      call: `createP100Provider({ apiKey: 'p100-bench-key', baseUrl: ${url}, webhookToken: 'p100-bench-token' }).getStatus(userRef('bench-user-1'))()${RIGHT}`,
    },
  ];
}

function loadStatements(entry: ColdStartCall, format: ModuleFormat): string {
  return Object.entries(entry.imports)
    .map(([from, names]) =>
      format === 'CJS'
        ? `const { ${names} } = require(${JSON.stringify(from)});`
        : `import { ${names} } from ${JSON.stringify(from)};`,
    )
    .join(' ');
}

/**
 * The script a fresh process runs: load, then call, then print when the bootstrap ended, when the
 * imports were done and when the answer came (ms since the process started) and its RSS.
 */
function coldStartScript(entry: ColdStartCall, format: ModuleFormat): string {
  const report = `process.stdout.write(JSON.stringify({ bootstrapMs: performance.nodeTiming.bootstrapComplete, loadedMs, answerMs: performance.now(), rss: process.memoryUsage().rss })); process.exit(0);`;
  return `${loadStatements(entry, format)} const loadedMs = performance.now(); Promise.resolve().then(() => ${entry.call}).then(() => { ${report} }, (error) => { process.stderr.write(String(error)); process.exit(1); });`;
}

/**
 * Medians of one client's fresh processes in one module format: `wallMs` is spawn to exit as the
 * parent sees it (what the target compares); when Node's bootstrap ended, the imports were done and
 * the first answer was in are ms since the process started.
 */
export interface ColdStartRun {
  readonly client: ColdStartClient;
  readonly operation: string;
  readonly format: ModuleFormat;
  readonly wallMs: number;
  readonly bootstrapMs: number;
  readonly loadedMs: number;
  readonly answerMs: number;
  readonly rssMb: number;
}

/**
 * One package's module loading (median of the traced runs): `@kycport/<name>`, axios, fp-ts, io-ts,
 * jose, plaid or `node:<built-in>`; its own module bodies, reading and resolution, nested loads of
 * other groups excluded; `inFirstCall` when the first call loaded it rather than the imports.
 */
export interface ColdStartModules {
  readonly group: string;
  readonly ms: number;
  readonly modules: number;
  readonly inFirstCall: boolean;
}

/** What a client loads before its first answer (one format); `tracedMs`: bootstrap end to answer, traced. */
export interface ColdStartBreakdown {
  readonly client: ColdStartClient;
  readonly format: ModuleFormat;
  readonly groups: ReadonlyArray<ColdStartModules>;
  readonly tracedMs: number;
}

/** `benchColdStart`'s result: medians per client and format, and the traced breakdowns. */
export interface ColdStartBench {
  readonly runs: number;
  readonly traceRuns: number;
  readonly results: ReadonlyArray<ColdStartRun>;
  readonly breakdowns: ReadonlyArray<ColdStartBreakdown>;
}

/**
 * `node -r` in traced runs: wraps `Module._load`, writes each module's first load (group, start, self
 * ms) to KYCPORT_COLD_TRACE at exit. Unnamed packages count with the package that loaded them.
 */
const TRACE_PRELOAD = String.raw`
const Module = require('node:module');
const load = Module._load, seen = new Set(), stack = [], records = [];
const NAMED = /^(@kycport\/[^/]+|axios|fp-ts|io-ts|jose|plaid)$/;
function ownGroup(id) {
  if (!id.includes('/')) return 'node:' + id;
  const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(id) || /\/packages\/([^/]+)\/dist\//.exec(id);
  return pkg ? (pkg[0].includes('node_modules') ? pkg[1] : '@kycport/' + pkg[1]) : 'host script';
}
function groupOf(id, parent) {
  const own = ownGroup(id);
  return NAMED.test(own) || parent === undefined || parent.startsWith('@kycport/') ? own : parent;
}
Module._load = function (request, parent, isMain) {
  let id;
  try { id = Module._resolveFilename(request, parent, isMain).replace(/^node:/, ''); } catch { return load.apply(this, arguments); }
  if (seen.has(id)) return load.apply(this, arguments);
  seen.add(id);
  const frame = { group: groupOf(id, stack[stack.length - 1]?.group), nested: 0 };
  const start = performance.now();
  stack.push(frame);
  try { return load.apply(this, arguments); } finally {
    stack.pop();
    const total = performance.now() - start;
    if (stack.length) stack[stack.length - 1].nested += total;
    records.push({ group: frame.group, startMs: start, selfMs: total - frame.nested });
  }
};
process.on('exit', () => require('node:fs').writeFileSync(process.env.KYCPORT_COLD_TRACE, JSON.stringify(records)));
`;

type ScriptTimes = { bootstrapMs: number; loadedMs: number; answerMs: number; rss: number };
type TraceRecord = { group: string; startMs: number; selfMs: number };
type GroupTotals = Map<string, { ms: number; modules: number; inFirstCall: boolean }>;

/** One fresh process; with `trace`, the preload records its module loads into `trace.out`. */
function runColdStart(
  script: string,
  format: ModuleFormat,
  cwd: string,
  trace?: { preload: string; out: string },
) {
  const args = [
    ...(trace ? ['-r', trace.preload] : []),
    ...(format === 'ESM' ? ['--input-type=module'] : []),
    '-e',
    script,
  ];
  const env = trace ? { ...process.env, KYCPORT_COLD_TRACE: trace.out } : process.env;
  const started = performance.now();
  const output = execFileSync(process.execPath, args, { cwd, encoding: 'utf8', env });
  return { wallMs: performance.now() - started, times: JSON.parse(output) as ScriptTimes };
}

/** One traced run's module loading per group. */
function traceGroups(records: ReadonlyArray<TraceRecord>, loadedMs: number): GroupTotals {
  const groups: GroupTotals = new Map();
  for (const record of records) {
    const group = groups.get(record.group) ?? { ms: 0, modules: 0, inFirstCall: true };
    group.ms += record.selfMs;
    group.modules += 1;
    group.inFirstCall &&= record.startMs >= loadedMs;
    groups.set(record.group, group);
  }
  return groups;
}

type Case = { entry: ColdStartCall; format: ModuleFormat; script: string };

/** `traceRuns` traced rounds over every case (interleaved like the timed runs); per group, the median ms. */
function breakdowns(cases: ReadonlyArray<Case>, cwd: string, traceRuns: number): ColdStartBreakdown[] {
  const dir = mkdtempSync(join(tmpdir(), 'kycport-cold-'));
  const trace = { preload: join(dir, 'trace.cjs'), out: join(dir, 'trace.json') };
  writeFileSync(trace.preload, TRACE_PRELOAD, 'utf8');
  const perCase = cases.map(() => ({ groups: [] as GroupTotals[], traced: [] as number[] }));
  try {
    for (let run = 0; run < traceRuns; run += 1) {
      cases.forEach(({ script, format }, index) => {
        const { times } = runColdStart(script, format, cwd, trace);
        const records = JSON.parse(readFileSync(trace.out, 'utf8')) as TraceRecord[];
        perCase[index]?.traced.push(times.answerMs - times.bootstrapMs);
        perCase[index]?.groups.push(traceGroups(records, times.loadedMs));
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cases.map(({ entry, format }, index) => {
    const perRun = perCase[index]?.groups ?? [];
    const names = new Set(perRun.flatMap((groups) => [...groups.keys()]));
    const groups: ColdStartModules[] = [...names].map((group) => {
      const seen = perRun.map((groups) => groups.get(group));
      return {
        group,
        ms: median(seen.map((entry) => entry?.ms ?? 0)),
        modules: Math.max(...seen.map((entry) => entry?.modules ?? 0)),
        inFirstCall: seen.every((entry) => entry === undefined || entry.inFirstCall),
      };
    });
    groups.sort((a, b) => b.ms - a.ms);
    return { client: entry.client, format, groups, tracedMs: median(perCase[index]?.traced ?? []) };
  });
}

const FORMATS: ReadonlyArray<ModuleFormat> = ['CJS', 'ESM'];

/**
 * Cold start to a first answer for plaid-node and each kycport adapter, as CommonJS and ES module
 * hosts: `runs` fresh processes each (interleaved, so load on the machine spreads over every
 * client), then `traceRuns` traced rounds for the module breakdown.
 */
export function benchColdStart(baseUrl: string, cwd: string, runs = 7, traceRuns = 5): ColdStartBench {
  const cases: Case[] = coldStartCalls(baseUrl).flatMap((entry) =>
    FORMATS.map((format) => ({ entry, format, script: coldStartScript(entry, format) })),
  );
  const samples = cases.map(() => [] as Array<{ wallMs: number; times: ScriptTimes }>);
  for (let run = 0; run < runs; run += 1) {
    cases.forEach((item, index) => samples[index]?.push(runColdStart(item.script, item.format, cwd)));
  }
  const results = cases.map(({ entry, format }, index): ColdStartRun => {
    const of = (pick: (times: ScriptTimes) => number): number =>
      median((samples[index] ?? []).map((sample) => pick(sample.times)));
    const wallMs = median((samples[index] ?? []).map((sample) => sample.wallMs));
    const { client, operation } = entry;
    return {
      ...{ client, operation, format, wallMs, bootstrapMs: of((times) => times.bootstrapMs) },
      ...{ loadedMs: of((times) => times.loadedMs), answerMs: of((times) => times.answerMs) },
      rssMb: of((times) => times.rss / 2 ** 20),
    };
  });
  return { runs, traceRuns, results, breakdowns: breakdowns(cases, cwd, traceRuns) };
}

const fixed = (value: number, digits = 0): string => value.toFixed(digits);
const label = (client: ColdStartClient): string => (client === 'plaid-node' ? client : `@${client}`);

/** A row's process wall time over plaid-node's in the same module format. */
function vsPlaidNode(bench: ColdStartBench, result: ColdStartRun): number {
  const reference = bench.results.find(
    (other) => other.client === 'plaid-node' && other.format === result.format,
  );
  return result.wallMs / (reference?.wallMs ?? NaN);
}

/** The issue's target, per adapter and format: process wall time to a first answer at most 0.65x plaid-node's. */
export function coldStartTargets(bench: ColdStartBench): Array<[string, string, string, boolean]> {
  return bench.results
    .filter((result) => result.client !== 'plaid-node')
    .map((result) => {
      const ratio = vsPlaidNode(bench, result);
      return [
        'cold start to a first answer <= 0.65x plaid-node (process wall)',
        `${label(result.client)} ${result.operation} (${result.format})`,
        `${fixed(ratio, 2)}x (${fixed(result.wallMs)} ms)`,
        ratio <= 0.65,
      ];
    });
}

function coldStartTable(bench: ColdStartBench): string[] {
  const lines = [
    '| client | first answer | host | process wall ms | vs plaid-node | node bootstrap ms | imports ms | first call ms | RSS MB |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const result of bench.results) {
    lines.push(
      `| ${label(result.client)} | ${result.operation} | ${result.format} | ${fixed(result.wallMs)} | ${fixed(vsPlaidNode(bench, result), 2)}x | ${fixed(result.bootstrapMs)} | ${fixed(result.loadedMs - result.bootstrapMs)} | ${fixed(result.answerMs - result.loadedMs)} | ${fixed(result.rssMb)} |`,
    );
  }
  return lines;
}

/** Packages by load time (the largest anywhere first), the rest summed, then totals, per client and format. */
function breakdownTable(bench: ColdStartBench, top = 12): string[] {
  const columns = bench.breakdowns;
  const largest = (group: string): number =>
    Math.max(...columns.map((column) => column.groups.find((entry) => entry.group === group)?.ms ?? 0));
  const names = [...new Set(columns.flatMap((column) => column.groups.map((entry) => entry.group)))];
  names.sort((a, b) => largest(b) - largest(a));
  const shown = names.slice(0, top);
  const cell = (column: ColdStartBreakdown, group: string): string => {
    const entry = column.groups.find((candidate) => candidate.group === group);
    return entry ? `${fixed(entry.ms, 1)}${entry.inFirstCall ? '¹' : ''} (${entry.modules})` : '–';
  };
  const sum = (column: ColdStartBreakdown, groups: ReadonlyArray<string>): number =>
    column.groups
      .filter((entry) => groups.includes(entry.group))
      .reduce((total, entry) => total + entry.ms, 0);
  const row = (name: string, value: (column: ColdStartBreakdown) => string): string =>
    `| ${name} | ${columns.map(value).join(' | ')} |`;
  return [
    `| loaded | ${columns.map((column) => `${label(column.client)} ${column.format}`).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
    ...shown.map((group) => row(group, (column) => cell(column, group))),
    row(`others (${Math.max(0, names.length - top)} more)`, (column) =>
      fixed(sum(column, names.slice(top)), 1),
    ),
    row('**module loading, total**', (column) => `**${fixed(sum(column, names), 1)}**`),
    row('other work (not module loading)', (column) => fixed(column.tracedMs - sum(column, names), 1)),
    row('traced: bootstrap end to answer', (column) => fixed(column.tracedMs, 1)),
  ];
}

/**
 * The "Cold start" section's Markdown lines: medians per client and format, and what each loads
 * before its first answer. For `pnpm bench`: `lines.push('', ...renderColdStart(bench))` with
 * `bench = benchColdStart(baseUrl, benchDir)`, and `coldStartTargets(bench)` into the targets.
 */
export function renderColdStart(bench: ColdStartBench): string[] {
  return [
    `## Cold start to a first answer (fresh process per run, median of ${bench.runs})`,
    '',
    'Each row is a fresh `node` process that loads the client, creates it and completes one call against the example server (loopback HTTP, keep-alive irrelevant: one request). ' +
      "CJS: `node -e` with `require`; ESM: `node --input-type=module -e` with `import` (kycport and plaid-node are CommonJS packages: an ES module host goes through Node's CommonJS interop). " +
      '"process wall" is spawn to exit as the parent sees it (the target compares it); node bootstrap, imports and first call are measured inside the process. kycport loads axios on the first request, so its axios time is in "first call".',
    '',
    ...coldStartTable(bench),
    '',
    `What loads before the first answer: ms (files) per package (a second set of processes with \`Module._load\` wrapped, median of ${bench.traceRuns}): each package's own module bodies, reading and resolution, nested loads of other packages excluded. ` +
      "Packages other than kycport's, axios, fp-ts, io-ts, jose and plaid count with the package that required them (axios's dependencies with axios); built-ins count on their own when kycport or the host loads them. " +
      '¹ loaded during the first call. Tracing adds its own overhead. "other work" is the rest of the traced time: creating the client, the request and answer on the loopback socket, and for ESM the interop (parsing each CommonJS file for its export names).',
    '',
    ...breakdownTable(bench),
  ];
}
