/**
 * docs/writing-an-adapter.md is true: each built-in adapter's `src/` holds exactly the role files
 * the guide lists (with `x` replaced by the adapter id) plus the flow files the guide names for it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGES, ROOT } from './workspace';

const BUILT_IN_ADAPTERS = ['plu', 'p100', 'plaid'] as const;
const guide = readFileSync(join(ROOT, 'docs', 'writing-an-adapter.md'), 'utf8');

/** The lines of the section whose heading is `heading` (up to the next heading of any level). */
function section(markdown: string, heading: string): ReadonlyArray<string> {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.replace(/^#+\s*/, '') === heading && line.startsWith('#'));
  if (start < 0) throw new Error(`docs/writing-an-adapter.md has no section "${heading}"`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** The backticked `*.ts` names in the first cell of each table row. */
function firstCellFiles(lines: ReadonlyArray<string>): ReadonlyArray<string> {
  return lines
    .filter((line) => line.startsWith('|'))
    .flatMap((line) =>
      [...(line.split('|')[1] ?? '').matchAll(/`([\w.-]+\.ts)`/g)].map((match) => match[1] ?? ''),
    );
}

/** Flow files per adapter: rows `| plu | `plu-create-user.ts` (what it does), ... |`. */
function flowFiles(adapter: string): ReadonlyArray<string> {
  const row = section(guide, 'Flow files of the built-in adapters').find((line) =>
    new RegExp(`^\\|\\s*${adapter}\\s*\\|`).test(line),
  );
  if (row === undefined) throw new Error(`the guide lists no flow files for ${adapter}`);
  return [...(row.split('|')[2] ?? '').matchAll(/`([\w.-]+\.ts)`/g)].map((match) => match[1] ?? '');
}

const roleFiles = firstCellFiles(section(guide, 'Files in src/'));

describe('docs/writing-an-adapter.md', () => {
  it('lists the role files every adapter has', () => {
    expect(roleFiles).toEqual(
      expect.arrayContaining(['x-config.ts', 'x-api.ts', 'x-provider.ts', 'index.ts']),
    );
  });

  it.each(BUILT_IN_ADAPTERS)('lists exactly the files of packages/%s/src', (adapter) => {
    const expected = [
      ...roleFiles.map((file) => file.replace(/^x-/, `${adapter}-`)),
      ...flowFiles(adapter),
    ].sort();
    const actual = readdirSync(join(PACKAGES, adapter, 'src')).sort();
    expect(actual).toEqual(expected);
  });
});
