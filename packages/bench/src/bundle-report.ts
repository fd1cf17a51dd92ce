/**
 * The "Bundle size" section of docs/performance.md, from `benchBundles()`; and the mode that
 * rewrites only that section (`BENCH_ONLY=bundle pnpm bench`), keeping the rest of the page.
 */
import { BUNDLE_HOSTS, BUNDLE_RECIPES, ESM_REQUIRE_BANNER, sameAsDefault } from './bundle-size';
import type { BundleBench, BundleMeasurement } from './bundle-size';

/** The section's heading in docs/performance.md. */
export const BUNDLE_HEADING = '## Bundle size (esbuild, minified)';

const kb = (bytes: number): string => (bytes / 1024).toFixed(1);

function find(bench: BundleBench, host: string, recipe: string): BundleMeasurement | undefined {
  return bench.measurements.find((entry) => entry.host === host && entry.recipe === recipe);
}

function sizeCell(entry: BundleMeasurement | undefined, all: ReadonlyArray<BundleMeasurement>): string {
  if (!entry) return 'n/a';
  const reference = all.find((other) => other.host === entry.host && other.recipe === 'default');
  const change =
    reference && entry !== reference
      ? ` (${(((entry.bytes - reference.bytes) / reference.bytes) * 100).toFixed(0)}%)`
      : '';
  return `${kb(entry.bytes)}${change}${sameAsDefault(entry, all) ? '' : ' **run failed**'}`;
}

function sizeTable(bench: BundleBench): string[] {
  const lines = [
    `| host | ${BUNDLE_RECIPES.map((recipe) => recipe.label).join(' | ')} |`,
    `|---|${BUNDLE_RECIPES.map(() => '---').join('|')}|`,
  ];
  for (const host of BUNDLE_HOSTS) {
    const cells = BUNDLE_RECIPES.map((recipe) =>
      sizeCell(find(bench, host.id, recipe.id), bench.measurements),
    );
    lines.push(`| ${host.label} | ${cells.join(' | ')} |`);
  }
  const failed = bench.measurements.filter((entry) => !sameAsDefault(entry, bench.measurements));
  lines.push(
    '',
    "¹ Not available to hosts today: kycport's packages resolved to their TypeScript sources, i.e. what an ES module build of each package would give " +
      "(for example behind a `module` condition in `exports`, which bundlers read and Node ignores). tsc's CommonJS output cannot be tree-shaken and repeats its interop helpers (`__importStar`, ...) in every file; " +
      'every other column is measured against that built output, as a host installs it.',
    '',
    failed.length === 0
      ? 'Every bundle above ran its host against the simulator with the same answers (and, for P100, the same requests, uploads included) as the default bundle.'
      : `Failed runs: ${failed.map((entry) => `${entry.host}/${entry.recipe}: ${entry.outcome.ok ? 'different answers' : entry.outcome.error}`).join('; ')}.`,
  );
  return lines;
}

function recipeTable(): string[] {
  const lines = ['| recipe | esbuild options |', '|---|---|'];
  for (const recipe of BUNDLE_RECIPES) lines.push(`| ${recipe.label} | ${recipe.shown} |`);
  return lines;
}

