/**
 * Reads the API shapes a doc page names in its prose and table cells: backticked names, member
 * names (`completeHostedFlow(ref, outcome?)` -> `completeHostedFlow`) and object shapes
 * (`{ fault, method?, path?, times? }`), so the docs-api-* tests can compare them with the code.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { TableRow } from './markdown-tables';
import type { TypeProperty } from './api-types';
import { ROOT } from './workspace';

/** The text without its fenced code blocks (whose ``` would pair with inline backticks). */
export function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```\s*$/gm, '');
}

/** The backticked spans of a text (outside fenced code blocks), in order; a line break in one is a space. */
export function backticked(text: string | undefined): ReadonlyArray<string> {
  return [...prose(text ?? '').matchAll(/`([^`]+)`/g)].map((match) => (match[1] ?? '').replace(/\s+/g, ' '));
}

/** The backticked spans of a row's cell (raw, before `cell` strips them). */
export function backtickedCell(row: TableRow, column: string): ReadonlyArray<string> {
  const value = row[column];
  if (value === undefined) throw new Error(`the table has no column "${column}"`);
  return backticked(value);
}

/** `name(args)` or `name` -> `name`; anything else -> undefined. */
export function memberName(span: string): string | undefined {
  return /^([A-Za-z_$][\w$]*)(\(.*\))?$/.exec(span.trim())?.[1];
}

/**
 * The top-level names of an object shape written as `{ a, b?, c: ..., d?: ... }` (nested braces,
 * brackets and `...` skipped), each with whether it is marked optional (`?`).
 */
export function objectShape(text: string): ReadonlyArray<TypeProperty> {
  const open = text.indexOf('{');
  if (open < 0) throw new Error(`no object shape in "${text}"`);
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text.slice(open + 1)) {
    if (depth === 0 && char === '}') break;
    if ('{[('.includes(char)) depth += 1;
    if ('}])'.includes(char)) depth -= 1;
    if (depth === 0 && char === ',') {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts
    .map((part) => /^\s*([A-Za-z_$][\w$]*)(\?)?/.exec(part.replace(/^\s*\.\.\.\s*$/, '')))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[1] ?? '', optional: match[2] === '?' }));
}

/** Sorted, for comparisons that ignore order. */
export function sorted(values: Iterable<string>): ReadonlyArray<string> {
  return [...new Set(values)].sort();
}

/** The paragraph (lines up to a blank line) that starts with `opening`. */
export function paragraphStartingWith(markdown: string, opening: string): string {
  const start = markdown.indexOf(opening);
  if (start < 0) throw new Error(`no paragraph starting with "${opening}"`);
  const end = markdown.indexOf('\n\n', start);
  return markdown.slice(start, end < 0 ? undefined : end);
}

/** README.md and every page under docs/, as paths relative to the root and their text. */
export function docPages(): ReadonlyArray<{ readonly path: string; readonly text: string }> {
  const found = [join(ROOT, 'README.md')];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name));
      else if (entry.name.endsWith('.md')) found.push(join(folder, entry.name));
    }
  };
  walk(join(ROOT, 'docs'));
  return found.sort().map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));
}
