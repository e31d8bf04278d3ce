/**
 * Loading a population from files: the manifest's agents table into typed
 * attribute arrays, its edge lists into CSR layers. Everything is checked
 * before anything is returned, so a bad file never yields a half-built
 * population.
 */
import { PopulaceError, type AttributeArray, type CsrNetwork, type HashedNetwork, type PopulationData } from '@populace/core';
import { CategorySink, GroupSink, IdSink, NumericSink, ReferenceSink, type ColumnSink } from './columns.js';
import { fileError } from './file-errors.js';
import { readManifest, type AttributeSpec, type EdgeListSpec, type ResolvedManifest } from './manifest.js';
import { readTable, type ColumnRequest, type TableFile } from './table-io.js';

const MAX_EDGES = 2 ** 31 - 1;

/** Row `target` of the CSR lists `source` (stable: rows keep the file's order). */
function edgesToCsr(agents: number, source: Int32Array, target: Int32Array, weights: Float32Array | undefined, symmetric: boolean, table: TableFile): { rowPtr: Int32Array; colIdx: Int32Array; weights?: Float32Array } {
  const rows = source.length;
  const total = symmetric ? 2 * rows : rows;
  if (total > MAX_EDGES) throw fileError({ file: table.display }, `at most ${MAX_EDGES} edges (int32 CSR indices)`, `${total}`);
  const rowPtr = new Int32Array(agents + 1);
  for (let e = 0; e < rows; e++) {
    rowPtr[target[e]! + 1]!++;
    if (symmetric) rowPtr[source[e]! + 1]!++;
  }
  for (let i = 0; i < agents; i++) rowPtr[i + 1]! += rowPtr[i]!;
  const cursor = rowPtr.slice(0, agents);
  const colIdx = new Int32Array(total);
  const w = weights ? new Float32Array(total) : undefined;
  for (let e = 0; e < rows; e++) {
    const to = cursor[target[e]!]!++;
    colIdx[to] = source[e]!;
    if (w) w[to] = weights![e]!;
    if (symmetric) {
      const back = cursor[source[e]!]!++;
      colIdx[back] = target[e]!;
      if (w) w[back] = weights![e]!;
    }
  }
  return w ? { rowPtr, colIdx, weights: w } : { rowPtr, colIdx };
}

async function loadEdges(spec: EdgeListSpec, table: TableFile, ids: IdSink | undefined, agents: number, agentsFile: string): Promise<ReturnType<typeof edgesToCsr>> {
  const source = new ReferenceSink(ids ?? { count: agents }, agentsFile);
  const target = new ReferenceSink(ids ?? { count: agents }, agentsFile);
  const weightColumn = spec.weight === false ? undefined : (spec.weight ?? 'weight');
  const weight = weightColumn === undefined ? undefined : new NumericSink('float32');
  const requests: ColumnRequest[] = [
    { name: spec.source ?? 'source', sink: source },
    { name: spec.target ?? 'target', sink: target },
    ...(weight && weightColumn ? [{ name: weightColumn, sink: weight, optional: spec.weight === undefined }] : []),
  ];
  const { rows, present } = await readTable(table, requests, { allowNoRows: true });
  const weights = weight && weightColumn && present.has(weightColumn) ? (weight.finish(rows) as Float32Array) : undefined;
  return edgesToCsr(agents, source.finish(rows), target.finish(rows), weights, spec.symmetric ?? false, table);
}

/** Loads a resolved manifest (see `readManifest`). */
export async function loadResolvedManifest(resolved: ResolvedManifest): Promise<PopulationData> {
  const spec = resolved.manifest.agents;
  const type = spec.type ?? 'people';
  const requests: ColumnRequest[] = [];
  const ids = spec.id === undefined ? undefined : new IdSink();
  if (ids && spec.id) requests.push({ name: spec.id, sink: ids });
  const sinks: [string, ColumnSink, readonly string[] | undefined][] = [];
  for (const [name, raw] of Object.entries(spec.attributes ?? {})) {
    const attr: AttributeSpec = typeof raw === 'string' ? { type: raw } : raw;
    const sink = attr.type === 'category' ? new CategorySink(attr.labels!) : new NumericSink(attr.type);
    sinks.push([name, sink, attr.type === 'category' ? attr.labels : undefined]);
    requests.push({ name: attr.column ?? name, sink });
  }
  const household = spec.household === undefined ? undefined : new GroupSink();
  if (household && spec.household) requests.push({ name: spec.household, sink: household });
  const areaSpec = typeof spec.area === 'string' ? { column: spec.area } : spec.area;
  const area = areaSpec === undefined ? undefined : areaSpec.labels ? new CategorySink(areaSpec.labels) : new GroupSink();
  if (area && areaSpec) requests.push({ name: areaSpec.column, sink: area });

  const { rows } = await readTable(resolved.agents, requests);
  const attributes: Record<string, AttributeArray> = {};
  const labels: Record<string, readonly string[]> = {};
  for (const [name, sink, sinkLabels] of sinks) {
    attributes[name] = (sink as NumericSink | CategorySink).finish(rows);
    if (sinkLabels) labels[name] = [...sinkLabels];
  }
  if (household) attributes.household = household.finish(rows).codes;
  if (area && areaSpec) {
    if (area instanceof CategorySink) {
      attributes.area = area.finish(rows);
      labels.area = [...areaSpec.labels!];
    } else {
      const { codes, labels: names } = area.finish(rows);
      if (names.length > 65536) throw fileError({ file: resolved.agents.display, column: areaSpec.column }, 'at most 65536 distinct areas', `${names.length}`);
      attributes.area = names.length <= 256 ? Uint8Array.from(codes) : Uint16Array.from(codes);
      labels.area = names;
    }
  }

  const networks: Record<string, CsrNetwork | HashedNetwork> = {};
  for (const layer of resolved.networks) {
    if (layer.table === undefined) {
      const { degree, key } = layer.spec.hashed;
      if (rows * degree > 2 ** 32) throw fileError({ file: resolved.file }, `networks.${layer.name}.hashed.degree to be at most ${Math.floor(2 ** 32 / rows)} for ${rows} agents`, `${degree}`);
      networks[layer.name] = { kind: 'hashed', agents: type, degree, key, ...(layer.spec.description ? { description: layer.spec.description } : {}) };
      continue;
    }
    const csr = await loadEdges(layer.spec, layer.table, ids, rows, resolved.agents.display);
    networks[layer.name] = { kind: 'csr', agents: type, ...csr, ...(layer.spec.description ? { description: layer.spec.description } : {}) };
  }
  return {
    agents: { [type]: { count: rows, attributes, labels } },
    ...(resolved.networks.length > 0 ? { networks } : {}),
  };
}

/**
 * Loads a population from a manifest file (JSON or YAML) and the CSV/Parquet files it names.
 * Throws a PopulaceError (code `invalid-argument`) naming the file, row, column, expected and
 * received value for a missing column, a wrong type, a value outside its category list, an edge to
 * an agent that does not exist, an empty file or a duplicate agent id.
 *
 * @example
 * ```ts
 * const data = await loadPopulationManifest('my-city/population.yaml');
 * data.agents.people.count;
 * ```
 */
export async function loadPopulationManifest(file: string | URL): Promise<PopulationData> {
  if (!(file instanceof URL) && (typeof file !== 'string' || file.trim() === '')) {
    throw new PopulaceError('invalid-argument', `loadPopulationManifest: expected the path of a .json or .yaml manifest, received ${JSON.stringify(file)}.`);
  }
  return loadResolvedManifest(readManifest(file));
}
