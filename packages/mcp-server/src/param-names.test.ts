/**
 * Parameter names sent over MCP are own names: Object.prototype's
 * (constructor, toString, valueOf, hasOwnProperty) are refused with the valid
 * ones, as a tool error, and no run is recorded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { callError, connectedClient, removeTempDirs, SIR } from './mcp.fixture.js';

afterAll(removeTempDirs);

describe('MCP parameter names', () => {
  it('run_simulation with params named like Object.prototype members is refused with the valid names', async () => {
    const { kit, client, close } = await connectedClient();
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty']) {
      const text = await callError(client, 'run_simulation', { ...SIR, steps: 2, params: { [name]: 1 } });
      expect(text).toContain(`has no parameter '${name}'`);
      expect(text).toContain('beta, gamma, seedFraction');
    }
    expect(kit.store.list().total).toBe(0);
    await close();
    await kit.close();
  });
});
