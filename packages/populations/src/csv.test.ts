import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvField, readCsv } from './csv.js';
import { float32Text } from './table-io.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'populace-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function records(text: string): Promise<[string[], number][]> {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(file, text);
  const out: [string[], number][] = [];
  await readCsv(file, 't.csv', (fields, line) => out.push([fields, line]));
  return out;
}

describe('readCsv', () => {
  it('reads plain, quoted and multi-line fields with CRLF, a BOM and blank lines', async () => {
    expect(await records('\ufeffa,b,c\r\n1,"x, y",3\r\n\r\n2,"say ""hi""",\n3,"two\nlines",z')).toEqual([
      [['a', 'b', 'c'], 1],
      [['1', 'x, y', '3'], 2],
      [['2', 'say "hi"', ''], 4],
      [['3', 'two\nlines', 'z'], 5],
    ]);
  });
  it('reads a file larger than one read chunk', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i},"v${i}"`).join('\n');
    const out = await records(`id,v\n${rows}\n`);
    expect(out.length).toBe(200_001);
    expect(out[150_000]).toEqual([['149999', 'v149999'], 150_001]);
  });
  it('names the line of a quote that is never closed', async () => {
    await expect(records('a,b\n1,2\n3,"open\n4,5\n')).rejects.toThrow(/^t\.csv, line 3: expected a closing quote/);
  });
});

describe('csvField and float32Text', () => {
  it('quotes only when needed', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "x"')).toBe('"say ""x"""');
  });
  it('writes the shortest text that reads back as the same float32', () => {
    for (const v of [0.1, -73.852939, 40.8487111, 1e-7, 123456.789, 3]) {
      const f = Math.fround(v);
      const text = float32Text(f);
      expect(Math.fround(Number(text))).toBe(f);
      expect(text.length).toBeLessThanOrEqual(12);
    }
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
  });
});
