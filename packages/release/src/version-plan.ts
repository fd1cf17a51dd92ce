/**
 * A guard run by `pnpm version-packages` before `changeset version`: changesets 2.x bumps a package
 * major whenever one of its peer dependencies takes a minor or major bump out of the peer range
 * (@kycport/container peers on the adapters and the testing kit), and the fixed group then carries
 * that major to every package. In 0.x that turns a minor changeset into 1.0.0. The guard reads the
 * plan (`changeset status --output`) and refuses a bump larger than any changeset asked for.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { WORKSPACE_ROOT } from './pack';

/** A bump type as changesets names it. */
export type BumpType = 'none' | 'patch' | 'minor' | 'major';

/** The parts of `changeset status --output` the guard reads. */
export interface ReleasePlan {
  readonly changesets: ReadonlyArray<{ readonly releases: ReadonlyArray<{ readonly type: BumpType }> }>;
  readonly releases: ReadonlyArray<{
    readonly name: string;
    readonly type: BumpType;
    readonly oldVersion: string;
    readonly newVersion: string;
  }>;
}

const ORDER: ReadonlyArray<BumpType> = ['none', 'patch', 'minor', 'major'];

/** Releases the plan bumps further than the largest bump any changeset asks for, described. */
export function escalatedReleases(plan: ReleasePlan): ReadonlyArray<string> {
  const asked = plan.changesets
    .flatMap((changeset) => changeset.releases.map((release) => ORDER.indexOf(release.type)))
    .reduce((max, rank) => Math.max(max, rank), 0);
  return plan.releases
    .filter((release) => ORDER.indexOf(release.type) > asked)
    .map(
      (release) =>
        `${release.name} ${release.oldVersion} -> ${release.newVersion} (${release.type}) although no changeset ` +
        `asks for more than ${ORDER[asked] ?? 'none'}`,
    );
}

/** Reads the pending plan with `changeset status --output` (git is needed; no network). */
export function readReleasePlan(root: string = WORKSPACE_ROOT): ReleasePlan {
  const dir = mkdtempSync(join(tmpdir(), 'kycport-plan-'));
  try {
    const output = join(dir, 'plan.json');
    const bin = join(root, 'node_modules', '@changesets', 'cli', 'bin.js');
    // changesets joins --output to the working folder, so it is given relative to it.
    execFileSync(process.execPath, [bin, 'status', `--output=${relative(root, output)}`], {
      cwd: root,
      stdio: 'inherit',
    });
    return JSON.parse(readFileSync(output, 'utf8')) as ReleasePlan;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const escalated = escalatedReleases(readReleasePlan());
  if (escalated.length > 0 && process.env['KYCPORT_ALLOW_ESCALATION'] !== '1') {
    process.stderr.write(
      `version-packages: changesets would bump further than asked (peer dependency escalation, docs/releasing.md):\n` +
        `${escalated.map((line) => `  - ${line}`).join('\n')}\n` +
        'Set KYCPORT_ALLOW_ESCALATION=1 to accept this plan.\n',
    );
    process.exitCode = 1;
  }
}
