import { describe, expect, it } from 'vitest';
import { examplePlugin } from './examples/plugin.js';
import { defineModel } from './model.js';
import { definePlugin } from './plugin.js';
import { definePopulation } from './population.js';
import { modelNeeds, populationFit } from './population-fit.js';
import { createRuntime } from './runtime.js';
import { defineSubstep } from './substep.js';

const noop = defineSubstep({ name: 'noop', reads: [], writes: [], transition: () => ({}) });
const farmsAndPeople = defineModel({
  id: 'farm-model',
  description: 'farms and people',
  state: {
    agents: {
      farms: { properties: { size: { dtype: 'float32', init: { attribute: 'size', fallback: 100 } } } },
      people: { properties: { age: { dtype: 'float32', init: { attribute: 'age' } }, x: { dtype: 'float32', init: () => 0 } } },
    },
    networks: { trade: { agents: 'farms' }, contacts: { agents: 'people', optional: true, description: 'without it: no contacts' } },
  },
  needs: { attributes: { people: { role: { description: 'worker or not', fallback: 'everyone works' } } } },
  substeps: [noop],
  metrics: {},
});
const build = () => ({ agents: { people: { count: 1 } } });
const people = definePopulation({ id: 'people', description: 'people', defaultAgents: 1, attributes: { people: { age: { description: 'age', kind: 'number' } } }, build });
const farms = definePopulation({ id: 'farms', description: 'farms', defaultAgents: 1, agentTypes: ['farms', 'people'], networks: ['trade'], attributes: { farms: {}, people: { age: { description: 'age', kind: 'number' } } }, build });
const ageless = definePopulation({ id: 'ageless', description: 'farms, people without ages', defaultAgents: 1, agentTypes: ['farms', 'people'], networks: ['trade'], attributes: { people: { role: { description: 'r', kind: 'id' } } }, build });

describe('what a model needs from a population', () => {
  it('reads agent types, attribute initialisers, networks and the needs declaration', () => {
    expect(modelNeeds(farmsAndPeople)).toEqual({
      agents: {
        farms: { agentType: 'farms', attributes: { size: { description: 'initial value of agents/farms/size', fallback: 'size starts at 100' } } },
        people: { agentType: 'people', attributes: { age: { description: 'initial value of agents/people/age', fallback: null }, role: { description: 'worker or not', fallback: 'everyone works' } } },
      },
      networks: { trade: { agents: 'farms', description: null, fallback: null }, contacts: { agents: 'people', description: 'without it: no contacts', fallback: 'without it: no contacts' } },
    });
  });

  it('names every missing part, and the optional ones it falls back on', () => {
    expect(populationFit(farmsAndPeople, people)).toEqual({ fits: false, missing: ["no agent type 'farms'", "no contact network 'trade'"], fallbacks: ["attribute 'role' of people: everyone works", "contact network 'contacts': without it: no contacts"] });
    expect(populationFit(farmsAndPeople, farms)).toMatchObject({ fits: true, fallbacks: ["attribute 'size' of farms: size starts at 100", "attribute 'role' of people: everyone works", "contact network 'contacts': without it: no contacts"] });
    expect(populationFit(farmsAndPeople, ageless).missing).toEqual(["no attribute 'age' of people (initial value of agents/people/age)"]);
  });

  it("refuses a population whose primary agent type the model does not simulate", () => {
    const sir = examplePlugin.models.find((m) => m.id === 'network-sir')!;
    expect(populationFit(sir, farms).missing).toEqual(["its agents are 'farms' (what the agent count counts) and the model simulates only 'people'", "no contact network 'contacts'"]);
  });

  it('is checked by createSimulation, with the populations that fit, and listed both ways', () => {
    const runtime = createRuntime({ plugins: [definePlugin({ name: 'f', version: '1.0.0', models: [farmsAndPeople], populations: [people, farms, ageless] })] });
    expect(() => runtime.createSimulation({ model: 'farm-model', population: 'people' })).toThrow("model 'f/farm-model' cannot run on population 'f/people': no agent type 'farms'; no contact network 'trade'. Populations that fit: f/farms.");
    expect(runtime.populationsFor('farm-model')).toEqual(['f/farms']);
    expect(runtime.modelsFor('farms')).toEqual(['f/farm-model']);
    expect(runtime.describeModel('farm-model').needs.agents.people!.attributes.role!.fallback).toBe('everyone works');
  });

  it('checks the declaration in defineModel', () => {
    const base = { id: 'm', description: 'm', state: { agents: { people: { properties: { x: { dtype: 'float32' as const, init: 0 } } } } }, substeps: [noop], metrics: {} };
    expect(() => defineModel({ ...base, needs: { attributes: { farms: {} } } })).toThrow(/needs\.attributes: expected agent types of the model's state \[people\], received "farms"/);
    expect(() => defineModel({ ...base, needs: { attributes: { people: { age: { description: '' } } } } })).toThrow(/needs\.attributes\.people\.age\.description: expected a non-empty string/);
    expect(() => defineModel({ ...base, needs: { layers: [] } as never })).toThrow(/needs: expected only the key attributes, received "layers"/);
  });
});
