/**
 * Docs tables that name the workspace's own shapes (issue 15):
 * - README.md "Packages" lists exactly the publishable packages;
 * - docs/architecture.md's package table lists every workspace package, `(private)` exactly where
 *   the manifest says so, and names only kycport packages the package declares;
 * - docs/writing-an-adapter.md "Files in src/": every name a role file is said to export (with `x`
 *   replaced by the adapter id) is exported by that file of each built-in adapter;
 * - docs/tracking.md "Schema": the tables and the columns each holds are what `migrate()` sends to
 *   a fresh database (recorded by a stand-in client).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { migrate } from '@kycport/store-postgres';
import type { SqlClient, SqlQueryable } from '@kycport/store-postgres';
import { backticked, backtickedCell, sorted } from './doc-shapes';
import { cell, readDoc, sectionTable, sectionTables } from './markdown-tables';
import { PACKAGES, ROOT, workspacePackages } from './workspace';

const packages = workspacePackages();
const SHORT_NAMES = packages.map((entry) => entry.manifest.name.replace('@kycport/', ''));

describe('README.md "Packages"', () => {
  it('lists exactly the publishable packages', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const rows = sectionTable(readme, 'Packages');
    const publishable = packages
      .filter((entry) => entry.manifest.private !== true)
      .map((entry) => entry.manifest.name);
    expect(sorted(rows.flatMap((row) => backtickedCell(row, 'Package')))).toEqual(sorted(publishable));
  });
});

describe('docs/architecture.md package table', () => {
  const markdown = readDoc('architecture.md');
  const heading = markdown.split('\n')[0]?.replace(/^#\s*/, '') ?? '';
  const rows = sectionTables(markdown, heading)[0] ?? [];

  it('lists every workspace package, private exactly where the manifest says so', () => {
    const documented = rows.flatMap((row) =>
      backtickedCell(row, 'Package').map(
        (name) => `${name}${cell(row, 'Package').includes('(private)') ? ' (private)' : ''}`,
      ),
    );
    const actual = packages.map(
      (entry) => `${entry.manifest.name}${entry.manifest.private === true ? ' (private)' : ''}`,
    );
    expect(sorted(documented)).toEqual(sorted(actual));
  });

  it('names only kycport packages each one declares', () => {
    for (const row of rows) {
      const named = SHORT_NAMES.filter((short) =>
        new RegExp(`(^|[\\s,;(])${short}([\\s,;)]|$)`).test(cell(row, 'Depends on')),
      );
      for (const name of backtickedCell(row, 'Package')) {
        const manifest = packages.find((entry) => entry.manifest.name === name)?.manifest;
        const declared = Object.keys({
          ...manifest?.dependencies,
          ...manifest?.peerDependencies,
          ...(manifest?.private === true ? manifest.devDependencies : {}),
        });
        const undeclared = named.filter((short) => !declared.includes(`@kycport/${short}`));
        expect([name, undeclared]).toEqual([name, []]);
      }
    }
  });
});

/** The names a TypeScript file exports (declarations and `export { ... }` lists). */
function exportsOf(path: string): ReadonlySet<string> {
  const text = readFileSync(path, 'utf8');
  const declared = [
    ...text.matchAll(
      /^export\s+(?:declare\s+)?(?:async\s+)?(?:const|let|function|type|interface|class|enum)\s+(\w+)/gm,
    ),
  ].map((match) => match[1] ?? '');
  const listed = [...text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)].flatMap((match) =>
    (match[1] ?? '').split(',').map(
      (item) =>
        item
          .trim()
          .split(/\s+as\s+/)
          .pop()
          ?.replace(/^type\s+/, '') ?? '',
    ),
  );
  return new Set([...declared, ...listed].filter((name) => name !== ''));
}

describe('docs/writing-an-adapter.md "Files in src/"', () => {
  const rows = sectionTable(readDoc('writing-an-adapter.md'), 'Files in src/');
  /** `X_PROVIDER_ID` -> `PLU_PROVIDER_ID`, `XConfig` -> `PluConfig`, `xBaseUrl(config)` -> `pluBaseUrl`. */
  const named = (span: string, id: string): string | undefined => {
    const name = /^([A-Za-z_]\w*)/.exec(span.replace(/^const\s+/, ''))?.[1];
    if (name === undefined || name.includes('Something') || !/(^x|^X|[a-z]X)/.test(name)) return undefined;
    const pascal = id.charAt(0).toUpperCase() + id.slice(1);
    return name.replace(/^X_/, `${id.toUpperCase()}_`).replace(/^x/, id).replace(/X/, pascal);
  };

  it.each(['plu', 'p100', 'plaid'])('%s: each role file exports the names the guide gives it', (id) => {
    const missing: string[] = [];
    for (const row of rows) {
      const file = (backtickedCell(row, 'File')[0] ?? '').replace(/^x-/, `${id}-`);
      if (!file.endsWith('.ts') || basename(file) === 'index.ts') continue;
      const exported = exportsOf(join(PACKAGES, id, 'src', file));
      for (const span of backtickedCell(row, 'Names it exports').flatMap((text) => text.split(' = '))) {
        const name = named(span.trim(), id);
        if (name !== undefined && !exported.has(name)) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

/** Records what `migrate()` sends, answering every statement with no rows (a fresh database). */
function recordingClient(sent: string[]): SqlClient {
  const queryable: SqlQueryable = {
    query: <R>(text: string) => {
      sent.push(text);
      return Promise.resolve({ rows: [] as R[], rowCount: 0 });
    },
  };
  return { ...queryable, transaction: (fn) => fn(queryable) };
}

/** The inside of a statement's outermost parentheses, split at its top-level commas. */
function topLevelItems(text: string): ReadonlyArray<string> {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text.slice(text.indexOf('(') + 1)) {
    if (char === '(') depth += 1;
    if (char === ')' && depth === 0) break;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
    } else current += char;
  }
  return [...items, current.trim()];
}

/** `table.column` for every column the statements create or add. */
function columnsOf(statements: ReadonlyArray<string>): ReadonlyArray<string> {
  return statements.flatMap((statement) => {
    const created = /^CREATE TABLE (?:IF NOT EXISTS )?(?:\w+\.)?(\w+)/i.exec(statement.trim());
    if (created) {
      return topLevelItems(statement)
        .filter((item) => !/^(PRIMARY|UNIQUE|CONSTRAINT|CHECK|FOREIGN|EXCLUDE)\b/i.test(item))
        .map((item) => `${created[1]}.${item.split(/\s+/)[0]}`);
    }
    const added = /^ALTER TABLE (?:\w+\.)?(\w+) ADD COLUMN (?:IF NOT EXISTS )?(\w+)/i.exec(statement.trim());
    return added ? [`${added[1]}.${added[2]}`] : [];
  });
}

describe('docs/tracking.md "Schema" = what migrate() creates', () => {
  it('lists exactly the tables and their columns', async () => {
    const sent: string[] = [];
    await migrate(recordingClient(sent));
    const rows = sectionTable(readDoc('tracking.md'), 'Schema');
    const documented = rows.flatMap((row) => {
      const table = cell(row, 'Table');
      return backticked(row['Holds'])
        .filter((span) => /^[a-z][a-z_]*$/.test(span))
        .map((column) => `${table}.${column}`);
    });
    expect(sorted(documented)).toEqual(sorted(columnsOf(sent)));
  });
});
