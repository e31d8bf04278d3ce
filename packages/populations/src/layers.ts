/**
 * The school and work layers: students grouped into classes by area and age,
 * employed people into workplaces by work area and industry with heavy-tailed
 * sizes. Both are built by counting sort over group keys (linear time).
 */
import { hashString, streamKey, uniformAt, type CsrNetwork } from '@populace/core';
import { groupLayer } from './csr-builders.js';
import { MAX_AGE, type CensusMarginals } from './marginals.js';
import type { PeopleArrays } from './people.js';
import { cumulative, sampleIndex, shuffleRange } from './sampling.js';
import { workplaceSizeLaw } from './workplace-sizes.js';

const STREAMS = {
  classes: hashString('populations/classes'),
  workArea: hashString('populations/work-area'),
  workOrder: hashString('populations/work-order'),
  workplaceSize: hashString('populations/workplace-size'),
} as const;

/**
 * Counting sort of the agents with a key (key < 0: left out): returns the agents ordered by key and
 * the start of each key's run.
 */
function groupByKey(agents: number, keys: number, keyOf: (i: number) => number): { members: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(keys + 1);
  let total = 0;
  for (let i = 0; i < agents; i++) {
    const k = keyOf(i);
    if (k >= 0) {
      starts[k + 1]!++;
      total++;
    }
  }
  for (let k = 0; k < keys; k++) starts[k + 1]! += starts[k]!;
  const cursor = starts.slice(0, keys);
  const members = new Int32Array(total);
  for (let i = 0; i < agents; i++) {
    const k = keyOf(i);
    if (k >= 0) members[cursor[k]!++] = i;
  }
  return { members, starts };
}

/** Number of classes for `n` students: about `classSize` each, never above 1.2 x classSize when avoidable. */
export function classCount(n: number, classSize: number): number {
  if (n === 0) return 0;
  const max = Math.ceil(classSize * 1.2);
  let classes = Math.max(1, Math.round(n / classSize));
  while (Math.ceil(n / classes) > max) classes++;
  return classes;
}

/** Students (student = 1) of the same area and age in random classes of about `classSize`; each class a clique. */
export function schoolLayer(people: PeopleArrays, classSize: number, weight: number, seed: number): CsrNetwork {
  const agents = people.age.length;
  const keys = (people.area.length === 0 ? 1 : maxOf(people.area) + 1) * (MAX_AGE + 1);
  const { members, starts } = groupByKey(agents, keys, (i) => (people.student[i] ? people.area[i]! * (MAX_AGE + 1) + people.age[i]! : -1));
  const shuffleKey = streamKey(seed, 0, STREAMS.classes);
  const classStarts = new Int32Array(members.length + 2);
  let classes = 0;
  for (let k = 0; k < keys; k++) {
    const start = starts[k]!;
    const n = starts[k + 1]! - start;
    if (n === 0) continue;
    shuffleRange(members, start, start + n, shuffleKey, start);
    const c = classCount(n, classSize);
    for (let j = 0; j < c; j++) classStarts[classes++] = start + Math.floor((j * n) / c);
  }
  classStarts[classes] = members.length;
  return groupLayer(agents, members, classStarts, classes, Number.MAX_SAFE_INTEGER, weight, 'school', `K-12 students in classes of about ${classSize} by area and age (cliques)`);
}

function maxOf(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return max;
}

/**
 * Employed people into workplaces: each worker's work area is drawn from the areas' establishment
 * shares and workplaces hold one industry; sizes follow the truncated power law fitted to the mean
 * workplace size. Workplaces of up to workContacts + 1 people are cliques, larger ones ring lattices
 * in which each worker meets workContacts coworkers.
 */
export function workLayer(people: PeopleArrays, marginals: CensusMarginals, workContacts: number, weight: number, seed: number): CsrNetwork {
  const agents = people.age.length;
  const industries = marginals.industries.length + 1;
  const workAreaCdf = cumulative(marginals.areas.map((a) => a.establishments));
  const areaKey = streamKey(seed, 0, STREAMS.workArea);
  const { members, starts } = groupByKey(agents, marginals.areas.length * industries, (i) => (people.employed[i] ? sampleIndex(workAreaCdf, uniformAt(areaKey, i)) * industries + people.industry[i]! : -1));
  const law = workplaceSizeLaw(marginals.meanWorkplaceSize, marginals.maxWorkplaceSize);
  const orderKey = streamKey(seed, 0, STREAMS.workOrder);
  const sizeKey = streamKey(seed, 0, STREAMS.workplaceSize);
  const workplaceStarts = new Int32Array(members.length + 2);
  let workplaces = 0;
  for (let k = 0; k < starts.length - 1; k++) {
    const start = starts[k]!;
    const end = starts[k + 1]!;
    shuffleRange(members, start, end, orderKey, start);
    for (let at = start; at < end; ) {
      workplaceStarts[workplaces] = at;
      at = Math.min(end, at + 1 + sampleIndex(law.cdf, uniformAt(sizeKey, workplaces)));
      workplaces++;
    }
  }
  workplaceStarts[workplaces] = members.length;
  return groupLayer(agents, members, workplaceStarts, workplaces, workContacts, weight, 'work', `employed people in workplaces (power-law sizes, mean ${marginals.meanWorkplaceSize.toFixed(1)}), at most ${workContacts} coworker contacts each`);
}
