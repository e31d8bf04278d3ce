/**
 * Fitting text to the terminal: the width output is laid out for, and word
 * wrapping with a hanging indent (tables: ./format.ts; help: ./help.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** Narrowest layout width honoured (a narrower terminal gets lines of this width). */
export const MIN_WIDTH = 40;
/** The width when stdout is not a terminal and COLUMNS is unset. */
export const DEFAULT_WIDTH = 100;

/**
 * The width for a stdout: the terminal's columns when it is one, else $COLUMNS, else
 * {@link DEFAULT_WIDTH}; never below {@link MIN_WIDTH}.
 */
export function widthFor(stdout: { isTTY?: boolean; columns?: number }, env: Readonly<Record<string, string | undefined>>): number {
  const fromEnv = Number(env.COLUMNS);
  const width = stdout.isTTY === true && stdout.columns ? stdout.columns : Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
  return Math.max(MIN_WIDTH, width);
}

const scope = new AsyncLocalStorage<number>();

/** The width stdout text is laid out for: the one `main` runs its command with, else the process's. */
export function outputWidth(): number {
  return scope.getStore() ?? widthFor(process.stdout, process.env);
}

/** Runs `fn` (and what it awaits) with text laid out for `width`. */
export function withOutputWidth<T>(width: number, fn: () => T): T {
  return scope.run(width, fn);
}

/**
 * `text` broken at spaces into lines of at most `width` characters (a word longer than a line is
 * cut); no line is empty unless `text` is.
 *
 * @example
 * ```ts
 * wrapWords('the model of the city', 10); // ['the model', 'of the', 'city']
 * wrapWords('beta,gamma,seedInfections', 12); // ['beta,gamma,', 'seedInfectio', 'ns']
 * ```
 */
export function wrapWords(text: string, width: number): string[] {
  const w = Math.max(1, width);
  if (text.length <= w) return [text];
  // break after spaces and after commas (parameter lists), keeping the separator on the line
  const words = text.match(/[^ ,]+,?|,| +/g) ?? [text];
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (/^ +$/.test(word)) {
      if (line.length > 0 && line.length + word.length <= w) line += word;
      else if (line.length > 0) {
        lines.push(line.trimEnd());
        line = '';
      }
      continue;
    }
    if (line.length + word.length <= w) {
      line += word;
      continue;
    }
    if (line.trim().length > 0) lines.push(line.trimEnd());
    line = '';
    let rest = word;
    while (rest.length > w) {
      lines.push(rest.slice(0, w));
      rest = rest.slice(w);
    }
    line = rest;
  }
  if (line.trim().length > 0 || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

/**
 * One line of text wrapped to `width`, continuation lines indented by `indent` spaces (the start
 * of the text they continue, e.g. an option's description column).
 */
export function wrapLine(line: string, width: number, indent: number): string {
  if (line.length <= width) return line;
  const head = line.slice(0, indent);
  const body = line.slice(indent);
  if (indent >= width - 10) return wrapWords(line, width).join('\n');
  const parts = wrapWords(body, width - indent);
  return parts.map((p, k) => (k === 0 ? head + p : ' '.repeat(indent) + p)).join('\n');
}

/**
 * A shell command line that stays one command when wrapped: broken before an option (an option
 * and its values stay together), each line but the last ending in ` \\`, continuation lines
 * indented by `indent + 4`.
 */
export function wrapCommand(line: string, width: number, indent: number): string {
  if (line.length <= width) return line;
  const units: string[] = [];
  for (const word of line.slice(indent).split(' ')) {
    if (units.length === 0 || word.startsWith('-')) units.push(word);
    else units[units.length - 1] += ` ${word}`;
  }
  const lines: string[] = [];
  let current = ' '.repeat(indent) + units[0]!;
  for (const unit of units.slice(1)) {
    if (current.length + 1 + unit.length + 2 > width) {
      lines.push(`${current} \\`);
      current = ' '.repeat(indent + 4) + unit;
    } else current += ` ${unit}`;
  }
  lines.push(current);
  return lines.join('\n');
}

/**
 * Every line of `text` wrapped to `width`, continuation lines indented like the line's own text;
 * indented `populace ...` command lines are wrapped as commands ({@link wrapCommand}).
 */
export function wrapText(text: string, width: number): string {
  return text
    .split('\n')
    .map((l) => {
      const indent = l.length - l.trimStart().length;
      return indent > 0 && l.trimStart().startsWith('populace ') ? wrapCommand(l, width, indent) : wrapLine(l, width, indent);
    })
    .join('\n');
}
