import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EGG_FACTS } from './data.js';
import { CULL_PERIODS, dailyLayersLost, dayIndex, SERIES_DAYS } from './depopulation.js';
import { OBSERVED_PRICES } from './observed.js';

const file = JSON.parse(readFileSync(new URL('../data/h5n1-egg-supply.json', import.meta.url), 'utf8')) as Record<string, unknown> & { sources: { id: string }[] };
const at = (path: string): unknown => path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], file);
const sources = file.sources.map((s) => s.id);
const json = JSON.stringify(file);

describe('EGG_FACTS', () => {
  for (const [name, fact] of Object.entries(EGG_FACTS)) {
    it(`${name} equals data/h5n1-egg-supply.json at ${fact.path} and cites its source`, () => {
      expect(at(fact.path)).toEqual(fact.value);
      const parent = fact.path.split('.').slice(0, -1).join('.');
      const grand = parent.split('.').slice(0, -1).join('.');
      expect([at(`${parent}.source`), at(`${grand}.source`)]).toContain(fact.source);
    });
  }
});

describe('the default layersLost input', () => {
  it('adds up to the yearly depopulation totals of the data file', () => {
    const lost = dailyLayersLost();
    expect(lost).toHaveLength(SERIES_DAYS);
    const year = (y: number) => lost.slice(dayIndex(`${y}-01-01`), dayIndex(`${y + 1}-01-01`)).reduce((a, b) => a + b, 0);
    expect(year(2022)).toBeCloseTo(at('poultry.layersDepopulated.2022.hens') as number, -1);
    expect(year(2023)).toBeCloseTo((at('poultry.layersDepopulated.2023.novemberHens') as number) + (at('poultry.layersDepopulated.2023.decemberHens') as number), -1);
    expect(year(2024)).toBeCloseTo(at('poultry.layersDepopulated.2024.hens') as number, -1);
    expect(year(2025)).toBeCloseTo(at('poultry.layersDepopulated.2025.hens') as number, -1);
    const janToAug2024 = lost.slice(dayIndex('2024-01-01'), dayIndex('2024-09-01')).reduce((a, b) => a + b, 0);
    expect(janToAug2024).toBeCloseTo(at('poultry.layersDepopulated.2024.janToAug2024') as number, -1);
    expect(lost.slice(0, dayIndex('2022-02-08')).every((v) => v === 0)).toBe(true); // first commercial detection 8 Feb 2022
  });

  it('cites a listed source or says it is an assumption for every period', () => {
    for (const p of CULL_PERIODS) expect(p.source === 'assumption' || sources.includes(p.source), p.from).toBe(true);
  });

  it('observations cite listed sources and appear in the data file', () => {
    for (const list of Object.values(OBSERVED_PRICES)) {
      for (const o of list) {
        expect(sources).toContain(o.source);
        expect(json).toContain(String(o.value));
      }
    }
  });
});

describe('data/observed-prices.csv', () => {
  it('holds the retail and wholesale observations as calibrate reads them (step = day + 1)', async () => {
    const { observedSeries } = await import('./observed.js');
    const csv = readFileSync(new URL('../data/observed-prices.csv', import.meta.url), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('step,retailPrice,wholesalePrice');
    const steps = Number(csv.at(-1)!.split(',')[0]);
    const series = observedSeries(steps);
    const expected = ['step,retailPrice,wholesalePrice'];
    for (let d = 0; d < steps; d++) if (series.retailPrice![d] !== null || series.wholesalePrice![d] !== null) expected.push(`${d + 1},${series.retailPrice![d] ?? ''},${series.wholesalePrice![d] ?? ''}`);
    expect(csv).toEqual(expected);
  });
});
