import type { IncomingMessage } from 'node:http';
import { PopulaceError } from '@populace/core';
import { describe, expect, it } from 'vitest';
import { checkHost, parseHttpArgs } from './http-args.js';
import { createHttpGuard, hostHeaderName, isLoopbackHost, tokenMatches } from './http-guard.js';
import { HttpRefusal, refusalBody } from './http-refusal.js';

const req = (headers: Record<string, string>, method = 'POST', url = '/x'): IncomingMessage => ({ headers, method, url }) as unknown as IncomingMessage;
const TOKEN = 'correct-horse-battery-staple';

describe('isLoopbackHost', () => {
  it('knows all of 127.0.0.0/8, ::1 and localhost, and nothing else', () => {
    for (const h of ['127.0.0.1', '127.0.0.2', '127.255.255.254', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '127.0.0.256', '127.example.org', 'localhost.attacker.example', '']) expect(isLoopbackHost(h), h).toBe(false);
  });
  it('reads the host name of a Host header', () => {
    expect(hostHeaderName('127.0.0.1:4000')).toBe('127.0.0.1');
    expect(hostHeaderName('[::1]:4000')).toBe('::1');
    expect(hostHeaderName('LocalHost.')).toBe('localhost');
    expect(hostHeaderName(undefined)).toBe('');
  });
});

describe('createHttpGuard', () => {
  it('on a loopback bind accepts loopback Host names only (any 127.x address, [::1])', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      const guard = createHttpGuard({ host });
      for (const ok of ['127.0.0.1:1', '127.0.0.2:9', 'localhost:3', '[::1]:4']) expect(guard.check(req({ host: ok })), `${host} ${ok}`).toBeUndefined();
      for (const bad of ['attacker.example:3100', '10.0.0.1', '', 'localhost.attacker.example']) {
        const refusal = guard.check(req({ host: bad }));
        expect(refusal, `${host} ${bad}`).toBeInstanceOf(HttpRefusal);
        expect(refusal).toMatchObject({ status: 403, code: 'forbidden-host' });
      }
    }
  });

  it('refuses a bind outside loopback without a token, and a weak token', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.5', 'myhost.lan']) {
      expect(() => createHttpGuard({ host })).toThrow(/is not a loopback address.*--token <secret> or set \$POPULACE_TOKEN/);
    }
    expect(() => createHttpGuard({ host: '127.0.0.1', token: 'short' })).toThrow(PopulaceError);
    expect(() => createHttpGuard({ host: '127.0.0.1', token: 'has a space in it ok' })).toThrow(/with white space/);
  });

  it('a specific address accepts itself and --allowed-host names; a wildcard also loopback names', () => {
    const lan = createHttpGuard({ host: '192.168.1.5', token: TOKEN, allowedHosts: ['pop.lan'] });
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect(lan.check(req({ host: '192.168.1.5:3100', ...auth }))).toBeUndefined();
    expect(lan.check(req({ host: 'pop.lan', ...auth }))).toBeUndefined();
    expect(lan.check(req({ host: 'attacker.example', ...auth }))?.code).toBe('forbidden-host');
    expect(lan.check(req({ host: '127.0.0.1', ...auth }))?.code).toBe('forbidden-host');
    const any = createHttpGuard({ host: '0.0.0.0', token: TOKEN });
    expect(any.loopback).toBe(false);
    expect(any.summary).toMatch(/^warning: reachable beyond this machine/);
    expect(any.check(req({ host: '127.0.0.1:3100', ...auth }))).toBeUndefined();
    expect(any.check(req({ host: 'attacker.example', ...auth }))?.code).toBe('forbidden-host');
  });

  it('refuses browser requests from other origins (any method), accepts its own and --allowed-origin', () => {
    const guard = createHttpGuard({ host: '127.0.0.1', allowedOrigins: ['https://app.example.org'] });
    const host = '127.0.0.1:4000';
    for (const origin of ['https://attacker.example', 'null', 'http://localhost.attacker.example', 'file://', 'chrome-extension://abc']) {
      for (const method of ['POST', 'GET', 'DELETE']) expect(guard.check(req({ host, origin }, method))?.code, `${method} ${origin}`).toBe('forbidden-origin');
    }
    for (const origin of ['http://127.0.0.1:4000', 'http://localhost:5173', 'https://app.example.org']) expect(guard.check(req({ host, origin }))).toBeUndefined();
    expect(guard.acceptsOrigin('http://[::1]:8080')).toBe(true);
  });

  it('with a token: Bearer compared exactly; preflights and public requests pass; 401 says how', () => {
    const guard = createHttpGuard({ host: '127.0.0.1', token: TOKEN, isPublic: (r) => r.url === '/page' });
    const host = 'localhost';
    expect(guard.authenticated).toBe(true);
    expect(guard.check(req({ host, authorization: `Bearer ${TOKEN}` }))).toBeUndefined();
    expect(guard.check(req({ host, authorization: `bearer   ${TOKEN}` }))).toBeUndefined();
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, 'Bearer ', TOKEN]) {
      const refusal = guard.check(req(authorization === undefined ? { host } : { host, authorization }));
      expect(refusal, String(authorization)).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(refusal!.headers['www-authenticate']).toMatch(/^Bearer realm="populace"/);
    }
    expect(guard.check(req({ host }, 'OPTIONS'))).toBeUndefined();
    expect(guard.check(req({ host }, 'GET', '/page'))).toBeUndefined();
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, TOKEN.slice(1))).toBe(false);
  });
});

describe('HTTP options and refusal bodies', () => {
  it('parses flags, the token from the environment, and checks hosts and origins', () => {
    const args = parseHttpArgs({ port: '0', host: '[::1]', 'allowed-host': ['a.lan,b.lan', 'c.lan'], 'max-body-bytes': '2048' }, { defaultPort: 1, env: { POPULACE_TOKEN: TOKEN } });
    expect(args).toEqual({ port: 0, host: '::1', token: TOKEN, allowedHosts: ['a.lan', 'b.lan', 'c.lan'], allowedOrigins: [], maxBodyBytes: 2048 });
    expect(parseHttpArgs({ token: 'flag-wins-over-environment' }, { defaultPort: 7, env: { POPULACE_TOKEN: TOKEN } })).toMatchObject({ port: 7, host: '127.0.0.1', token: 'flag-wins-over-environment' });
    expect(parseHttpArgs({}, { defaultPort: 7, env: { POPULACE_TOKEN: '' } }).token).toBeUndefined();
    expect(() => checkHost('not a host')).toThrow(/--host: expected an IP address or a host name/);
    expect(() => parseHttpArgs({ port: '70000' }, { defaultPort: 1, env: {} })).toThrow(/--port: expected an integer in \[0, 65535\]/);
    expect(() => parseHttpArgs({ 'allowed-origin': 'app.example.org' }, { defaultPort: 1, env: {} })).toThrow(/--allowed-origin: expected an origin/);
  });

  it('writes refusals as JSON-RPC or GraphQL errors', () => {
    const r = new HttpRefusal(400, 'parse-error', 'Parse error: x');
    expect(refusalBody(r, 'json-rpc', 7)).toEqual({ jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: x', data: { code: 'parse-error', status: 400 } }, id: 7 });
    expect(refusalBody(new HttpRefusal(403, 'forbidden-origin', 'no'), 'graphql')).toEqual({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN', reason: 'forbidden-origin', http: { status: 403 } } }] });
  });
});
