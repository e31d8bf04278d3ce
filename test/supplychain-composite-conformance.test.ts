/**
 * A composite of epi/h5n1 and supplychain/eggs declared in code (defineComposite) and
 * contributed by a plugin passes core's plugin conformance suite like any model: it runs
 * deterministically, leaks no tensors, and its learnable parameters of both members get gradients.
 * Needs the builds of core, models-epi and models-supplychain.
 */
import { defineComposite, definePlugin } from '@populace/core';
import { checkPluginConformance } from '@populace/core/testing';
import { h5n1 } from '@populace/models-epi';
import { eggs } from '@populace/models-supplychain';
import { describe, expect, it } from 'vitest';

describe('defineComposite(h5n1, eggs) in a plugin', () => {
  it('passes the plugin conformance suite', async () => {
    const outbreakPrices = defineComposite({ id: 'h5n1-eggs', members: { h5n1, eggs }, links: [{ from: 'h5n1.birdsCulled', to: 'eggs.layersLost' }] });
    expect(Object.keys(outbreakPrices.inputs ?? {})).toEqual([]);
    const plugin = definePlugin({ name: 'together', version: '0.0.0', models: [outbreakPrices] });
    const params = { 'h5n1.seedFarms': 10, 'h5n1.farmToFarmRate': 0.05, 'h5n1.startDay': 60 };
    const report = await checkPluginConformance(plugin, {
      steps: 5,
      agents: 40,
      gradients: { 'together/h5n1-eggs': { steps: 30, params, inert: ['h5n1.humanToHumanRate', 'h5n1.spilloverRate', 'h5n1.humanRecovery', 'eggs.seasonalDemand'] } },
    });
    expect(report.failures, JSON.stringify(report.failures)).toEqual([]);
  }, 120_000);
});
