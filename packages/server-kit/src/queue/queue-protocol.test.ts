/**
 * The queue's checked inputs: --redis URLs, failure reasons, metric values on
 * the wire, and populace-worker's command line (refused before Redis is touched,
 * exit 2 with the reason when Redis does not answer).
 */
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { decodeFailure, encodeFailure, fromWire, parseRedisUrl, pluginMismatch, pluginsOf, toWire } from './queue-protocol.js';
import { workerMain } from './worker-main.js';

describe('parseRedisUrl', () => {
  it('accepts redis:// and rediss:// URLs and hides the password in the display form', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379').url).toBe('redis://127.0.0.1:6379');
    expect(parseRedisUrl('rediss://user:s3cret@redis.example:6380/2').display).toBe('rediss://user:***@redis.example:6380/2');
    expect(parseRedisUrl('redis://:pw@h/0').display).not.toContain('pw');
  });

  it.each([
    ['', /expected a Redis URL/],
    ['127.0.0.1:6379', /expected a Redis URL such as/],
    ['http://127.0.0.1:6379', /scheme "http:"/],
    ['redis://127.0.0.1:6379/db', /database "db" is not a number/],
    ['redis://127.0.0.1:6379?x=1', /query strings/],
    ['not a url', /expected a Redis URL/],
  ])('refuses %j', (text, message) => {
    expect(() => parseRedisUrl(text)).toThrow(message);
  });
});

describe('queue wire format', () => {
  it('round-trips run errors and keeps unknown failure reasons as internal', () => {
    const error = { code: 'unknown-id', message: "no model 'x': add it.\nsecond line" };
    expect(decodeFailure(encodeFailure(error))).toEqual(error);
    expect(decodeFailure('Missing lock for job 7')).toEqual({ code: 'internal', message: 'the job failed on the queue: Missing lock for job 7' });
  });

  it('sends non-finite metric values as null and reads them back as NaN', () => {
    const values = [1.5, Number.NaN, Number.POSITIVE_INFINITY, 0];
    expect(JSON.parse(JSON.stringify(toWire(values)))).toEqual([1.5, null, null, 0]);
    expect(fromWire(toWire(values))).toEqual([1.5, Number.NaN, Number.NaN, 0]);
  });
});

describe('the plugins a job needs', () => {
  const server = [{ name: 'example', version: '0.1.0' }, { name: 'epi', version: '0.1.0' }, { name: 'llm', version: '0.2.0' }];
  const sim = { model: 'epi/covid', population: 'example/random-graph', populationFile: null, behaviors: { isolation: 'llm/covid-isolation' } } as never;

  it('names the plugins of the model, the population and the archetypes', () => {
    expect(pluginsOf(server, sim)).toEqual(server);
    expect(pluginsOf(server, { model: 'epi/covid', population: 'data/city.yaml', populationFile: { path: '/x', digest: 'd' }, behaviors: {} } as never)).toEqual([{ name: 'epi', version: '0.1.0' }]);
  });

  it('refuses a worker missing one or holding another version', () => {
    expect(pluginMismatch(server, server, 'w:1')).toBeNull();
    expect(pluginMismatch(server.slice(0, 2), server, 'w:1')).toMatch(/worker w:1 has no plugin 'llm' \(0\.2\.0 on the server; its plugins: example 0\.1\.0, epi 0\.1\.0\)/);
    expect(pluginMismatch([{ name: 'example', version: '0.1.0' }, { name: 'epi', version: '0.3.0' }, server[2]!], server, 'w:1')).toMatch(/has plugin 'epi' 0\.3\.0, the server 0\.1\.0/);
  });
});

describe('populace-worker command line', () => {
  const run = async (argv: string[]) => {
    let out = '';
    let err = '';
    const code = await workerMain(argv, { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) }, stopped: Promise.resolve() });
    return { code, out, err };
  };

  it('prints its help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--redis <url>');
  });

  it.each([
    [[], /--redis: required/],
    [['--redis', 'http://x'], /scheme "http:"/],
    [['--redis', 'redis://127.0.0.1:6379', '--concurrency', '0'], /--concurrency: expected a positive integer, received "0"/],
    [['--redis', 'redis://127.0.0.1:6379', '--queue', 'a b'], /--queue: expected letters/],
    [['--redis', 'redis://127.0.0.1:6379', '--backend', 'gpu9'], /--backend: expected one of/],
    [['--rediss', 'x'], /Did you mean '--redis'\?/],
  ])('refuses %j with exit 2', async (argv, message) => {
    const r = await run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('exits 2 naming the URL when Redis does not answer', async () => {
    // a port that was free a moment ago: nothing listens there
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await run(['--redis', `redis://:pw@127.0.0.1:${port}`]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} is not reachable`));
  });
});
