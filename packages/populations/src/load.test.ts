/**
 * Loading populations from files: round trips through CSV and Parquet, hand-written YAML manifests,
 * and one test per kind of bad input, each checking the file, row, column, expected and received.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { PopulaceError, type CsrNetwork } from '@populace/core';
import { loadPopulationManifest } from './load.js';
import { nycMarginals } from './nyc-data.js';
import { synthesizePopulation } from './synthesize.js';
import { writePopulation } from './write.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'populace-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A fresh directory with the given files; returns the path of `manifest` in it. */
function project(files: Record<string, string>, manifest = 'population.yaml'): string {
  const dir = path.join(root, `p${counter++}`);
  mkdirSync(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return path.join(dir, manifest);
}

const MANIFEST = `
agents:
  file: people.csv
  id: id
  household: hh
  area: borough
  attributes:
    age: uint8
    sex: { type: category, labels: [female, male] }
    score: { type: float32, column: points }
networks:
  household: { file: household.csv, symmetric: true }
`;
const PEOPLE = 'id,hh,borough,age,sex,points\nP7,h-b,queens,34,female,1.5\nP3,h-a,bronx,8,1,2\nP9,h-b,queens,71,male,-0.25\n';
const EDGES = 'source,target\nP7,P9\n';

/** Same keys, same typed-array classes, same bytes (fast for large arrays). */
function expectSameData(actual: unknown, expected: unknown, at = 'data'): void {
  if (ArrayBuffer.isView(expected)) {
    expect((actual as object)?.constructor, at).toBe(expected.constructor);
    const a = actual as Uint8Array;
    const e = expected as Uint8Array;
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(e.buffer, e.byteOffset, e.byteLength)), at).toBe(true);
  } else if (typeof expected === 'object' && expected !== null) {
    expect(Object.keys(actual as object).sort(), at).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expectSameData((actual as Record<string, unknown>)[k], v, `${at}.${k}`);
  } else expect(actual, at).toEqual(expected);
}

describe('round trip: synthesize -> write -> load', () => {
  const data = synthesizePopulation(nycMarginals(), { agents: 3000, seed: 9 });
  it.each(['csv', 'parquet'] as const)('gives the same population through %s', async (format) => {
    const manifest = writePopulation(data, path.join(root, `rt-${format}`), { format, description: 'round trip' });
    const loaded = await loadPopulationManifest(manifest);
    expectSameData(loaded, data);
  });
  it('keeps hashed layers by their parameters', async () => {
    const hashed = synthesizePopulation(nycMarginals(), { agents: 500, seed: 9, communityContacts: 'hashed', communityDegree: 6 });
    const loaded = await loadPopulationManifest(writePopulation(hashed, path.join(root, 'rt-hashed')));
    expect(loaded.networks!.community).toEqual({ kind: 'hashed', agents: 'people', degree: 6, key: (hashed.networks!.community as { key: number }).key, description: hashed.networks!.community!.description });
    expectSameData(loaded, hashed);
  });
  it('refuses populations it cannot write', () => {
    expect(() => writePopulation({ agents: { a: { count: 1 }, b: { count: 1 } } }, path.join(root, 'x'))).toThrow(/exactly one agent type, received 2 \(a, b\)/);
    expect(() => writePopulation(data, path.join(root, 'y'), { format: 'xlsx' as never })).toThrow(/expected format 'csv' or 'parquet', received "xlsx"/);
  });
});

