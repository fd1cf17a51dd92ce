import { cell, sectionTable, sectionTables } from './markdown-tables';

const page = [
  '# Page',
  '## Status mapping',
  'Intro.',
  '',
  '| status | kycport |',
  '| ------ | ------- |',
  '| `A`    | `approved` |',
  '| `B \\| C` | `denied` |',
  '',
  '### Sub',
  '| x |',
  '| - |',
  '| 1 |',
  '## Error mapping',
  '| Code | kind |',
  '| ---- | ---- |',
  '| E1 | `validation` |',
].join('\n');

describe('markdown tables', () => {
  it('reads the rows of a section, keyed by header, including its subsections', () => {
    const tables = sectionTables(page, 'Status mapping');
    expect(tables).toHaveLength(2);
    expect(tables[0]?.map((row) => [cell(row, 'status'), cell(row, 'kycport')])).toEqual([
      ['A', 'approved'],
      ['B | C', 'denied'],
    ]);
  });

  it('stops at the next heading of the same level', () => {
    expect(sectionTable(page, 'Error mapping').map((row) => cell(row, 'Code'))).toEqual(['E1']);
  });

  it('fails loudly on a missing section or column', () => {
    expect(() => sectionTable(page, 'Nope')).toThrow('no section');
    expect(() => cell({ a: '1' }, 'b')).toThrow('no column');
  });
});
