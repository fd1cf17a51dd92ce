/**
 * The README's install line and usage example, as a new user copies them: the packages named by the
 * `pnpm add` lines under "## Install", and the ```ts block under "## Usage", transpiled (types
 * erased, nothing else changed) to a CommonJS and an ES module program. The example calls three
 * functions a host has (redirectUser, saveRef, scheduleRetry); a small prelude defines them and
 * records their calls, printed as JSON once the example has run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@kycport/release';
import { ModuleKind, ScriptTarget, transpileModule } from 'typescript';

/** The text under `## <heading>` up to the next second-level heading. */
export function readmeSection(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The code of the first fenced block in `section` whose info string is `language`. */
export function fencedBlock(section: string, language: string): string {
  const match = new RegExp('^```' + language + '\\s*\\n([\\s\\S]*?)^```', 'm').exec(section);
  if (!match) throw new Error(`no \`\`\`${language} block`);
  return match[1] ?? '';
}

/** Package names the `pnpm add` (or `npm install`) lines of the Install section name. */
export function installedPackages(installSection: string): ReadonlyArray<string> {
  const names = new Set<string>();
  for (const line of fencedBlock(installSection, 'sh').split('\n')) {
    const command = line.replace(/#.*$/, '').trim();
    const match = /^(?:pnpm add|npm install|npm i|yarn add)\s+(.*)$/.exec(command);
    if (!match) continue;
    for (const word of (match[1] ?? '').split(/\s+/)) {
      if (word === '' || word.startsWith('-')) continue;
      names.add(word.replace(/(?<=.)@[^/]*$/, '')); // `name@range` -> `name`
    }
  }
  return [...names].sort();
}

export interface ReadmeExample {
  /** Packages the install line names. */
  readonly install: ReadonlyArray<string>;
  /** The usage example, as written. */
  readonly source: string;
  /** The example as a CommonJS program (wrapped in an async function: CommonJS has no top-level await). */
  readonly cjs: string;
  /** The example as an ES module (top-level await as written). */
  readonly esm: string;
}

const PRELUDE = `
const __host = { redirects: [], savedRefs: [], retries: [] };
function redirectUser(url) { __host.redirects.push(url); }
async function saveRef(ref) { __host.savedRefs.push(ref); }
function scheduleRetry(error) { __host.retries.push(error.kind); }
`;
const REPORT = 'console.log(JSON.stringify({ example: "readme", ...__host }));';

function transpile(source: string, module: ModuleKind): string {
  return transpileModule(source, {
    compilerOptions: { module, target: ScriptTarget.ES2022, esModuleInterop: true },
    reportDiagnostics: false,
  }).outputText;
}

/** The README's example and install line, ready to run. */
export function readmeExample(readmePath: string = join(WORKSPACE_ROOT, 'README.md')): ReadmeExample {
  const readme = readFileSync(readmePath, 'utf8');
  const source = fencedBlock(readmeSection(readme, 'Usage'), 'ts');
  const cjsBody = transpile(source, ModuleKind.CommonJS);
  return {
    install: installedPackages(readmeSection(readme, 'Install')),
    source,
    cjs: `${PRELUDE}\n(async () => {\n${cjsBody}\n})().then(\n  () => { ${REPORT} },\n  (error) => { console.error(error); process.exitCode = 1; },\n);\n`,
    // Import declarations are hoisted: the prelude runs before the example's first statement.
    esm: `${PRELUDE}\n${transpile(source, ModuleKind.ESNext)}\n${REPORT}\n`,
  };
}
