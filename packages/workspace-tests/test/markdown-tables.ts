/**
 * Reads the tables of a markdown page, so tests can compare what docs/ says with what the code does.
 * A table is found by the heading of the section it sits in (any level); its rows come back as
 * records keyed by the header cells, with surrounding spaces trimmed. Backticks are kept: a test
 * strips them where it compares names (`cell` below).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './workspace';

export type TableRow = Readonly<Record<string, string>>;

/** The text of docs/<path> (e.g. `providers/p100.md`). */
export function readDoc(path: string): string {
  return readFileSync(join(ROOT, 'docs', path), 'utf8');
}

/** The lines of the section whose heading text is `heading`, up to the next heading of the same or a higher level. */
export function sectionLines(markdown: string, heading: string): ReadonlyArray<string> {
  const lines = markdown.split('\n');
  const start = lines.findIndex(
    (line) => /^#+\s/.test(line) && line.replace(/^#+\s*/, '').trim() === heading,
  );
  if (start < 0) throw new Error(`no section "${heading}"`);
  const level = /^#+/.exec(lines[start] ?? '')?.[0].length ?? 1;
  const end = lines.findIndex((line, index) => {
    const hashes = /^(#+)\s/.exec(line);
    return index > start && hashes !== null && (hashes[1]?.length ?? 0) <= level;
  });
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

function splitRow(line: string): ReadonlyArray<string> {
  // `\|` inside a cell is an escaped pipe, not a separator.
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** Every table in the section, each as its rows; `index` picks one when a section has several. */
export function sectionTables(markdown: string, heading: string): ReadonlyArray<ReadonlyArray<TableRow>> {
  const tables: TableRow[][] = [];
  let header: ReadonlyArray<string> | undefined;
  let rows: TableRow[] = [];
  const flush = (): void => {
    if (header !== undefined) tables.push(rows);
    header = undefined;
    rows = [];
  };
  for (const line of sectionLines(markdown, heading)) {
    if (!line.trim().startsWith('|')) {
      flush();
      continue;
    }
    const cells = splitRow(line);
    if (header === undefined) header = cells;
    else if (!cells.every((cell) => /^:?-+:?$/.test(cell))) {
      const names = header;
      rows.push(Object.fromEntries(names.map((name, index) => [name, cells[index] ?? ''])));
    }
  }
  flush();
  return tables;
}

/** The one table of a section (throws when there is none or more than one). */
export function sectionTable(markdown: string, heading: string): ReadonlyArray<TableRow> {
  const tables = sectionTables(markdown, heading);
  if (tables.length !== 1) throw new Error(`section "${heading}" has ${tables.length} tables, expected 1`);
  return tables[0] ?? [];
}

/** A cell's value without backticks and surrounding spaces. */
export function cell(row: TableRow, column: string): string {
  const value = row[column];
  if (value === undefined) throw new Error(`the table has no column "${column}"`);
  return value.replace(/`/g, '').trim();
}
