import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { H5N1_FACTS } from './data.js';

const file = JSON.parse(readFileSync(new URL('../../data/h5n1-egg-supply.json', import.meta.url), 'utf8')) as Record<string, unknown> & { sources: { id: string }[] };

function at(path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], file);
}

describe('H5N1_FACTS', () => {
  for (const [name, fact] of Object.entries(H5N1_FACTS)) {
    it(`${name} equals data/h5n1-egg-supply.json at ${fact.path} and cites a listed source`, () => {
      expect(at(fact.path)).toEqual(fact.value);
      expect(file.sources.map((s) => s.id)).toContain(fact.source);
      // the value sits in a record citing that source (or its parent does)
      const parent = fact.path.split('.').slice(0, -1).join('.');
      const grand = parent.split('.').slice(0, -1).join('.');
      expect([at(`${parent}.source`), at(`${grand}.source`)]).toContain(fact.source);
    });
  }
});
