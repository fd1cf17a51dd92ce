/**
 * Every ```ts block in README.md and docs/ compiles against the packages' sources, as a host would
 * write it: an ES module (top-level await allowed), strict TypeScript, imports resolved from this
 * package's dependencies. A block that is deliberately a fragment says so in the line above it:
 * `<!-- not compiled: <why> -->`. Names a host supplies itself (its own redirect, storage and retry
 * functions) are declared in HOST_PLACEHOLDERS below, and nowhere else.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { ROOT } from './workspace';

const OUT = join(ROOT, 'packages', 'workspace-tests', '.doc-blocks');
const FRAGMENT = /<!--\s*not compiled:\s*\S[^>]*-->\s*$/;

const HOST_PLACEHOLDERS = `
declare function redirectUser(url: string): void;
declare function saveRef(ref: string): Promise<void>;
declare function scheduleRetry(error: unknown): void;
declare const kyc: import('@kycport/core').KycProvider;
declare const tracker: import('@kycport/tracker').KycTracker;
declare function onStateChange(change: import('@kycport/core').StateChange): Promise<void>;
declare function createUser(body: unknown): Promise<unknown>;
`;

interface Block {
  readonly source: string;
  readonly line: number;
  readonly code: string;
}

function markdownFiles(): ReadonlyArray<string> {
  const found = [join(ROOT, 'README.md')];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.md')) found.push(path);
    }
  };
  walk(join(ROOT, 'docs'));
  return found.sort();
}

function blocksOf(path: string): ReadonlyArray<Block> {
  const lines = readFileSync(path, 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[index] ?? '')) continue;
    const end = lines.findIndex((line, at) => at > index && line.startsWith('```'));
    const above = lines.slice(Math.max(0, index - 2), index).join('\n');
    if (!FRAGMENT.test(above)) {
      blocks.push({
        source: relative(ROOT, path),
        line: index + 1,
        code: lines.slice(index + 1, end).join('\n'),
      });
    }
    index = end;
  }
  return blocks;
}

function compile(files: ReadonlyArray<string>): ReadonlyArray<ts.Diagnostic> {
  const base = ts.readConfigFile(join(ROOT, 'tsconfig.base.json'), ts.sys.readFile).config as {
    compilerOptions: object;
  };
  const { options } = ts.convertCompilerOptionsFromJson(
    {
      ...base.compilerOptions,
      module: 'esnext',
      moduleResolution: 'bundler',
      moduleDetection: 'force',
      // NestJS hosts write decorators (docs/integrations.md); the legacy form Nest documents.
      experimentalDecorators: true,
      noUnusedLocals: false,
      noUnusedParameters: false,
      declaration: false,
      declarationMap: false,
      sourceMap: false,
      noEmit: true,
      baseUrl: ROOT,
      types: ['node', 'jest'],
    },
    ROOT,
  );
  return ts.getPreEmitDiagnostics(ts.createProgram([...files], options));
}

describe('code blocks in README.md and docs/', () => {
  const blocks = markdownFiles().flatMap(blocksOf);

  it('finds the blocks', () => {
    expect(blocks.length).toBeGreaterThan(20);
  });

  it('compile as a host would write them', () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'host-placeholders.d.ts'), HOST_PLACEHOLDERS);
    const files = blocks.map((block, index) => {
      const file = join(OUT, `block-${index}.ts`);
      writeFileSync(file, block.code);
      return file;
    });
    // Only the blocks' own problems: the packages' sources are type-checked by their own tsconfig.
    const diagnostics = compile([join(OUT, 'host-placeholders.d.ts'), ...files]).filter(
      (diagnostic) => diagnostic.file === undefined || files.includes(diagnostic.file.fileName),
    );
    const problems = diagnostics.map((diagnostic) => {
      const file = diagnostic.file?.fileName ?? '';
      const index = files.indexOf(file);
      const block = blocks[index];
      const at =
        diagnostic.file && diagnostic.start !== undefined
          ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start).line + 1
          : 0;
      const where = block ? `${block.source}:${block.line + at}` : relative(ROOT, file);
      return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    rmSync(OUT, { recursive: true, force: true });
    expect(problems).toEqual([]);
  }, 120_000);
});
