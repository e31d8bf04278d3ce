import { describe, expect, expectTypeOf, it } from 'vitest';
import { createRuntime, type PopulationIdOf } from '@populace/core';
import { plugin } from './plugin.js';

describe('typed population ids', () => {
  it('infers the literal ids of the plugin, full and bare', () => {
    type Ids = PopulationIdOf<[typeof plugin]>;
    expectTypeOf<'populations/nyc:queens'>().toMatchTypeOf<Ids>();
    expectTypeOf<'well-mixed'>().toMatchTypeOf<Ids>();
    expectTypeOf<'nyc:harlem'>().not.toMatchTypeOf<Ids>();
    const runtime = createRuntime({ plugins: [plugin], backend: 'cpu' });
    expect(runtime.describePopulation('nyc:queens').id).toBe('populations/nyc:queens');
  });
});