describe('a hand-written YAML manifest', () => {
  it('maps ids, household and area columns, category labels and symmetric edges', async () => {
    const data = await loadPopulationManifest(project({ 'population.yaml': MANIFEST, 'people.csv': PEOPLE, 'household.csv': EDGES }));
    const people = data.agents.people!;
    expect(people.count).toBe(3);
    expect(people.attributes).toEqual({
      age: Uint8Array.from([34, 8, 71]),
      sex: Uint8Array.from([0, 1, 1]),
      score: Float32Array.from([1.5, 2, -0.25]),
      household: Int32Array.from([0, 1, 0]),
      area: Uint8Array.from([0, 1, 0]),
    });
    expect(people.labels).toEqual({ sex: ['female', 'male'], area: ['queens', 'bronx'] });
    const household = data.networks!.household as CsrNetwork;
    expect([...household.rowPtr]).toEqual([0, 1, 1, 2]);
    expect([...household.colIdx]).toEqual([2, 0]);
    expect(household.weights).toBeUndefined();
  });
  it('uses row numbers as agent ids when there is no id column, and reads weights', async () => {
    const data = await loadPopulationManifest(
      project({ 'population.json': JSON.stringify({ agents: { file: 'a.csv', attributes: { age: 'uint8' } }, networks: { c: { file: 'c.csv' } } }), 'a.csv': 'age\n1\n2\n', 'c.csv': 'source,target,weight\n1,0,0.5\n' }, 'population.json'),
    );
    const c = data.networks!.c as CsrNetwork;
    expect([...c.rowPtr]).toEqual([0, 1, 1]);
    expect([...c.weights!]).toEqual([0.5]);
  });
});

/** Expects a PopulaceError whose message matches and whose details name file, row and column. */
async function expectFileError(manifest: string, message: RegExp, details: Record<string, unknown> = {}): Promise<void> {
  const error = await loadPopulationManifest(manifest).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(PopulaceError.isInstance(error), String(error)).toBe(true);
  expect((error as PopulaceError).code).toBe('invalid-argument');
  expect((error as PopulaceError).message).toMatch(message);
  expect((error as PopulaceError).details).toMatchObject(details);
}

describe('bad files give precise errors (file, row, column, expected, received)', () => {
  const files = (edit: Record<string, string>): string => project({ 'population.yaml': MANIFEST, 'people.csv': PEOPLE, 'household.csv': EDGES, ...edit });

  it('a missing required column', async () => {
    await expectFileError(files({ 'people.csv': 'id,hh,borough,sex,points\nP7,h,q,female,1\n' }), /people\.csv, column 'age': expected a column named 'age', received the columns \[id, hh, borough, sex, points\]/, { column: 'age' });
    await expectFileError(files({ 'household.csv': 'from,target\nP7,P9\n' }), /household\.csv, column 'source': expected a column named 'source'/);
  });

  it('a wrong type', async () => {
    await expectFileError(files({ 'people.csv': PEOPLE.replace('8,1,2', 'eight,1,2') }), /people\.csv, row 2 \(line 3\), column 'age': expected an integer in \[0, 255\] \(uint8\), received "eight"/, { row: 2, line: 3, column: 'age', received: '"eight"' });
    await expectFileError(files({ 'people.csv': PEOPLE.replace('71,male', '300,male') }), /row 3 \(line 4\), column 'age': expected an integer in \[0, 255\] \(uint8\), received "300"/);
    await expectFileError(files({ 'people.csv': PEOPLE.replace('-0.25', '') }), /row 3 \(line 4\), column 'points': expected a finite number \(float32\), received an empty value/);
  });

  it('a value outside its category list', async () => {
    await expectFileError(files({ 'people.csv': PEOPLE.replace('34,female', '34,other') }), /row 1 \(line 2\), column 'sex': expected a category code in \[0, 1\] or one of the labels \["female", "male"\], received "other"/, { column: 'sex' });
    await expectFileError(files({ 'people.csv': PEOPLE.replace('8,1,2', '8,2,2') }), /row 2 \(line 3\), column 'sex': expected a category code in \[0, 1\]/);
  });

  it('an edge to an agent that does not exist', async () => {
    await expectFileError(files({ 'household.csv': 'source,target\nP7,P9\nP3,P99\n' }), /household\.csv, row 2 \(line 3\), column 'target': expected the id of an agent in .*people\.csv, received "P99", which is no agent/, { row: 2, column: 'target' });
  });

  it('an empty file', async () => {
    await expectFileError(files({ 'people.csv': '' }), /people\.csv: expected a header line naming the columns, then the rows, received an empty file/);
    await expectFileError(files({ 'people.csv': 'id,hh,borough,age,sex,points\n' }), /people\.csv: expected at least one row after the header, received only the header/);
    await expectFileError(files({ 'household.csv': '' }), /household\.csv: expected a header line/);
    await expectFileError(files({ 'population.yaml': '  \n' }), /population\.yaml: expected a JSON or YAML manifest, received an empty file/);
  });

  it('a duplicate agent id', async () => {
    await expectFileError(files({ 'people.csv': PEOPLE + 'P3,h-c,bronx,40,male,1\n' }), /row 4 \(line 5\), column 'id': expected a unique agent id, received "P3", already the id of row 2/, { row: 4, column: 'id' });
  });

  it('a row with the wrong number of fields', async () => {
    await expectFileError(files({ 'people.csv': PEOPLE + 'P4,h,bronx,40,male,1,extra\n' }), /people\.csv, row 4 \(line 5\): expected 6 fields, as in the header, received 7/);
  });

  it('bad manifests: unknown keys, types, missing files, syntax', async () => {
    await expectFileError(files({ 'population.yaml': MANIFEST.replace('attributes:', 'attribtues:') }), /expected agents\.attribtues to be one of the keys \[.*\], received "attribtues"\. Did you mean 'attributes'\?/);
    await expectFileError(files({ 'population.yaml': MANIFEST.replace('age: uint8', 'age: int64') }), /expected agents\.attributes\.age to be one of uint8, uint16, int32, float32, float64/);
    await expectFileError(files({ 'population.yaml': MANIFEST.replace('{ type: category, labels: [female, male] }', '{ type: category }') }), /expected agents\.attributes\.sex\.labels to be a list of 1 to 65536 labels/);
    await expectFileError(files({ 'population.yaml': MANIFEST.replace('household.csv', 'missing.csv') }), /expected networks\.household\.file to be an existing file, received ".*missing\.csv"\. Paths are relative to the manifest\./);
    await expectFileError(files({ 'population.yaml': 'agents: [unclosed' }), /population\.yaml: expected valid YAML, received a syntax error/);
    await expectFileError(path.join(root, 'nope.yaml'), /nope\.yaml: expected a readable manifest file, received no such file/);
  });

  it('never returns a half-built population: a bad edge file fails the whole load', async () => {
    const manifest = files({ 'household.csv': 'source,target\nP7,P9\nP7,nobody\n' });
    await expect(loadPopulationManifest(manifest)).rejects.toThrow(/no agent/);
  });
});

