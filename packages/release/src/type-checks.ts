/**
 * Type resolution checks: arethetypeswrong (do `import`/`require` of every entry point find types
 * under node10, node16 from CJS and from ESM, and bundler resolution?) and publint (is the manifest
 * consistent with the files?). Both tools run in `type-report.mjs` (ES modules only); this module
 * runs it and turns its report into failures, minus the rules documented in IGNORED_RULES.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import type { UnpackedPackage } from './tarball';

/** One tarball to report on. */
export interface TypeReportRequest {
  readonly tarball: string;
  /** The unpacked `package/` folder of the same tarball. */
  readonly root: string;
}

/** An arethetypeswrong problem, as much of it as the checks read. */
export interface AttwProblem {
  readonly kind: string;
  readonly title?: string;
  readonly entrypoint?: string;
  readonly resolutionKind?: string;
  readonly fileName?: string;
  readonly typesFileName?: string;
  readonly missing?: ReadonlyArray<string>;
}

/** A publint message, rendered. */
export interface PublintMessage {
  readonly code: string;
  readonly type: 'error' | 'warning' | 'suggestion';
  readonly path: ReadonlyArray<string>;
  readonly text: string;
}

/** What both tools said about one tarball. */
export interface TypeReport {
  readonly tarball: string;
  /** False when arethetypeswrong found no types at all. */
  readonly types: boolean;
  readonly problems: ReadonlyArray<AttwProblem>;
  readonly publint: ReadonlyArray<PublintMessage>;
  /** Set when a tool could not run on the tarball. */
  readonly error?: string;
}

/** The rules the check does not fail on, and why (also in docs/releasing.md). */
export const IGNORED_RULES = {
  node10Subpaths:
    'arethetypeswrong NoResolution/UntypedResolution under node10 for a subpath export: node10 ' +
    'resolution never reads "exports", so no subpath resolves there; the subpaths are side files ' +
    "(@kycport/testing's jest setup files, loaded by jest by path; @kycport/http's form-data stub, " +
    'named in a bundler alias) that no host imports for their types; every root entry is still checked',
  typeOnlyNamedExports:
    'arethetypeswrong NamedExports for names re-exported with `export type *`: they are type-only ' +
    '(TypeScript refuses them as values), so their absence from the CommonJS exports is right',
  publintUseType:
    'publint USE_TYPE (suggests a "type" field): the packages are CommonJS on purpose and a missing ' +
    '"type" means CommonJS to Node and every bundler',
} as const;

const REPORTER = join(__dirname, '..', 'dist', 'type-report.mjs');

/** Runs both tools over `requests` in one child process (built output required: `pnpm build`). */
export function runTypeReports(requests: ReadonlyArray<TypeReportRequest>): ReadonlyArray<TypeReport> {
  if (!existsSync(REPORTER)) throw new Error(`${REPORTER} is missing: run pnpm build first`);
  const output = execFileSync(process.execPath, [REPORTER, JSON.stringify(requests)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(output) as ReadonlyArray<TypeReport>;
}

/** Reads a file of the unpacked package, or undefined. */
function readPackageFile(pkg: UnpackedPackage, file: string): string | undefined {
  const path = join(pkg.root, file);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Value names a declaration file declares at its top level (tsc output: `export declare ...`). */
function declaredValueNames(text: string): ReadonlyArray<string> {
  const declared =
    /^export declare (?:abstract class|class|const|let|var|function|enum|namespace) ([\w$]+)/gm;
  return [...text.matchAll(declared)].map((match) => match[1] ?? '');
}

/** Names a types file re-exports with `export type * from '...'` (one level, as tsc emits it). */
export function typeOnlyReexports(pkg: UnpackedPackage, typesFile: string): ReadonlySet<string> {
  const text = readPackageFile(pkg, typesFile) ?? '';
  const names = new Set<string>();
  for (const match of text.matchAll(/^export type \* from ['"](\.[^'"]+)['"];?$/gm)) {
    const target = posix.join(dirname(typesFile), (match[1] ?? '').replace(/\.js$/, ''));
    const declarations =
      readPackageFile(pkg, `${target}.d.ts`) ?? readPackageFile(pkg, `${target}/index.d.ts`);
    for (const name of declaredValueNames(declarations ?? '')) names.add(name);
  }
  return names;
}

function packageRelative(pkg: UnpackedPackage, file: string): string {
  return file.replace(`/node_modules/${pkg.name}/`, '');
}

function describeProblem(problem: AttwProblem): string {
  const where = problem.entrypoint
    ? ` (entry ${problem.entrypoint}, ${problem.resolutionKind ?? 'all resolutions'})`
    : '';
  const names = problem.missing ? `: ${problem.missing.join(', ')}` : '';
  const file = problem.fileName ?? problem.typesFileName;
  return `arethetypeswrong ${problem.kind} (${problem.title ?? problem.kind})${where}${file ? ` in ${file}` : ''}${names}`;
}

function keptProblem(pkg: UnpackedPackage, problem: AttwProblem): AttwProblem | undefined {
  if (problem.resolutionKind === 'node10' && problem.entrypoint !== undefined && problem.entrypoint !== '.') {
    return undefined;
  }
  if (problem.kind === 'NamedExports' && problem.typesFileName !== undefined && problem.missing) {
    const typeOnly = typeOnlyReexports(pkg, packageRelative(pkg, problem.typesFileName));
    const missing = problem.missing.filter((name) => !typeOnly.has(name));
    return missing.length === 0 ? undefined : { ...problem, missing };
  }
  return problem;
}

/** The failures in one package's type report, after the IGNORED_RULES. */
export function typeFailures(pkg: UnpackedPackage, report: TypeReport): ReadonlyArray<string> {
  if (report.error !== undefined) return [`types could not be checked: ${report.error}`];
  const failures: string[] = [];
  if (!report.types) failures.push('arethetypeswrong found no types for the package');
  for (const problem of report.problems) {
    const kept = keptProblem(pkg, problem);
    if (kept) failures.push(describeProblem(kept));
  }
  for (const message of report.publint) {
    if (message.code !== 'USE_TYPE')
      failures.push(`publint ${message.type} ${message.code}: ${message.text}`);
  }
  return failures;
}
