/**
 * The packages as a new user gets them: every publishable package packed (`pnpm pack`, as a release
 * would), the tarballs installed with `pnpm install --offline` into host projects in the system's
 * temp folder (outside the workspace, so none of its node_modules is visible), and each host run as
 * a separate node process doing create -> getStatus against a simulator started here on loopback.
 * Each test checks what the host printed and what the simulator saw (the user, the requests).
 *
 * No network: the install resolves from a metadata mirror written from the workspace lockfile
 * (test/support/offline-mirror.ts) with the registry set to a closed loopback port, and takes the
 * package contents from the store the workspace install filled.
 *
 * Needs the built output (`pnpm build`; `pnpm test` builds before jest). Set
 * KYCPORT_HOST_TESTS_KEEP=1 to keep the host folders (their path is printed) for a look.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import { readUserRef } from '@kycport/core';
import { WORKSPACE_ROOT, packWorkspace, publishablePackages, runPnpm } from '@kycport/release';
import type { PackedPackage } from '@kycport/release';
import { startP100Simulator, startPlaidSimulator, startPluSimulator } from '@kycport/simulators';
import type { ProviderSimulator } from '@kycport/simulators';
import {
  Timings,
  addHostSources,
  forgetHostProjects,
  linkHost,
  hostEnvironment,
  hostManifest,
  installHost,
  runNode,
  runTsc,
} from './support/host-project';
import type { HostRun } from './support/host-project';
import { writeOfflineMirror } from './support/offline-mirror';
import type { OfflineMirror } from './support/offline-mirror';
import { readmeExample } from './support/readme-example';

/** What a host installs: the packages it imports, and the container's peer (inversify). */
const HOST_DEPENDENCIES = [
  '@kycport/core',
  '@kycport/container',
  '@kycport/plu',
  '@kycport/p100',
  '@kycport/plaid',
  'inversify',
  '@types/node',
];
const PROVIDERS = ['plu', 'p100', 'plaid'];

// Each test spawns node processes (and tsc for the TypeScript hosts).
jest.setTimeout(120_000);

/** Fails with a clear message when a package has no built output to pack. */
function assertBuilt(): void {
  const missing = publishablePackages()
    .filter((pkg) => !['index.js', 'index.d.ts'].every((file) => existsSync(join(pkg.dir, 'dist', file))))
    .map((pkg) => pkg.name);
  if (missing.length > 0) {
    throw new Error(`no built output for ${missing.join(', ')}: run pnpm build (pnpm test builds first)`);
  }
}

/** The packages pnpm reports as downloaded (for an offline install: unpacked from local tarballs). */
function downloadedCount(installOutput: string): number {
  const counts = [...installOutput.matchAll(/downloaded (\d+)/g)].map((match) => Number(match[1]));
  return counts.pop() ?? Number.NaN;
}

/** How many distinct @kycport packages a host's node_modules holds. */
function kycportPackagesIn(dir: string): number {
  const entries = readdirSync(join(dir, 'node_modules', '.pnpm')).filter((entry) =>
    entry.startsWith('@kycport+'),
  );
  return new Set(entries.map((entry) => entry.split('@file')[0])).size;
}

function describeRun(run: HostRun): string {
  return `exit ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`;
}

/**
 * The host printed a created user and its status, and the simulator holds that user and answered
 * the requests that made it (at least create and status, all successful).
 */
function expectHostRan(run: HostRun, simulator: ProviderSimulator, requestsBefore: number): void {
  if (run.code !== 0 || run.output === undefined || 'error' in run.output) throw new Error(describeRun(run));
  // A new user has the hosted flow ahead: nothing is decided yet.
  expect(run.output).toMatchObject({
    provider: simulator.provider,
    created: 'action_required',
    next: 'redirect',
    status: expect.stringMatching(/^(action_required|pending)$/),
  });
  const id = readUserRef(String(run.output['userRef']), PROVIDERS).id;
  expect(simulator.users().map((user) => user.ref)).toContain(id);
  const requests = simulator.requests.slice(requestsBefore);
  expect(requests.length).toBeGreaterThanOrEqual(2);
  expect(requests.filter((request) => request.status >= 400)).toEqual([]);
}

