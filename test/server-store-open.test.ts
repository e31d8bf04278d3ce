/**
 * Both servers refuse a --db that is not a run store (a text file, a device,
 * a procfs file, a FIFO) with exit 2 and one line saying why, no stack trace.
 * Needs the builds: npx turbo run build
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main as graphqlMain } from '@populace/graphql';
import { main as mcpMain } from '@populace/mcp-server';
import { afterAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(path.join(tmpdir(), 'populace-store-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const text = path.join(dir, 'notes.txt');
writeFileSync(text, 'hello, not SQLite\n'.repeat(300));
const fifo = path.join(dir, 'pipe.db');
execFileSync('mkfifo', [fifo]);

const SERVERS = [
  ['populace-mcp', (argv: string[], io: object) => mcpMain([...argv, '--http'], io)],
  ['populace-graphql', (argv: string[], io: object) => graphqlMain(argv, io)],
] as const;

describe.each(SERVERS)('%s --db <not a run store>', (name, main) => {
  it.each([
    [text, `could not open the run store ${text} (file is not a database, SQLITE_NOTADB)`],
    ['/dev/full', 'could not open the run store /dev/full: it is a character device, not a SQLite file'],
    ['/proc/self/status', 'could not open the run store /proc/self/status ('],
    [fifo, `could not open the run store ${fifo}: it is a FIFO (named pipe), not a SQLite file`],
  ])('%s: exit 2, one line', async (db, message) => {
    let stderr = '';
    let stdout = '';
    const code = await main(['--db', db, '--port', '0'], { cwd: dir, env: {}, stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, stopped: Promise.resolve() });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^${name}: [^\\n]+\\n$`));
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe.each(SERVERS)('%s with a bad environment variable', (name, main) => {
  it.each([
    [{ POPULACE_THREADS: 'abc' }, 'POPULACE_THREADS: expected a whole number of threads in [1, 64], received "abc"'],
    [{ POPULACE_MAX_MEMORY: 'plenty' }, 'POPULACE_MAX_MEMORY: expected a size such as 8GB'],
  ])('%o: exit 2 at startup, before any run', async (env, message) => {
    let stderr = '';
    const code = await main(['--db', ':memory:', '--port', '0'], { cwd: dir, env, stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, stopped: Promise.resolve() });
    expect(code).toBe(2);
    expect(stderr.startsWith(`${name}: `)).toBe(true);
    expect(stderr).toContain(message);
    expect(stderr.split('\n')).toHaveLength(2);
  });
});
