import { describe, expect, it } from 'vitest';
import { main, USAGE } from './main.js';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, stopped: Promise.resolve() });
  return { code, out, err };
}

describe('populace-mcp command line', () => {
  it('--help prints the usage with every option', async () => {
    const r = await run(['--help']);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toBe(USAGE);
    for (const flag of ['--http', '--port', '--host', '--token', 'POPULACE_TOKEN', '--allowed-host', '--allowed-origin', '--max-body-bytes', '--max-sessions', '--session-idle-ms', '--db', '--config', '--backend', '--concurrency', '--max-agents', '--max-steps', '--max-wall-ms', '--max-queued']) expect(USAGE).toContain(flag);
  });

  it('a bad command line exits 2 with one line saying what to fix', async () => {
    const cases: [string[], RegExp][] = [
      [['--port', '5'], /--port needs --http/],
      [['--token', 'x'.repeat(20), '--max-sessions', '3'], /--token, --max-sessions need --http/],
      [['--http', '--host', '0.0.0.0'], /--host 0.0.0.0 is not a loopback address.*Pass --token <secret> or set \$POPULACE_TOKEN/],
      [['--http', '--host', '0.0.0.0', '--token', 'short'], /--token \/ \$POPULACE_TOKEN: expected at least 16 printable characters/],
      [['--http', '--host', 'not a host'], /--host: expected an IP address or a host name/],
      [['--http', '--max-sessions', '0'], /--max-sessions: expected an integer in \[1, 100000\], received "0"/],
      [['--http', '--allowed-origin', 'https://a.example/path'], /--allowed-origin: expected an origin/],
      [['--http', '--port', '99999'], /--port: expected an integer in \[0, 65535\], received "99999"/],
      [['--max-agent', '5'], /Did you mean '--max-agents'\?/],
      [['--concurrency', '0'], /--concurrency: expected a positive integer, received "0"/],
      [['--backend', 'gpu'], /--backend: expected one of auto, cpu, wasm, tensorflow/],
      [['--config', '/nonexistent/populace.config.js'], /config file \/nonexistent\/populace.config.js does not exist/],
    ];
    for (const [argv, message] of cases) {
      const r = await run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^populace-mcp: [^\n]+\n$/);
      expect(r.err).toMatch(message);
    }
  });
});
