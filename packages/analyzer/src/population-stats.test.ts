import type { AgentTable, PopulaceError } from '@populace/core';
import type { ServerKit } from '@populace/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsLookOrdered, rangeStart } from './attribute-columns.js';
import { removeTempDirs, testKit } from './analyzer.fixture.js';
import { populationStats } from './population-stats.js';

const AGENTS = 5000;
const SEED = 3;
let kit: ServerKit;
let people: AgentTable;

beforeAll(async () => {
  kit = testKit({ maxAgents: 50_000 });
  // the reference: the population built directly, statistics computed here by plain loops
  people = (await kit.runtime.populations.get('nyc').definition.build({ agents: AGENTS, seed: SEED })).agents.people!;
});
afterAll(async () => {
  await kit.close();
  removeTempDirs();
});

const attr = (name: string) => people.attributes![name]!;
const labels = (name: string) => people.labels![name]!;
const indices = (pred: (i: number) => boolean) => [...Array(people.count).keys()].filter(pred);

async function rejects(input: unknown, code: string, ...fragments: string[]): Promise<PopulaceError> {
  const error = (await populationStats(kit, input as never).then(
    () => undefined,
    (e: unknown) => e,
  )) as PopulaceError;
  expect(error, `expected a ${code} error`).toBeDefined();
  expect(error.code).toBe(code);
  for (const f of fragments) expect(error.message).toContain(f);
  return error;
}

