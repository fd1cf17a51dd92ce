import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('@kycport/core dependencies', () => {
  it('imports nothing from axios, inversify or node network modules', () => {
    const dir = join(__dirname, '..', 'src');
    const forbidden = /from ['"](axios|inversify|node:(http|https|net|tls|dgram)|http|https|net|tls)['"]/;
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect([file, forbidden.test(text)]).toEqual([file, false]);
    }
    const manifest = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['fp-ts', 'io-ts']);
  });
});
