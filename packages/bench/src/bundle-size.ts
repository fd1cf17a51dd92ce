/**
 * Bundle size of a host using one adapter (issue 15): small host programs (src/bundle-hosts/, run
 * from their built output) bundled with esbuild's JS API under each recipe, measured from the
 * metafile (total and by package), then each bundle is run from a directory without node_modules
 * against its simulator: a recipe counts only if the host still works.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import type { BuildOptions, Metafile } from 'esbuild';
import { startSimulator } from '@kycport/simulators';
import type { SimulatedProviderId } from '@kycport/simulators';
import { HOST_CONFIG_VARIABLE } from './bundle-hosts/host-io';
import type { HostOutcome } from './bundle-hosts/host-io';

const REPO_ROOT = join(__dirname, '..', '..', '..');

/** A host program to bundle, and the simulator its flow runs against. */
export interface BundleHost {
  readonly id: string;
  readonly label: string;
  readonly entry: string;
  readonly simulator: SimulatedProviderId;
}

/** The hosts measured: each adapter alone, and the container with one adapter passed explicitly. */
export const BUNDLE_HOSTS: ReadonlyArray<BundleHost> = [
  { id: 'plu', label: '`createPluProvider` alone', entry: 'plu-host.js', simulator: 'plu' },
  { id: 'plaid', label: '`createPlaidProvider` alone', entry: 'plaid-host.js', simulator: 'plaid' },
  {
    id: 'p100',
    label: '`createP100Provider` alone (uploads files)',
    entry: 'p100-host.js',
    simulator: 'p100',
  },
  {
    id: 'container',
    label: '`createKycContainer(config, { adapters: [pluAdapter] })`',
    entry: 'container-host.js',
    simulator: 'plu',
  },
];

/**
 * A set of esbuild options on top of the common ones (bundle, minify, platform node, format cjs).
 * Every recipe resolves `@kycport/*` to the built packages (dist, CommonJS), as a host's install
 * does, except `sources`, which measures what an ES module build of kycport would give.
 */
export interface BundleRecipe {
  readonly id: string;
  readonly label: string;
  /** The options as a host would write them (Markdown, for the docs). */
  readonly shown: string;
  readonly options: BuildOptions;
}

/** The `form-data` stand-in shipped by @kycport/http, resolved to a path as a host's build would. */
const FORM_DATA_STUB = require.resolve('@kycport/http/form-data-stub');
const DEBUG_STUB = join(__dirname, '..', 'fixtures', 'debug-stub.cjs');
const MODULE_FIELDS: BuildOptions = { mainFields: ['module', 'main'] };
/**
 * No tsconfig.json: the workspace's (found next to each package's dist) maps `@kycport/*` to the
 * TypeScript sources, which a host's installed packages do not have.
 */
const BUILT_PACKAGES: BuildOptions = { tsconfigRaw: {} };
const SOURCES: BuildOptions = { tsconfig: join(__dirname, '..', 'tsconfig.json') };

/** The recipes measured, in table order; `recommended` is the one docs/bundling.md recommends. */
export const BUNDLE_RECIPES: ReadonlyArray<BundleRecipe> = [
  { id: 'default', label: 'default', shown: "esbuild's own", options: {} },
  {
    id: 'stub',
    label: 'form-data stub',
    shown: "`alias: { 'form-data': '@kycport/http/form-data-stub' }`",
    options: { alias: { 'form-data': FORM_DATA_STUB } },
  },
  { id: 'fields', label: 'module fields', shown: "`mainFields: ['module', 'main']`", options: MODULE_FIELDS },
  {
    id: 'recommended',
    label: 'stub + module fields',
    shown: 'both of the above',
    options: { ...MODULE_FIELDS, alias: { 'form-data': FORM_DATA_STUB } },
  },
  {
    id: 'debug',
    label: '+ debug stub',
    shown:
      "both, and `alias: { debug: './debug-stub.cjs' }` (a file holding `module.exports = () => () => {};`)",
    options: { ...MODULE_FIELDS, alias: { 'form-data': FORM_DATA_STUB, debug: DEBUG_STUB } },
  },
  {
    id: 'sources',
    label: 'stub + module fields, kycport as ES modules¹',
    shown:
      'stub + module fields, with `@kycport/*` resolved to the TypeScript sources (ES modules, which esbuild tree-shakes): not available to hosts today',
    options: { ...MODULE_FIELDS, alias: { 'form-data': FORM_DATA_STUB }, ...SOURCES },
  },
];

/** The banner an ESM bundle needs: CommonJS dependencies `require` Node built-ins. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** One bundle: its size, its size by package, and what its host did against the simulator. */
export interface BundleMeasurement {
  readonly host: string;
  readonly recipe: string;
  readonly bytes: number;
  readonly byPackage: Readonly<Record<string, number>>;
  readonly outcome: HostOutcome;
  /** The requests the simulator answered, as `METHOD path status` (for the P100 uploads). */
  readonly simulatorSaw: ReadonlyArray<string>;
}

/** One run of the bundle bench: every host under every recipe, and the ESM checks. */
export interface BundleBench {
  readonly esbuild: string;
  readonly node: string;
  readonly date: string;
  readonly measurements: ReadonlyArray<BundleMeasurement>;
  /** The container host as ESM output, with and without the createRequire banner. */
  readonly esm: ReadonlyArray<BundleMeasurement>;
}