describe('populationStats', () => {
  it('answers "which age group has the lowest median income?" as a direct computation does', async () => {
    const s = await populationStats(kit, { population: 'nyc', agents: AGENTS, seed: SEED, groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['median'] }] });
    const band = attr('ageBand');
    const income = attr('income');
    const incomeLabels = labels('income');
    const reference = labels('ageBand').flatMap((label, code) => {
      const codes = indices((i) => band[i] === code)
        .map((i) => income[i]!)
        .sort((a, b) => a - b);
      if (codes.length === 0) return [];
      const n = codes.length;
      const lower = codes[Math.ceil(n / 2) - 1]!; // the lower median
      const below = codes.filter((c) => c < lower).length;
      const at = codes.filter((c) => c === lower).length;
      return [{ label, n, median: incomeLabels[lower]!, position: lower + (n / 2 - below) / at }];
    });
    expect(s.rows.map((r) => r.group.ageBand)).toEqual(reference.map((r) => r.label));
    for (const [k, row] of s.rows.entries()) {
      expect(row.count).toBe(reference[k]!.n);
      expect(row.measures.income!.median).toBe(reference[k]!.median);
      expect(row.measures.income!.medianPosition).toBeCloseTo(reference[k]!.position, 12);
    }
    const lowest = [...reference].sort((a, b) => a.position - b.position)[0]!;
    expect(s.ranking).not.toBeNull();
    expect(s.ranking!.lowest.group).toEqual({ ageBand: lowest.label });
    expect(s.ranking!.lowest.label).toBe(lowest.median);
    expect(s.ranking!.entries.map((e) => e.value)).toEqual([...reference.map((r) => r.position)].sort((a, b) => a - b).map((v) => expect.closeTo(v, 12)));
    expect(s.attributes.income).toMatchObject({ kind: 'category', ordered: true });
    expect(s.total).toBe(AGENTS);
  });

  it('counts, shares and number statistics per group with filters match plain loops', async () => {
    const s = await populationStats(kit, {
      population: 'nyc',
      agents: AGENTS,
      seed: SEED,
      groupBy: ['area'],
      where: { employed: 'employed', age: { min: 18, max: 64 } },
      measures: [
        { attribute: 'age', stats: ['count', 'mean', 'median', 'min', 'max', 'sum', 'share'] },
        { attribute: 'sex', stats: ['count', 'share', 'mode'] },
      ],
    });
    const area = attr('area');
    const age = attr('age');
    const sex = attr('sex');
    const employed = attr('employed');
    const kept = indices((i) => employed[i] === 1 && age[i]! >= 18 && age[i]! <= 64);
    expect(s.total).toBe(kept.length);
    const totalAge = kept.reduce((a, i) => a + age[i]!, 0);
    for (const row of s.rows) {
      const code = labels('area').indexOf(row.group.area!);
      const members = kept.filter((i) => area[i] === code);
      const ages = members.map((i) => age[i]!).sort((a, b) => a - b);
      const n = ages.length;
      const sum = ages.reduce((a, b) => a + b, 0);
      expect(row.count).toBe(n);
      expect(row.share).toBeCloseTo(n / kept.length, 12);
      const m = row.measures.age!;
      expect(m).toMatchObject({ count: n, sum, min: ages[0], max: ages[n - 1] });
      expect(m.mean).toBeCloseTo(sum / n, 10);
      expect(m.median).toBe(n % 2 ? ages[(n - 1) / 2] : (ages[n / 2 - 1]! + ages[n / 2]!) / 2);
      expect(m.share).toBeCloseTo(sum / totalAge, 12);
      const females = members.filter((i) => sex[i] === 0).length;
      expect(row.measures.sex!.count).toEqual({ female: females, male: n - females });
      expect((row.measures.sex!.share as Record<string, number>).female).toBeCloseTo(females / n, 12);
      expect(row.measures.sex!.mode).toBe(females >= n - females ? 'female' : 'male');
    }
    expect(s.rows.reduce((a, r) => a + r.count, 0)).toBe(kept.length);
    expect(s.where).toEqual({ employed: { labels: ['employed'] }, age: { min: 18, max: 64 } });
    expect(s.ranking).toBeNull(); // several statistics: no ranking
  });

  it('groups numbers into bins and by two attributes, and ranks a single number statistic', async () => {
    const s = await populationStats(kit, { population: 'nyc', agents: AGENTS, seed: SEED, groupBy: ['age', 'sex'], bins: { age: [0, 18, 65, 101] }, where: { area: ['bronx', 'queens'] }, measures: [{ attribute: 'age', stats: ['mean'] }], order: 'descending' });
    const age = attr('age');
    const sex = attr('sex');
    const area = attr('area');
    const inAreas = (i: number) => area[i] === labels('area').indexOf('bronx') || area[i] === labels('area').indexOf('queens');
    const edges = [0, 18, 65, 101];
    const expected = [];
    for (let b = 0; b < 3; b++) {
      for (let x = 0; x < 2; x++) {
        const members = indices((i) => inAreas(i) && sex[i] === x && age[i]! >= edges[b]! && age[i]! < edges[b + 1]!);
        if (members.length > 0) expected.push({ group: { age: `[${edges[b]}, ${edges[b + 1]})`, sex: labels('sex')[x]! }, count: members.length, mean: members.reduce((a, i) => a + age[i]!, 0) / members.length });
      }
    }
    expect(s.rows.map((r) => ({ group: r.group, count: r.count }))).toEqual(expected.map((e) => ({ group: e.group, count: e.count })));
    expect(s.outsideBins).toBe(0);
    const best = [...expected].sort((a, b) => b.mean - a.mean)[0]!;
    expect(s.ranking!.order).toBe('descending');
    expect(s.ranking!.highest.group).toEqual(best.group);
    expect(s.ranking!.highest.value).toBeCloseTo(best.mean, 10);
    expect(s.ranking!.entries[0]!.rank).toBe(1);
  });

  it('is deterministic per seed and counts agents outside the bins', async () => {
    const input = { population: 'well-mixed', agents: 3000, seed: 9, groupBy: ['age'], bins: { age: [20, 40] }, measures: [{ attribute: 'income', stats: ['mode' as const] }] };
    const a = await populationStats(kit, input);
    const b = await populationStats(kit, input);
    expect(a).toEqual(b);
    expect(a.rows).toHaveLength(1);
    expect(a.rows[0]!.count + a.outsideBins).toBe(3000);
    expect(a.notes.join(' ')).toContain('outside the bins');
  });

  it('tells which labels look ordered', () => {
    expect(labelsLookOrdered(['<10k', '10-15k', '15-25k', '200k+'])).toBe(true);
    expect(labelsLookOrdered(['0-4', '5-9', '85+'])).toBe(true);
    expect(labelsLookOrdered(['female', 'male'])).toBe(false);
    expect(labelsLookOrdered(['10-15k', '<10k'])).toBe(false);
    expect(rangeStart('10-15k')).toBe(10_000);
    expect(rangeStart('85+')).toBe(85);
  });

  it('rejects bad inputs with what was expected and how to fix it', async () => {
    const unknown = await rejects({ population: 'atlantis' }, 'unknown-id', 'atlantis', 'populations/nyc');
    expect(unknown.details.known).toContain('populations/well-mixed');
    await rejects({ population: 'nyc', agents: 1000, groupBy: ['agegroup'] }, 'invalid-argument', "'agegroup'", 'Known attributes', 'ageBand (category)', 'income (category)');
    await rejects({ population: 'nyc', agents: 1000, measures: [{ attribute: 'wealth', stats: ['mean'] }] }, 'invalid-argument', 'measures[0].attribute', "'wealth'");
    await rejects({ population: 'nyc', agents: 1000, groupBy: ['age'] }, 'invalid-argument', "groupBy 'age' is a number attribute", 'bins: { age:');
    await rejects({ population: 'nyc', agents: 1000, groupBy: ['ageBand'], measures: [{ attribute: 'income', stats: ['average'] }] }, 'invalid-argument', 'measures[0].stats[0]', '"average"', 'median');
    await rejects({ population: 'nyc', agents: 1000, measures: [{ attribute: 'sex', stats: ['median'] }] }, 'invalid-argument', 'unordered category', "ordered: ['sex']");
    await rejects({ population: 'nyc', agents: 1000, measures: [{ attribute: 'sex', stats: ['mean'] }] }, 'invalid-argument', 'mean');
    await rejects({ population: 'nyc', agents: 60_000 }, 'limit-exceeded', '60,000', 'maxAgents');
    await rejects({ population: 'nyc', agents: 1000, where: { area: 'bronxx' } }, 'invalid-argument', "Did you mean 'bronx'");
    await rejects({ population: 'nyc', agents: 1000, groupBy: ['household'] }, 'invalid-argument', 'id attribute');
    await rejects({ population: 'nyc', agents: 1000, groupBy: ['ageBand'], bins: { ageBand: [0, 5] } }, 'invalid-argument', 'bins apply to number attributes');
    await rejects({ population: 'nyc', agents: 1000, groupBy: ['age'], bins: { age: [10, 5] } }, 'invalid-argument', 'increasing order');
    await rejects({ population: 'nyc', agents: 1000, groupby: ['ageBand'] }, 'invalid-argument', 'groupby');
    await rejects({ population: 'nyc', agents: 1000, agentType: 'robots' }, 'invalid-argument', "agentType 'robots'", 'people');
    await rejects({ population: 'nyc', agents: 1000, measures: [{ attribute: 'age', stats: ['mean'] }, { attribute: 'age', stats: ['max'] }] }, 'invalid-argument', 'more than once');
  });
});
