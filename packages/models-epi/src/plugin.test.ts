/**
 * The epi plugin passes core's conformance suite, and its models run on the
 * example populations of core and without a population.
 */
import { checkPluginConformance } from '@populace/core/testing';
import { describe, expect, it } from 'vitest';
import epi, { plugin } from './index.js';

describe('the epi plugin', () => {
  it('passes the conformance suite of @populace/core', async () => {
    // Without a population the contact-layer weights (and h5n1's human-to-human rate, which needs a
    // human contact network) do not act; nor does hospitalDeathDays at 300 agents (no fatal case).
    const layers = ['householdWeight', 'schoolWeight', 'workWeight', 'communityWeight', 'contactsWeight'];
    const report = await checkPluginConformance(plugin, {
      steps: 3,
      agents: 300,
      gradients: {
        'epi/sir': { inert: layers },
        'epi/seir': { inert: layers },
        'epi/covid': { inert: [...layers, 'hospitalDeathDays'], steps: 20 },
        'epi/h5n1': { inert: ['humanToHumanRate'], steps: 10, params: { seedFarms: 10, farmToFarmRate: 0.03, spilloverRate: 0.05 } },
      },
    });
    expect(report.failures).toEqual([]);
    expect(report.checks.length).toBeGreaterThan(6);
  }, 120_000);

  it('is the default export and lists epi/sir, epi/seir and epi/covid', () => {
    expect(epi).toBe(plugin);
    expect(plugin.name).toBe('epi');
    expect(plugin.models.map((m) => m.id)).toEqual(expect.arrayContaining(['sir', 'seir', 'covid']));
  });
});
