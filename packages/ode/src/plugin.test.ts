/**
 * The ode plugin passes core's conformance suite (determinism, no leaked tensors, gradients
 * against finite differences) and contributes its ODE components to a runtime's registry.
 */
import { createRuntime } from '@populace/core';
import { examplePlugin } from '@populace/core/examples';
import { checkPluginConformance } from '@populace/core/testing';
import { describe, expect, it } from 'vitest';
import ode, { isOdeComponent, plugin } from './index.js';

describe('the ode plugin', () => {
  it('passes the conformance suite of @populace/core', async () => {
    const report = await checkPluginConformance(plugin, {
      steps: 4,
      agents: 400,
      requires: [examplePlugin],
      populations: { 'ode/flu-network': 'example/random-graph' },
      gradients: {
        // 5% seeded, so that 400 agents have infections whose viral ODEs the gradients pass through
        'ode/flu-network': { params: { seedFraction: 0.05 }, steps: 4 },
      },
    });
    expect(report.failures).toEqual([]);
    expect(report.checks.length).toBeGreaterThan(5);
  }, 180_000);

  it('is the default export and registers its models and ODE components under ode/', () => {
    expect(ode).toBe(plugin);
    const runtime = createRuntime({ plugins: [plugin] });
    expect(runtime.models.ids()).toEqual(['ode/sir', 'ode/seir', 'ode/flu-network']);
    expect(runtime.odeComponents.ids()).toEqual(['ode/sir', 'ode/seir', 'ode/viral-tcl']);
    const viral = runtime.odeComponents.get('viral-tcl').definition;
    expect(isOdeComponent(viral)).toBe(true);
  });
});
