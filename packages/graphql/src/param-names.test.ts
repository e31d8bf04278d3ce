/**
 * Parameter names sent over GraphQL are own names: Object.prototype's
 * (constructor, toString, valueOf, hasOwnProperty, __proto__) are refused
 * with the valid ones, and no run is recorded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { removeTempDirs, SIR_INPUT, testServer } from './yoga.fixture.js';

afterAll(removeTempDirs);

describe('GraphQL parameter names', () => {
  it('startRun with a parameter named like an Object.prototype member is refused with the valid names', async () => {
    const { kit, gql } = testServer();
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      for (const param of [{ name, value: 1 }, { name, values: [1, 2] }]) {
        const r = await gql('mutation($input: StartRunInput!) { startRun(input: $input) { id } }', { input: { ...SIR_INPUT, steps: 2, params: [param] } });
        expect(r.data?.startRun ?? null).toBeNull();
        // '__proto__' is refused by every operation's input check (a record would drop it silently)
        if (name === '__proto__') expect(r.errors?.[0]?.message).toContain("params: '__proto__' is not a name this server accepts");
        else {
          expect(r.errors?.[0]?.message).toContain(`has no parameter '${name}'`);
          expect(r.errors?.[0]?.message).toContain('beta, gamma, seedFraction');
        }
      }
    }
    expect(kit.store.list().total).toBe(0);
    await kit.close();
  });
});