describe('the packed packages, installed offline into host projects outside the workspace', () => {
  const timings = new Timings();
  let work: string;
  let tarballs: ReadonlyArray<PackedPackage>;
  let mirror: OfflineMirror;
  let template: string;
  let installOutput: string;
  let storeDir: string;
  const simulators: Record<string, ProviderSimulator> = {};
  const sim = (id: string): ProviderSimulator => simulators[id] as ProviderSimulator;

  /** A host folder: the installed template's packages plus the sources in `hosts/<name>`. */
  const host = (name: string): string => addHostSources(name, linkHost(template, join(work, name)));

  /** Runs `file` in `dir` against `provider`'s simulator; checks the run and what the simulator saw. */
  const runAgainst = async (
    provider: string,
    file: string,
    dir: string,
    extra: Record<string, string> = {},
  ) => {
    const before = sim(provider).requests.length;
    const run = await timings.measureAsync(`run ${extra['HOST_NAME'] ?? file}`, () =>
      runNode(file, dir, hostEnvironment({ ...sim(provider).environment, ...extra })),
    );
    expectHostRan(run, sim(provider), before);
    return run;
  };

  beforeAll(async () => {
    assertBuilt();
    work = mkdtempSync(join(realpathSync(tmpdir()), 'kycport-hosts-'));
    tarballs = timings.measure('pack', () => packWorkspace(join(work, 'tarballs')));
    storeDir = runPnpm(['store', 'path'], WORKSPACE_ROOT, hostEnvironment()).trim();
    mirror = timings.measure('mirror', () =>
      writeOfflineMirror(join(work, 'pnpm-cache'), join(WORKSPACE_ROOT, 'pnpm-lock.yaml'), storeDir),
    );
    template = join(work, 'template');
    installOutput = timings.measure('install', () =>
      installHost(
        template,
        hostManifest({ name: 'template', dependencies: HOST_DEPENDENCIES, tarballs }),
        mirror,
      ),
    );
    simulators['plu'] = await startPluSimulator();
    simulators['p100'] = await startP100Simulator();
    simulators['plaid'] = await startPlaidSimulator();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(Object.values(simulators).map((simulator) => simulator.close()));
    if (process.env['KYCPORT_HOST_TESTS_KEEP'] === '1') console.log(`host projects kept in ${work}`);
    else if (work) rmSync(work, { recursive: true, force: true });
    if (storeDir && work) forgetHostProjects(storeDir, work);
    console.log(`installed-package tests: ${timings.summary()}`);
  });

  it('packs every publishable package and installs the tarballs without fetching anything', () => {
    expect(tarballs.map((packed) => packed.name)).toEqual(publishablePackages().map((pkg) => pkg.name));
    for (const packed of tarballs) expect(existsSync(packed.tarball)).toBe(true);
    // pnpm counts unpacking a local tarball as a download (unless its store already holds it); no
    // other package may be downloaded: they all come from the store.
    expect(downloadedCount(installOutput)).toBeLessThanOrEqual(kycportPackagesIn(template));
    // The host has its own copies, unpacked from the tarballs, with no workspace: ranges left.
    const container = realpathSync(join(template, 'node_modules', '@kycport', 'container'));
    expect(container.startsWith(WORKSPACE_ROOT)).toBe(false);
    expect(readFileSync(join(container, 'package.json'), 'utf8')).not.toContain('workspace:');
    // Nothing above the temp folder offers packages to a host by accident.
    for (let dir = work; dir !== dirname(dir); dir = dirname(dir)) {
      expect(existsSync(join(dirname(dir), 'node_modules'))).toBe(false);
    }
  });

  it('a CommonJS host (require) creates a user on Plu and reads its status', async () => {
    const dir = host('cjs');
    await runAgainst('plu', 'main.cjs', dir, { HOST_NAME: 'cjs' });
  });

  it('an ES module host (named imports from the CommonJS packages) does the same on P100', async () => {
    const dir = host('esm');
    await runAgainst('p100', 'main.mjs', dir);
  });

  it('a TypeScript host under module nodenext compiles with no error and runs as ESM and as CommonJS', async () => {
    const dir = host('nodenext');
    timings.measure('tsc nodenext', () => runTsc(dir));
    await runAgainst('plaid', join('dist', 'main.mjs'), dir);
    await runAgainst('plu', join('dist', 'main.cjs'), dir);
  });

  describe('bundled with esbuild', () => {
    let dir: string;
    const bundle = (entry: string, options: BuildOptions) =>
      timings.measureAsync(`esbuild ${options.outfile?.split('/').pop() ?? entry}`, () =>
        build({
          entryPoints: [join(dir, 'src', entry)],
          absWorkingDir: dir,
          bundle: true,
          platform: 'node',
          target: 'node20',
          logLevel: 'silent',
          ...options,
        }),
      );

    beforeAll(() => {
      dir = host('bundler');
      timings.measure('tsc bundler', () => runTsc(dir));
    });

    it('a TypeScript host under moduleResolution bundler type-checks and runs with the packages external', async () => {
      await bundle('main.ts', {
        format: 'esm',
        packages: 'external',
        outfile: join(dir, 'dist', 'main.mjs'),
      });
      await runAgainst('plaid', join('dist', 'main.mjs'), dir);
    });

    describe('a whole-program bundle that registers its adapters, run where no node_modules exists', () => {
      let deployed: string;
      beforeAll(async () => {
        deployed = join(work, 'deployed');
        mkdirSync(deployed);
        await bundle('env-bundle.ts', { format: 'cjs', outfile: join(deployed, 'main.cjs') });
      });

      it('has nothing to load packages from', () => {
        // hostEnvironment() drops NODE_PATH: pnpm's bin shims set it to the workspace's hoisted
        // node_modules/.pnpm/node_modules, where every @kycport package is visible.
        const resolve = () =>
          execFileSync(process.execPath, ['-e', "require.resolve('@kycport/core')"], {
            cwd: deployed,
            env: hostEnvironment(),
            stdio: 'pipe',
          });
        expect(resolve).toThrow(/Cannot find module '@kycport\/core'/);
      });

      it.each(PROVIDERS)('runs with KYC_PROVIDER=%s', async (provider) => {
        await runAgainst(provider, 'main.cjs', deployed, { HOST_NAME: `bundle-${provider}` });
      });

      it('without registered adapters, says the package cannot be loaded from a bundle and how to fix it', async () => {
        const run = await runNode(
          'main.cjs',
          deployed,
          hostEnvironment({ ...sim('plu').environment, HOST_ADAPTERS: 'none' }),
        );
        expect(run.code).toBe(1);
        expect(run.output).toMatchObject({ error: { kind: 'config' } });
        const message = String((run.output?.['error'] as { message?: unknown } | undefined)?.message);
        expect(message).toContain('@kycport/plu');
        expect(message).toMatch(/not installed, or this code runs from a bundle/);
        expect(message).toContain('adapters');
      });

      it('as an ES module bundle, fails on a dynamic require without the createRequire banner and runs with it', async () => {
        await bundle('env-bundle.ts', { format: 'esm', outfile: join(deployed, 'plain.mjs') });
        const plain = await runNode('plain.mjs', deployed, hostEnvironment(sim('plu').environment));
        expect(plain.code).not.toBe(0);
        expect(plain.stderr).toMatch(/Dynamic require of "[^"]+" is not supported/);
        await bundle('env-bundle.ts', {
          format: 'esm',
          outfile: join(deployed, 'main.mjs'),
          // esbuild's documented recipe: give the bundle a real `require` for the CommonJS code it holds.
          banner: {
            js: "import { createRequire as __kycportCreateRequire } from 'node:module'; const require = __kycportCreateRequire(import.meta.url);",
          },
        });
        await runAgainst('plu', 'main.mjs', deployed, { HOST_NAME: 'bundle-esm' });
      });
    });
  });

  it('a host on inversify 7 installs, type-checks (nodenext) and runs the CommonJS host', async () => {
    const dir = join(work, 'inversify7');
    const output = timings.measure('install inversify7', () =>
      installHost(
        dir,
        hostManifest({
          name: 'inversify7',
          dependencies: HOST_DEPENDENCIES,
          ranges: { inversify: '^7.11.0' },
          tarballs,
        }),
        mirror,
      ),
    );
    const inversify = readFileSync(join(dir, 'node_modules', 'inversify', 'package.json'), 'utf8');
    expect((JSON.parse(inversify) as { version: string }).version).toMatch(/^7\./);
    expect(downloadedCount(output)).toBeLessThanOrEqual(kycportPackagesIn(dir));
    // The container's declarations name inversify's types: they must hold on 7 too.
    addHostSources('nodenext', dir);
    timings.measure('tsc inversify7', () => runTsc(dir));
    addHostSources('cjs', dir);
    await runAgainst('plu', 'main.cjs', dir, { HOST_NAME: 'inversify7' });
  });

  describe("the README's install line and usage example, as written", () => {
    let dir: string;

    beforeAll(() => {
      const example = readmeExample();
      dir = join(work, 'readme');
      timings.measure('install readme', () =>
        installHost(dir, hostManifest({ name: 'readme', dependencies: example.install, tarballs }), mirror),
      );
      writeFileSync(join(dir, 'example.cjs'), example.cjs);
      writeFileSync(join(dir, 'example.mjs'), example.esm);
    });

    it.each(['cjs', 'mjs'])('runs as %s against the Plu simulator', async (extension) => {
      sim('plu').reset(); // the example always creates the same user
      const before = sim('plu').requests.length;
      const run = await timings.measureAsync(`run readme ${extension}`, () =>
        runNode(`example.${extension}`, dir, hostEnvironment(sim('plu').environment)),
      );
      if (run.code !== 0 || run.output === undefined) throw new Error(describeRun(run));
      const savedRefs = run.output['savedRefs'] as ReadonlyArray<string>;
      expect(savedRefs).toHaveLength(1);
      expect(run.output['retries']).toEqual([]);
      expect(run.output['redirects']).toEqual([expect.stringMatching(/^https?:\/\/\S+$/)]);
      const id = readUserRef(savedRefs[0] ?? '', PROVIDERS).id;
      expect(
        sim('plu')
          .users()
          .map((user) => user.ref),
      ).toContain(id);
      expect(sim('plu').requests.length).toBeGreaterThan(before);
    });
  });
});