describe('bad Parquet files', () => {
  const parquetProject = (columns: { name: string; data: unknown[]; type: 'INT32' | 'STRING' | 'FLOAT' }[]): string => {
    const manifest = project({ 'population.yaml': 'agents:\n  file: people.parquet\n  id: id\n  attributes:\n    age: uint8\n' });
    parquetWriteFile({ filename: path.join(path.dirname(manifest), 'people.parquet'), columnData: columns as never });
    return manifest;
  };
  it('a wrong type, a missing column, a duplicate id, no rows, not Parquet', async () => {
    await expectFileError(parquetProject([{ name: 'id', data: [0, 1], type: 'INT32' }, { name: 'age', data: ['30', 'old'], type: 'STRING' }]), /people\.parquet, row 2, column 'age': expected an integer in \[0, 255\] \(uint8\), received "old"/, { row: 2, column: 'age' });
    await expectFileError(parquetProject([{ name: 'id', data: [0, 1], type: 'INT32' }]), /people\.parquet, column 'age': expected a column named 'age', received the columns \[id\]/);
    await expectFileError(parquetProject([{ name: 'id', data: [5, 5], type: 'INT32' }, { name: 'age', data: [1, 2], type: 'INT32' }]), /row 2, column 'id': expected a unique agent id, received 5, already the id of row 1/);
    await expectFileError(parquetProject([{ name: 'id', data: [], type: 'INT32' }, { name: 'age', data: [], type: 'INT32' }]), /people\.parquet: expected at least one row, received a table with no rows/);
    const notParquet = project({ 'population.yaml': 'agents:\n  file: people.parquet\n  attributes:\n    age: uint8\n', 'people.parquet': 'age\n1\n' });
    await expectFileError(notParquet, /people\.parquet: expected a Parquet file, received unreadable data/);
  });
});
