import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDbPath } from './db-path.js';
import { DEFAULT_LIMITS, resolveLimits } from './limits.js';
import { parseServerArgs, SERVER_OPTIONS_HELP } from './server-args.js';

describe('limits', () => {
  it('defaults, overrides and refusals', () => {
    expect(resolveLimits()).toEqual(DEFAULT_LIMITS);
    expect(resolveLimits({ maxAgents: 10, maxWallMs: Infinity })).toMatchObject({ maxAgents: 10, maxWallMs: Infinity, maxSteps: DEFAULT_LIMITS.maxSteps });
    expect(() => resolveLimits({ maxAgents: 0 })).toThrow(/limits.maxAgents: expected a positive integer \(or Infinity for no limit\), received 0/);
    expect(() => resolveLimits({ maxAgent: 5 } as never)).toThrow(/unknown limit 'maxAgent'/);
  });
});

describe('resolveDbPath', () => {
  it('--db, else POPULACE_DB, else populace-runs.db in the working directory', () => {
    expect(resolveDbPath({ db: 'a.db', env: { POPULACE_DB: '/x/b.db' }, cwd: '/w' })).toBe(path.resolve('/w/a.db'));
    expect(resolveDbPath({ env: { POPULACE_DB: '/x/b.db' }, cwd: '/w' })).toBe('/x/b.db');
    expect(resolveDbPath({ env: {}, cwd: '/w' })).toBe('/w/populace-runs.db');
    expect(resolveDbPath({ db: ':memory:' })).toBe(':memory:');
  });
});

describe('parseServerArgs', () => {
  it('reads the shared options and the extra ones', () => {
    const { kit, values } = parseServerArgs(['--db', 'r.db', '--max-agents', '5000', '--max-wall-ms=60000', '--concurrency', '2', '--backend', 'cpu', '--port', '9'], { port: { type: 'string' } });
    expect(kit).toEqual({ db: 'r.db', config: undefined, plugins: [], dataDirs: [], backend: 'cpu', concurrency: 2, limits: { maxAgents: 5000, maxWallMs: 60000 } });
    expect(values.port).toBe('9');
    expect(SERVER_OPTIONS_HELP).toContain('--max-agents <N>');
  });

  it('collects repeated --plugin and --data-dir in order', () => {
    const { kit } = parseServerArgs(['--plugin', '@populace/models-epi', '--data-dir', 'a', '--plugin=./mine.js', '--data-dir', 'b']);
    expect(kit.plugins).toEqual(['@populace/models-epi', './mine.js']);
    expect(kit.dataDirs).toEqual(['a', 'b']);
    expect(SERVER_OPTIONS_HELP).toContain('--plugin <name|path>');
    expect(SERVER_OPTIONS_HELP).toContain('--data-dir <dir>');
  });

  it('says what is wrong with a bad command line', () => {
    expect(() => parseServerArgs(['--max-agents=-5'])).toThrow(/--max-agents: expected a positive integer, received "-5"/);
    expect(() => parseServerArgs(['--concurrency', '1.5'])).toThrow(/--concurrency: expected a positive integer/);
    expect(() => parseServerArgs(['--backend', 'gpu'])).toThrow(/--backend: expected one of auto, cpu, wasm, tensorflow/);
    expect(() => parseServerArgs(['--max-agent', '5'])).toThrow(/Did you mean '--max-agents'\?/);
    expect(() => parseServerArgs(['stray'])).toThrow(/--help/);
  });
});
