/**
 * `populace-mcp` over stdio, the real bin as a child process, fed raw lines:
 * malformed JSON gets -32700, a non-JSON-RPC message -32600, a message over
 * the size limit (here the old 10 MiB default, and a small --max-body-bytes)
 * -32600, each logged on stderr, and the server keeps serving; it exits 0
 * only when stdin ends.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';
import { MCP_BIN, removeTempDirs, tempDir } from './fixtures/mcp/servers.js';

afterAll(removeTempDirs);

/** The bin with raw stdio: `send` writes text, `next` resolves with the next line on stdout, parsed. */
function rawStdio(args: string[]) {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [MCP_BIN, '--db', 'stdio.db', ...args], { cwd: tempDir(), env: { PATH: process.env.PATH ?? '' } });
  let stdout = '';
  let stderr = '';
  const waiting: ((line: string) => void)[] = [];
  const lines: string[] = [];
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
    let nl: number;
    while ((nl = stdout.indexOf('\n')) !== -1) {
      const line = stdout.slice(0, nl);
      stdout = stdout.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    send: (text: string | Buffer) => new Promise<void>((resolve) => (child.stdin.write(text) ? resolve() : child.stdin.once('drain', resolve))),
    next: (): Promise<any> => {
      const ready = lines.shift();
      const line = ready === undefined ? new Promise<string>((resolve) => waiting.push(resolve)) : Promise.resolve(ready);
      return line.then((l) => JSON.parse(l));
    },
  };
}

const INIT = `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } })}\n`;

it('answers malformed and oversized messages with JSON-RPC errors, logs them and keeps serving', async () => {
  const s = rawStdio([]);
  await s.send('{"jsonrpc": "2.0", "id": 7, "method": \n');
  expect(await s.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: expect.stringMatching(/^Parse error: the message is not valid JSON/) } });
  await s.send('{"id": 8, "hello": "world"}\n');
  expect(await s.next()).toMatchObject({ jsonrpc: '2.0', id: 8, error: { code: -32600, message: expect.stringMatching(/^Invalid Request/) } });
  await s.send('[{"jsonrpc": "2.0", "id": 9, "method": "ping"}]\n');
  expect(await s.next()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('batches are not supported') } });
  // over the SDK's old 10 MiB buffer (which made the server exit 0 without a word), in pieces
  const pad = 'x'.repeat(1024 * 1024);
  await s.send(`{"jsonrpc": "2.0", "id": 10, "method": "ping", "params": {"pad": "`);
  for (let i = 0; i < 11; i++) await s.send(pad);
  const tooLarge = s.next();
  await s.send('"}}\n');
  expect(await tooLarge).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('message too large (over 4194304 bytes') } });
  // still serving: the next line is read from a clean start
  await s.send(INIT);
  expect(await s.next()).toMatchObject({ id: 1, result: { serverInfo: { name: 'populace' } } });
  await s.send(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' })}\r\n`);
  expect(await s.next()).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
  expect(s.child.exitCode).toBeNull();
  s.child.stdin.end();
  expect(await s.exited).toBe(0);
  const refused = s.stderr().split('\n').filter((l) => l.startsWith('populace-mcp: refused a stdio message'));
  expect(refused).toHaveLength(4);
  expect(refused[3]).toContain('(-32600): Invalid Request: message too large');
});

it('--max-body-bytes sets the limit of one message', async () => {
  const s = rawStdio(['--max-body-bytes', '2048']);
  await s.send(`${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping', params: { pad: 'y'.repeat(3000) } })}\n`);
  expect(await s.next()).toMatchObject({ id: null, error: { code: -32600, message: expect.stringContaining('over 2048 bytes') } });
  await s.send(INIT);
  expect(await s.next()).toMatchObject({ id: 1, result: { protocolVersion: '2025-06-18' } });
  s.child.stdin.end();
  expect(await s.exited).toBe(0);
});
