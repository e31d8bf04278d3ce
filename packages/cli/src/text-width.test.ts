import { describe, expect, it } from 'vitest';
import { keyValues, table } from './format.js';
import { main } from './main.js';
import { outputWidth, widthFor, withOutputWidth, wrapCommand, wrapLine, wrapWords } from './text-width.js';

const words = (s: string) => s.split(/\s+/).filter(Boolean).join(' ');

describe('fitting text to the terminal', () => {
  it('wraps words (breaking after spaces and commas) into lines of at most the width, losing nothing', () => {
    const text = 'stochastic SEIR, one step per day: homogeneous mixing, or over the population contact layers (household,school,work,community)';
    for (const w of [10, 17, 30, 200]) {
      const lines = wrapWords(text, w);
      expect(lines.every((l) => l.length <= w)).toBe(true);
      expect(lines.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
    }
    expect(wrapWords('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']); // a word longer than a line is cut
    expect(wrapLine('  --steps <T>  steps to simulate, one per day (the default comes from the model)', 40, 16).split('\n').slice(1).every((l) => l.startsWith(' '.repeat(16)))).toBe(true);
  });

  it('wraps a command before its options, with a backslash, so it stays one shell command', () => {
    const line = '  populace run network-sir --population random-graph --agents 3000 --param beta=0.06 --out observed.csv';
    const wrapped = wrapCommand(line, 60, 2).split('\n');
    expect(wrapped.every((l) => l.length <= 60)).toBe(true);
    expect(wrapped.slice(0, -1).every((l) => l.endsWith(' \\'))).toBe(true);
    expect(wrapped.map((l) => l.replace(/ \\$/, '').trim()).join(' ')).toBe(line.trim());
    expect(wrapped.slice(1).every((l) => /^ {6}--/.test(l))).toBe(true);
  });

  it('a table that fits is unchanged; a wide one wraps its text columns; one that cannot fit prints as records', () => {
    const rows = [['epi/seir', '20000', 'stochastic SEIR, one step per day: homogeneous mixing, or over the population contact layers with per-layer weights'], ['toy/sir', '100', 'homogeneous-mixing SIR']];
    const natural = table(['ID', 'AGENTS', 'DESCRIPTION'], rows, ['left', 'right'], 500);
    expect(natural.split('\n')[1]).toBe(`epi/seir   20000  ${rows[0]![2]}`);
    const narrow = table(['ID', 'AGENTS', 'DESCRIPTION'], rows, ['left', 'right'], 60).split('\n').filter(Boolean);
    expect(narrow.every((l) => l.length <= 60)).toBe(true);
    expect(narrow[0]).toMatch(/^ID\s+AGENTS\s+DESCRIPTION$/);
    expect(narrow[1]).toMatch(/^epi\/seir\s+20000\s+stochastic/);
    // the description's words are all there, in order, in its column
    const at = narrow[0]!.indexOf('DESCRIPTION');
    expect(words(narrow.slice(1).map((l) => l.slice(at)).join(' '))).toBe(words(`${rows[0]![2]} ${rows[1]![2]}`));
    // seven columns of 12+ characters cannot fit 60: one block per row
    const wide = table(['ID', 'A', 'B', 'C', 'D', 'E', 'DESCRIPTION'], [['populations/nyc', ...Array(5).fill('household,school,work'), 'New York City']], [], 60);
    const blocks = wide.split('\n').filter(Boolean);
    expect(blocks.every((l) => l.length <= 60)).toBe(true);
    expect(blocks[0]).toBe('populations/nyc');
    expect(blocks.filter((l) => /^  [a-e] +household,school,work$/.test(l))).toHaveLength(5);
    expect(blocks.at(-1)).toMatch(/^  description +New York City$/);
  });

  it('the width: main\'s (io.width, else $COLUMNS of its env, else 100, at least 40), else the process\'s', () => {
    expect(widthFor({ isTTY: true, columns: 132 }, { COLUMNS: '70' })).toBe(132);
    expect(widthFor({}, { COLUMNS: '70' })).toBe(70);
    expect(widthFor({}, {})).toBe(100);
    expect(widthFor({}, { COLUMNS: '12' })).toBe(40);
    expect(withOutputWidth(77, () => outputWidth())).toBe(77);
  });

  for (const width of [72, 100]) {
    it(`populace help, run --help, models and populations fit ${width} columns`, async () => {
      for (const argv of [['--help'], ['run', '--help'], ['sweep', '--help'], ['models'], ['populations'], ['models', 'example/network-sir']]) {
        let out = '';
        const code = await main(argv, { env: { COLUMNS: String(width) }, stdout: { write: (s: string) => void (out += s) }, stderr: { write: () => undefined } });
        expect(code, argv.join(' ')).toBe(0);
        const over = out.split('\n').filter((l) => l.length > width);
        expect(over, `${argv.join(' ')} at ${width} columns`).toEqual([]);
      }
    });
  }
});