/** KB per package, default against the recommended recipe, for every host; small packages summed. */
function breakdownTable(bench: BundleBench): string[] {
  const columns = BUNDLE_HOSTS.flatMap((host) =>
    ['default', 'recommended'].map((recipe) => ({ host, recipe, entry: find(bench, host.id, recipe) })),
  );
  const names = new Set(columns.flatMap((column) => Object.keys(column.entry?.byPackage ?? {})));
  const largest = (name: string): number =>
    Math.max(...columns.map((column) => column.entry?.byPackage[name] ?? 0));
  const shown = [...names].filter((name) => largest(name) >= 1024).sort((a, b) => largest(b) - largest(a));
  const rest = [...names].filter((name) => largest(name) < 1024);
  const lines = [
    `| package | ${columns.map((column) => `${column.host.id} ${column.recipe === 'default' ? 'default' : 'stub + fields'}`).join(' | ')} |`,
    `|---|${columns.map(() => '---').join('|')}|`,
  ];
  for (const name of shown) {
    const cells = columns.map((column) => {
      const bytes = column.entry?.byPackage[name];
      return bytes === undefined || bytes === 0 ? '-' : kb(bytes);
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  const restCells = columns.map((column) =>
    kb(rest.reduce((sum, name) => sum + (column.entry?.byPackage[name] ?? 0), 0)),
  );
  lines.push(`| ${rest.length} others under 1 KB | ${restCells.join(' | ')} |`);
  lines.push(`| **total** | ${columns.map((column) => `**${kb(column.entry?.bytes ?? 0)}**`).join(' | ')} |`);
  return lines;
}

function formDataSentence(bench: BundleBench): string {
  const plu = find(bench, 'plu', 'default');
  const stubbed = find(bench, 'plu', 'stub');
  if (!plu || !stubbed) return '';
  // What the stub removes: every package in the default bundle that is gone with the stub.
  const gone = Object.keys(plu.byPackage).filter((name) => stubbed.byPackage[name] === undefined);
  const helpers = gone.filter((name) => !['form-data', 'mime-types', 'mime-db'].includes(name));
  const fpTs = plu.byPackage['fp-ts'] ?? 0;
  const fpTsShaken = find(bench, 'plu', 'recommended')?.byPackage['fp-ts'] ?? 0;
  return (
    "What form-data costs: axios's Node build (`dist/node/axios.cjs`) requires `form-data` when it loads; form-data requires `mime-types`, whose `mime-db` is a JSON table of every MIME type, " +
    `and ${helpers.length} small helper packages: ${kb(plu.bytes - stubbed.bytes)} KB of the ${kb(plu.bytes)} KB Plu bundle (mime-db alone ${kb(plu.byPackage['mime-db'] ?? 0)} KB), for a package kycport never uses: ` +
    "axios needs it only to build a form from a plain object, and kycport's bodies are JSON or a spec `FormData` (P100's uploads), which axios's HTTP adapter serialises itself. " +
    "Short of patching axios, aliasing `form-data` to `@kycport/http/form-data-stub` (the runtime's own `FormData`) removes all of it; the P100 host's uploads above ran through the stub. " +
    `\`mainFields: ['module', 'main']\` makes esbuild take fp-ts's and io-ts's ES builds, which it tree-shakes: fp-ts ${kb(fpTs)} KB -> ${kb(fpTsShaken)} KB. ` +
    'The debug stub saves another ~10 KB at the cost of the DEBUG= diagnostics of follow-redirects and the proxy agent; it is optional. See [bundling.md](bundling.md).'
  );
}

/** Issue 15's target in one sentence: under 300 KB minified for Plu or Plaid alone. */
function targetSentence(bench: BundleBench): string {
  const parts = ['plu', 'plaid'].map((host) => {
    const sizes = ['default', 'recommended', 'debug', 'sources'].map(
      (recipe) => find(bench, host, recipe)?.bytes ?? NaN,
    );
    const [plain, recommended, debug, sources] = sizes.map((bytes) => `${kb(bytes)} KB`);
    const met = (sizes[1] ?? NaN) < 300 * 1024 ? 'met' : '**not met**';
    return `${host} ${plain} by default, ${recommended} with stub + module fields (${met}), ${debug} with the debug stub too, ${sources} as ES modules`;
  });
  return `Target (issue 15: under 300 KB minified for Plu or Plaid alone): ${parts.join('; ')}.`;
}

function esmLines(bench: BundleBench): string[] {
  const [banner, noBanner] = bench.esm;
  const describe = (entry: BundleMeasurement | undefined): string =>
    !entry
      ? 'n/a'
      : entry.outcome.ok
        ? `ran (${entry.outcome.steps.join(', ')})`
        : `failed: ${entry.outcome.error}`;
  return [
    "| container host as ESM output (`format: 'esm'`, stub + module fields) | KB | run |",
    '|---|---|---|',
    `| with the banner \`${ESM_REQUIRE_BANNER}\` | ${kb(banner?.bytes ?? 0)} | ${describe(banner)} |`,
    `| without it | ${kb(noBanner?.bytes ?? 0)} | ${describe(noBanner)} |`,
  ];
}

/** The issue's bundle target, as rows of the Targets table. */
export function bundleTargets(bench: BundleBench): Array<[string, string, string, boolean]> {
  const rows: Array<[string, string, string, boolean]> = [];
  for (const host of ['plu', 'plaid']) {
    for (const recipe of ['default', 'recommended']) {
      const entry = find(bench, host, recipe);
      if (!entry) continue;
      const label = recipe === 'default' ? 'defaults' : 'form-data stub + module fields';
      const met = entry.bytes < 300 * 1024 && sameAsDefault(entry, bench.measurements);
      rows.push([
        'bundle < 300 KB minified, one adapter',
        `${host} (${label})`,
        `${kb(entry.bytes)} KB`,
        met,
      ]);
    }
  }
  return rows;
}

/** The section's Markdown lines: sizes per host and recipe, the recipes, the breakdown, ESM output. */
export function renderBundles(bench: BundleBench): string[] {
  return [
    BUNDLE_HEADING,
    '',
    `esbuild ${bench.esbuild} (\`bundle\`, \`minify\`, \`platform: 'node'\`, \`format: 'cjs'\`), Node ${bench.node}, ${bench.date}; KB = 1024 bytes. ` +
      'Each host is a small program in packages/bench/src/bundle-hosts/ (create a user, read its status; the P100 host also uploads three files), bundled from the built packages, ' +
      'then run from a directory without node_modules against its simulator. `BENCH_ONLY=bundle pnpm bench` measures and rewrites this section alone.',
    '',
    ...sizeTable(bench),
    '',
    ...recipeTable(),
    '',
    targetSentence(bench),
    '',
    formDataSentence(bench),
    '',
    '### By package (KB in the minified output)',
    '',
    ...breakdownTable(bench),
    '',
    '### ESM output',
    '',
    ...esmLines(bench),
  ];
}

/**
 * `page` with its bundle section replaced by `section` (or inserted before the Targets table, or
 * before the analysis, or at the end), every other line kept.
 */
export function replaceBundleSection(page: string, section: string): string {
  const lines = page.split('\n');
  const start = lines.findIndex((line) => line.startsWith('## Bundle size'));
  const sectionLines = [...section.split('\n'), ''];
  if (start >= 0) {
    const after = lines.findIndex((line, index) => index > start && line.startsWith('## '));
    const end = after < 0 ? lines.length : after;
    return [...lines.slice(0, start), ...sectionLines, ...lines.slice(end)].join('\n');
  }
  const before = ['## Targets', '## What the profiles showed']
    .map((heading) => lines.findIndex((line) => line.startsWith(heading)))
    .find((index) => index >= 0);
  if (before === undefined) return `${page.replace(/\n*$/, '\n\n')}${section}\n`;
  return [...lines.slice(0, before), ...sectionLines, ...lines.slice(before)].join('\n');
}
