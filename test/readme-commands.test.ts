/**
 * The root README's commands, run exactly as written: every `npx populace ...` line of
 * its ```sh blocks goes through a shell from the repository root, so `npx` has to find
 * the workspace's linked bins (the fresh-clone failure of issue 13). The servers
 * (`npx populace-graphql`, `npx populace-mcp`) are started on a free port / stdio with
 * a temporary --db, sent one real request, and stopped. The ```ts blocks are written
 * to temporary modules in the repository and imported, so their imports resolve to the
 * workspace packages.
 *
 * Runs after the build (`npm test` builds first). The whole-city line (8.7M agents,
 * ~60 s, ~3 GB) runs too: every line is covered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The bodies of the README's fenced blocks of one language, in order. */
function blocks(lang: string): string[] {
  return [...readme.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

/** Every command line of the sh blocks that starts with `npx `, in README order (continuations joined). */
const npxLines = blocks('sh')
  .flatMap((body) => body.replace(/\\\n\s*/g, ' ').split('\n'))
  .map((line) => line.trim())
  .filter((line) => line.startsWith('npx '));
const withoutComment = (line: string): string => line.replace(/\s+#.*$/, '');
const flag = (line: string, name: string): string | undefined =>
  new RegExp(`(?:^|\\s)--${name}(?:=|\\s+)(\\S+)`).exec(withoutComment(line))?.[1];

const scratch = mkdtempSync(join(tmpdir(), 'populace-readme-'));
const children = new Set<ChildProcess>();
/** Files the commands write into the repository root; removed afterwards if they were not there before. */
const created = new Set<string>();
afterAll(async () => {
  for (const child of children) killGroup(child, 'SIGKILL');
  // a killed process still writing into scratch would make its removal fail (ENOTEMPTY): wait, bounded, until none is left
  for (let i = 0; i < 50 && [...children].some(groupAlive); i++) await new Promise((r) => setTimeout(r, 100));
  for (const file of created) rmSync(file, { force: true });
  rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
});

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command line through the shell from the repository root. */
function sh(line: string): Promise<Done> {
  const child = spawn('bash', ['-c', line], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((done) =>
    child.on('exit', (code) => {
      children.delete(child);
      done({ code, stdout, stderr });
    }),
  );
}

/** Starts a long-running command line; resolves when `ready` matches its output. */
function start(line: string, ready: RegExp, stdin = false): Promise<{ child: ChildProcess; match: RegExpExecArray; output: () => string }> {
  // its own process group: npx runs the server as a child, and stopping must reach both
  const child = spawn('bash', ['-c', line], { cwd: root, stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let output = '';
  return new Promise((done, fail) => {
    const check = (d: Buffer) => {
      output += d;
      const match = ready.exec(output);
      if (match) done({ child, match, output: () => output });
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    child.on('exit', (code) => {
      children.delete(child);
      fail(new Error(`'${line}' exited (${code}) before it was ready:\n${output}`));
    });
  });
}

/** Signals every process of a started command's group (the shell, npx, the server). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Whether any process of the group is still alive. */
function groupAlive(child: ChildProcess): boolean {
  try {
    process.kill(-child.pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the whole group (as Ctrl-C would reach it); resolves once no process of it is left. */
async function stop(child: ChildProcess): Promise<void> {
  killGroup(child, 'SIGTERM');
  await expect.poll(() => groupAlive(child), { timeout: 30_000, interval: 200 }).toBe(false);
  children.delete(child);
}

describe('README: npx command lines', () => {
  it('has the commands this test knows how to check', () => {
    expect(npxLines.filter((l) => l.startsWith('npx populace ')).length).toBeGreaterThanOrEqual(10);
    expect(npxLines.some((l) => l.startsWith('npx populace-graphql'))).toBe(true);
    for (const line of npxLines) expect(line).toMatch(/^npx populace(-graphql|-mcp)?(\s|$)/);
  });

  const cliLines = npxLines.filter((l) => l.startsWith('npx populace '));
  // in README order: a later line may read a file an earlier one wrote (observed.csv)
  describe.sequential('populace', () => {
    it.each(cliLines)('%s', { timeout: 900_000 }, async (line) => {
      const outputs = [flag(line, 'out'), flag(line, 'plot')].filter((f): f is string => !!f).map((f) => join(root, f));
      for (const file of outputs) if (!existsSync(file)) created.add(file);
      const { code, stdout, stderr } = await sh(line);
      expect(code, `exit code of '${line}'; stderr:\n${stderr}`).toBe(0);
      if (/\s--json(\s|$)/.test(withoutComment(line))) {
        const doc = JSON.parse(stdout) as { metrics: Record<string, number[]> };
        expect(Object.keys(doc.metrics).length).toBeGreaterThan(0);
        for (const series of Object.values(doc.metrics)) for (const v of series) expect(Number.isFinite(v)).toBe(true);
      } else if (outputs.length === 0) {
        expect(stdout.trim().length).toBeGreaterThan(0);
      }
      for (const file of outputs) {
        expect(statSync(file).size, file).toBeGreaterThan(0);
        const head = readFileSync(file).subarray(0, 8);
        if (file.endsWith('.png')) expect(head.toString('hex')).toBe('89504e470d0a1a0a');
        if (file.endsWith('.svg')) expect(readFileSync(file, 'utf8')).toMatch(/<svg/);
        if (file.endsWith('.csv')) expect(readFileSync(file, 'utf8').split('\n').length).toBeGreaterThan(2);
      }
    });
  });

  const graphqlLines = npxLines.filter((l) => l.startsWith('npx populace-graphql'));
  it.each(graphqlLines)('%s (on a free port, temporary --db, one real request)', { timeout: 120_000 }, async (line) => {
    const db = join(scratch, 'graphql-runs.db');
    const { child, match } = await start(`${withoutComment(line)} --port 0 --db ${db}`, /listening on (http:\/\/\S+)/);
    const url = match[1]!;
    // the README's own mutation, from its ```graphql block
    const mutation = blocks('graphql').join('\n').split('\n').find((l) => l.startsWith('mutation'))!;
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: mutation }) });
    const body = (await response.json()) as { data?: { startRun: { id: string; status: string } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.startRun.id).toMatch(/\S/);
    await stop(child);
    expect(existsSync(db)).toBe(true);
  });

  const mcpLines = npxLines.filter((l) => l.startsWith('npx populace-mcp'));
  it.each(mcpLines.length ? mcpLines : ['(no npx populace-mcp line)'])('%s (stdio, temporary --db, one real request)', { timeout: 120_000 }, async (line) => {
    if (!line.startsWith('npx')) return;
    const db = join(scratch, 'mcp-runs.db');
    const { child } = await start(`${withoutComment(line)} --db ${db}`, /serving over stdio/, true);
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    const send = (message: unknown) => child.stdin!.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'readme-test', version: '0' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await expect.poll(() => out.includes('"id":2'), { timeout: 60_000 }).toBe(true);
    const listed = out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id?: number; result?: { tools: unknown[] } });
    expect(listed.find((m) => m.id === 2)!.result!.tools.length).toBeGreaterThan(0);
    child.stdin!.end();
    await stop(child);
  });
});

describe('README: ts code blocks', () => {
  const tsBlocks = blocks('ts');
  const dir = join(root, 'test', '.readme-blocks');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has code blocks', () => expect(tsBlocks.length).toBeGreaterThan(0));

  it.each(tsBlocks.map((code, i) => [i + 1, code] as const))('block %i runs', { timeout: 600_000 }, async (i, code) => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `block-${i}.ts`);
    // export the block's top-level consts so the test can look at what it computed
    const names = [...code.matchAll(/^const\s+(\w+|\{[^}]*\})\s*=/gm)].flatMap((m) =>
      m[1]!.startsWith('{') ? m[1]!.slice(1, -1).split(',').map((n) => n.split(':').pop()!.trim()).filter(Boolean) : [m[1]!],
    );
    writeFileSync(file, `${code}\nexport const __readme = { ${names.join(', ')} };\n`);
    const mod = (await import(/* @vite-ignore */ pathToFileURL(file).href)) as { __readme: Record<string, any> };
    const { sim, metrics } = mod.__readme;
    expect(sim).toBeDefined();
    const series = (metrics ?? sim.metrics()) as Record<string, number[]>;
    expect(Object.keys(series).length).toBeGreaterThan(0);
    for (const values of Object.values(series)) expect(values.length).toBe(60);
  });
});
