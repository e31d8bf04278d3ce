#!/usr/bin/env node
/**
 * Memory of `populace-mcp --http` under a flood of MCP sessions: starts the
 * built bin on 127.0.0.1 (port 0), sends N initialize requests (never closing
 * a session, as a careless or hostile client would), reads the server's
 * resident memory (VmRSS from /proc, so Linux only) before, right after, and
 * after an idle wait, and prints one JSON line.
 *
 *   node bench/mcp-sessions.mjs [--requests 5000] [--idle-s 60] [--concurrency 16] [--bin path] [-- server args...]
 *
 * Examples (after `npm run build`):
 *   node bench/mcp-sessions.mjs                                   # the defaults (--max-sessions 32, idle 30 min)
 *   node bench/mcp-sessions.mjs --idle-s 20 -- --session-idle-ms 10000
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const split = process.argv.indexOf('--');
const own = split === -1 ? process.argv.slice(2) : process.argv.slice(2, split);
const serverArgs = split === -1 ? [] : process.argv.slice(split + 1);
let values;
try {
  ({ values } = parseArgs({ args: own, options: { requests: { type: 'string', default: '5000' }, 'idle-s': { type: 'string', default: '60' }, concurrency: { type: 'string', default: '16' }, bin: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  process.stderr.write(`mcp-sessions: ${error.message}\n`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(2, 15).map((l) => l.replace(/^ \*\s?/, '')).join('\n') + '\n');
  process.exit(0);
}
const int = (name) => {
  const n = Number(values[name]);
  if (!Number.isSafeInteger(n) || n < 0) {
    process.stderr.write(`mcp-sessions: --${name}: expected a non-negative integer, received ${JSON.stringify(values[name])}\n`);
    process.exit(2);
  }
  return n;
};
const requests = int('requests');
const idleS = int('idle-s');
const concurrency = Math.max(1, int('concurrency'));
const bin = values.bin ? path.resolve(values.bin) : fileURLToPath(new URL('../packages/mcp-server/dist/bin.js', import.meta.url));

const dir = mkdtempSync(path.join(tmpdir(), 'populace-mcp-sessions-'));
const child = spawn(process.execPath, [bin, '--http', '--port', '0', '--db', path.join(dir, 'runs.db'), ...serverArgs], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const url = await new Promise((resolve, reject) => {
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  child.once('exit', (code) => reject(new Error(`populace-mcp exited (${code}): ${stderr}`)));
});

const rssMb = () => Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024);
const init = (id) => JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'flood', version: '1' } } });
const post = (body) =>
  new Promise((resolve) => {
    const req = request(url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', () => resolve('error'));
    req.end(body);
  });

const before = rssMb();
const statuses = {};
let next = 0;
const started = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests) {
      const status = await post(init(++next));
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
const floodS = (Date.now() - started) / 1000;
const afterFlood = rssMb();
await new Promise((r) => setTimeout(r, idleS * 1000));
const afterIdle = rssMb();
child.kill('SIGTERM');
await new Promise((r) => child.once('exit', r));
rmSync(dir, { recursive: true, force: true });
const expired = [...stderr.matchAll(/closed (\d+) MCP sessions? idle/g)].reduce((n, m) => n + Number(m[1]), 0);
process.stdout.write(`${JSON.stringify({ bin: path.relative(process.cwd(), bin), serverArgs, requests, concurrency, statuses, floodS, rssMb: { before, afterFlood, afterIdle }, idleS, sessionsExpired: expired })}\n`);
