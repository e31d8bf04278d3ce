/**
 * GraphiQL offline (issue 13): the page at /graphql is loaded in headless
 * Chromium (Debian's `chromium`, driven over the DevTools protocol on a pipe,
 * no extra packages), runs its default query, and shows the result; every
 * request it makes goes to this server, and its Content Security Policy
 * (this origin only) reports no violation. Chromium is required: without it
 * the test fails and says how to install it (.ci/run does).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { createServerKit, type ServerKit } from '@populace/server-kit';
import { startGraphqlServer, type RunningGraphqlServer } from '../packages/graphql/src/http-server.js';
import { captureLogger, removeTempDirs, tempDbPath } from '../packages/graphql/src/yoga.fixture.js';

const CHROMIUM = ['chromium', 'chromium-browser', 'google-chrome'].find((c) => spawnSync('which', [c]).status === 0);

/** A DevTools-protocol client on Chromium's --remote-debugging-pipe (fd 3 in, fd 4 out, messages end with NUL). */
class Cdp {
  #next = 1;
  readonly #pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  readonly events: { method: string; params: any; sessionId?: string }[] = [];
  #buffer = '';
  constructor(
    private readonly input: Writable,
    output: Readable,
  ) {
    input.on('error', () => undefined); // the browser gone: pending requests stay unanswered, and closeBrowser does not wait on them
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      this.#buffer += chunk;
      let at: number;
      while ((at = this.#buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.#buffer.slice(0, at));
        this.#buffer = this.#buffer.slice(at + 1);
        if (message.id !== undefined) {
          const p = this.#pending.get(message.id);
          this.#pending.delete(message.id);
          if (message.error) p?.reject(new Error(`${message.error.message} (${JSON.stringify(message.error.data ?? '')})`));
          else p?.resolve(message.result);
        } else this.events.push(message);
      }
    });
  }
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<any> {
    const id = this.#next++;
    this.input.write(`${JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) })}\0`);
    return new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
  }
}

let kit: ServerKit;
let server: RunningGraphqlServer;
let browser: ChildProcess | undefined;
let cdp: Cdp | undefined;
const profile = mkdtempSync(path.join(tmpdir(), 'populace-chromium-'));

beforeAll(async () => {
  kit = createServerKit({ runtime: createRuntime({ plugins: [examplePlugin], backend: 'cpu' }), db: tempDbPath() });
  server = await startGraphqlServer({ kit, port: 0, logging: captureLogger() });
});
afterAll(async () => {
  await closeBrowser();
  await kit.close();
  await server.close();
  removeTempDirs();
  rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
});

/**
 * Chromium is a tree of processes (browser, zygote, renderers, GPU, crash
 * handler) that all write into the profile; killing only the browser leaves
 * the others writing while the profile is removed (ENOTEMPTY). So: ask the
 * browser to close over the protocol, then kill its whole process group (it
 * was started as the group's leader) and wait until no member is left.
 */
async function closeBrowser(): Promise<void> {
  if (!browser?.pid) return;
  const group = -browser.pid;
  if (browser.exitCode === null && browser.signalCode === null) {
    const exited = new Promise((r) => browser!.once('exit', r));
    void cdp?.send('Browser.close').catch(() => undefined);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  }
  /** Sends the signal to the group; false once no member is left (ESRCH). */
  const signal = (s: NodeJS.Signals | 0) => {
    try {
      process.kill(group, s);
      return true;
    } catch {
      return false;
    }
  };
  const alive = () => signal(0);
  signal('SIGKILL');
  // members killed here become zombies until they are reaped, and a zombie still answers signal 0 but writes nothing: wait a bounded time
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('GraphiQL in a browser, without the internet', () => {
  it('loads from this server only and shows the result of a query', async () => {
    if (!CHROMIUM) throw new Error('chromium is not installed: this test needs a headless browser. Install it with `apt-get update && apt-get install -y chromium` (.ci/run does).');
    browser = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true });
    const client = new Cdp(browser.stdio[3] as Writable, browser.stdio[4] as Readable);
    cdp = client;
    const { targetId } = await client.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await client.send('Target.attachToTarget', { targetId, flatten: true });
    await client.send('Network.enable', {}, sessionId);
    await client.send('Log.enable', {}, sessionId);
    await client.send('Runtime.enable', {}, sessionId);
    await client.send('Page.navigate', { url: server.url }, sessionId);
    const evaluate = async (expression: string) => (await client.send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)).result.value;

    await until('the GraphiQL editor', async () => ((await evaluate("!!document.querySelector('.graphiql-execute-button')")) ? true : undefined));
    await evaluate("document.querySelector('.graphiql-execute-button').click()");
    const shown = await until('the query result', async () => {
      const text = (await evaluate("(document.querySelector('.graphiql-response') || {}).innerText || ''")) as string;
      return text.includes('example/network-sir') ? text : undefined;
    });
    expect(shown).toContain('"models"');

    // a subscription comes back as server-sent events: a finished run's FINISHED event
    const run = kit.executor.submit({ kind: 'run', model: 'network-sir', population: 'random-graph', agents: 500, steps: 3, seed: 1 });
    await kit.executor.wait(run.id);
    await evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('subscription { runProgress(id: "${run.id}") { type status } }')`);
    await evaluate("document.querySelector('.graphiql-execute-button').click()");
    const streamed = await until('the subscription event', async () => {
      const text = (await evaluate("(document.querySelector('.graphiql-response') || {}).innerText || ''")) as string;
      return text.includes('FINISHED') ? text : undefined;
    });
    expect(streamed).toContain('"DONE"');

    const origin = new URL(server.url).origin;
    const requested = client.events.filter((e) => e.method === 'Network.requestWillBeSent').map((e) => e.params.request.url as string);
    expect(requested.length).toBeGreaterThan(5);
    expect(requested.filter((u) => !u.startsWith(origin) && !u.startsWith('data:'))).toEqual([]);
    const violations = client.events.filter((e) => (e.method === 'Log.entryAdded' && /Content Security Policy/i.test(e.params.entry.text)) || (e.method === 'Runtime.exceptionThrown'));
    expect(violations.map((v) => JSON.stringify(v.params).slice(0, 300))).toEqual([]);
  });
});