/** The package an input file belongs to: the last node_modules segment, or the workspace package. */
export function packageOf(input: string): string {
  const parts = input.split('/');
  const last = parts.lastIndexOf('node_modules');
  if (last >= 0) {
    const name = parts[last + 1] ?? input;
    return name.startsWith('@') ? `${name}/${parts[last + 2] ?? ''}` : name;
  }
  if (parts[0] === 'packages' && parts[1] === 'bench') return '(host program)';
  if (parts[0] === 'packages' && parts[1]) return `@kycport/${parts[1]}`;
  return input;
}

function byPackage(metafile: Metafile): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals[name] = (totals[name] ?? 0) + bytesInOutput;
    }
  }
  return totals;
}

/** Throws unless the bundle took kycport from where the recipe says: built output, or sources. */
function checkResolution(recipe: BundleRecipe, metafile: Metafile): void {
  const fromSources = recipe.options.tsconfig !== undefined;
  const wrong = Object.keys(metafile.inputs).filter((input) => {
    const match = /^packages\/([^/]+)\/(src|dist)\//.exec(input);
    // The bench's own host programs, and the stub, which the alias names by its built path.
    if (!match || match[1] === 'bench' || input.endsWith('form-data-stub.js')) return false;
    return fromSources ? match[2] === 'dist' : match[2] === 'src';
  });
  if (wrong.length > 0)
    throw new Error(`bundle (${recipe.id}) resolved the wrong kycport files: ${wrong[0]}`);
}

/** Runs a bundled host with its settings; never rejects. */
function runBundle(file: string, cwd: string, settings: unknown): Promise<HostOutcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [file],
      { cwd, timeout: 60_000, env: { ...process.env, [HOST_CONFIG_VARIABLE]: JSON.stringify(settings) } },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line) as HostOutcome);
        } catch {
          // Node prints the failing source line (a minified bundle's is huge), then `Error: ...`.
          const thrown = stderr.split('\n').find((text) => /^[A-Za-z]*Error\b[^:]*: /.test(text));
          const firstLine = (thrown ?? stderr.trim()).slice(0, 200);
          resolve({ ok: false, error: firstLine || (error ? error.message : 'no output') });
        }
      },
    );
  });
}

async function bundleAndRun(
  host: BundleHost,
  recipe: BundleRecipe,
  outDir: string,
  extra: BuildOptions = {},
): Promise<BundleMeasurement> {
  const outfile = join(outDir, `${host.id}-${recipe.id}${extra.format === 'esm' ? '.mjs' : '.js'}`);
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(__dirname, 'bundle-hosts', host.entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'cjs',
    metafile: true,
    logLevel: 'silent',
    ...(recipe.options.tsconfig === undefined ? BUILT_PACKAGES : {}),
    ...recipe.options,
    ...extra,
  });
  const { metafile } = result;
  if (!metafile) throw new Error('esbuild returned no metafile');
  checkResolution(recipe, metafile);
  const output = metafile.outputs[relative(REPO_ROOT, outfile)];
  const simulator = await startSimulator(host.simulator);
  try {
    const outcome = await runBundle(outfile, outDir, simulator.adapterSettings);
    return {
      host: host.id,
      recipe: recipe.id,
      bytes: output?.bytes ?? 0,
      byPackage: byPackage(metafile),
      outcome,
      simulatorSaw: simulator.requests.map(
        (request) => `${request.method} ${request.path} ${request.status}`,
      ),
    };
  } finally {
    await simulator.close();
  }
}

/** A recipe counts only if its host did what the default bundle's host did, with the same answers. */
export function sameAsDefault(
  measurement: BundleMeasurement,
  all: ReadonlyArray<BundleMeasurement>,
): boolean {
  const reference = all.find((entry) => entry.host === measurement.host && entry.recipe === 'default');
  if (!reference || !measurement.outcome.ok || !reference.outcome.ok) return false;
  return (
    JSON.stringify(measurement.outcome.steps) === JSON.stringify(reference.outcome.steps) &&
    JSON.stringify(measurement.simulatorSaw) === JSON.stringify(reference.simulatorSaw)
  );
}

/** Every host under every recipe, plus the container host as ESM output with and without the banner. */
export async function benchBundles(): Promise<BundleBench> {
  const outDir = mkdtempSync(join(tmpdir(), 'kycport-bundle-'));
  try {
    const measurements: BundleMeasurement[] = [];
    for (const host of BUNDLE_HOSTS) {
      for (const recipe of BUNDLE_RECIPES) {
        process.stderr.write(`bench: bundle ${host.id} (${recipe.label})\n`);
        measurements.push(await bundleAndRun(host, recipe, outDir));
      }
    }
    const container = BUNDLE_HOSTS.find((host) => host.id === 'container') as BundleHost;
    const recommended = BUNDLE_RECIPES.find((recipe) => recipe.id === 'recommended') as BundleRecipe;
    const esmRecipe = (id: string): BundleRecipe => ({ ...recommended, id });
    const esm = [
      await bundleAndRun(container, esmRecipe('esm-banner'), outDir, {
        format: 'esm',
        banner: { js: ESM_REQUIRE_BANNER },
      }),
      await bundleAndRun(container, esmRecipe('esm-no-banner'), outDir, { format: 'esm' }),
    ];
    return {
      esbuild: esbuildVersion,
      node: process.version,
      date: new Date().toISOString().slice(0, 10),
      measurements,
      esm,
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
