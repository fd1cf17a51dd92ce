/**
 * core's index re-exports by name (a faster ES module cold start, see index.ts), so a new export
 * of a module would silently stay private. This test reads every module's exports, values and
 * types, with the TypeScript checker, and requires the index to export each of them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

const SRC = join(__dirname, '..', 'src');

function exportsOf(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const symbol = source ? checker.getSymbolAtLocation(source) : undefined;
  return symbol ? checker.getExportsOfModule(symbol).map((entry) => entry.getName()) : [];
}

describe('@kycport/core index', () => {
  const modules = readdirSync(SRC)
    .filter((name) => name.endsWith('.ts') && name !== 'index.ts')
    .map((name) => join(SRC, name));
  const index = join(SRC, 'index.ts');
  const program = ts.createProgram([index, ...modules], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const exported = new Set(exportsOf(program, index));

  it('exports something from every module', () => {
    expect(exported.size).toBeGreaterThan(100);
  });

  it.each(modules.map((file) => [file.slice(SRC.length + 1), file]))(
    'exports every value and type of %s',
    (_name, file) => {
      const missing = exportsOf(program, file).filter((name) => !exported.has(name));
      expect(missing).toEqual([]);
    },
  );
});
