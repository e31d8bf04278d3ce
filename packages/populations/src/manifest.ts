/**
 * The manifest of a population stored in files: a JSON or YAML document that
 * names the agents table (CSV or Parquet), its attribute columns with their
 * types and category labels, optional id/household/area columns, and an
 * optional edge-list file per contact layer.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest, type PopulationFileAccess } from '@populace/core';
import { parse as parseYaml } from 'yaml';
import { NUMERIC_TYPES, type NumericType } from './columns.js';
import { fileError, showValue } from './file-errors.js';
import { TABLE_FORMATS, type TableFile, type TableFormat } from './table-io.js';

/** An attribute column: a numeric dtype, or `category` with its labels (cells hold codes or labels). */
export interface AttributeSpec {
  readonly type: NumericType | 'category';
  /** Column name (default: the attribute's name). */
  readonly column?: string;
  /** Category labels; code i means labels[i]. Required for `category`. */
  readonly labels?: readonly string[];
}

/** The agents table. */
export interface AgentsSpec {
  /** Agent type (default `people`). */
  readonly type?: string;
  readonly file: string;
  /** `csv` or `parquet` (default: from the file extension). */
  readonly format?: TableFormat;
  /** Column of unique agent ids that edge lists refer to (default: edges use 0-based row numbers). */
  readonly id?: string;
  /** Column of household ids; becomes the `household` attribute (Int32Array, ids 0..H-1). */
  readonly household?: string;
  /** Column of areas; becomes the categorical `area` attribute (labels: given, or the distinct values). */
  readonly area?: string | { readonly column: string; readonly labels?: readonly string[] };
  /** Attribute name -> its column spec (or just its numeric type). */
  readonly attributes?: Readonly<Record<string, AttributeSpec | NumericType>>;
}

/** A stored layer: an edge list where `source` can infect `target` (row `target` of the CSR lists `source`). */
export interface EdgeListSpec {
  readonly file: string;
  readonly format?: TableFormat;
  /** Column names (defaults `source`, `target`). */
  readonly source?: string;
  readonly target?: string;
  /** Weight column: a name, or false for none (default: `weight` when the file has it). */
  readonly weight?: string | false;
  /** Each row adds both directions (default false). */
  readonly symmetric?: boolean;
  /** What the layer is (kept as the network's description). */
  readonly description?: string;
}

/** A layer that is never stored: HashedNetwork parameters. */
export interface HashedLayerSpec {
  readonly hashed: { readonly degree: number; readonly key: number };
  readonly description?: string;
}

/** A population manifest. */
export interface PopulationManifest {
  readonly description?: string;
  readonly agents: AgentsSpec;
  readonly networks?: Readonly<Record<string, EdgeListSpec | HashedLayerSpec>>;
}

/** A manifest with its file resolved: paths absolute, formats known. */
export interface ResolvedManifest {
  readonly file: string;
  readonly manifest: PopulationManifest;
  readonly agents: TableFile;
  readonly networks: readonly ({ name: string; spec: EdgeListSpec; table: TableFile } | { name: string; spec: HashedLayerSpec; table?: undefined })[];
}

const NAME = /^[A-Za-z][A-Za-z0-9_.:-]*$/;

class ManifestChecker {
  constructor(readonly file: string) {}
  fail(at: string, expected: string, received: unknown, fix?: string): never {
    throw fileError({ file: this.file }, `${at} to be ${expected}`, typeof received === 'object' && received !== null ? (Array.isArray(received) ? 'a list' : 'an object') : showValue(received), fix);
  }
  object(value: unknown, at: string, keys: readonly string[]): Record<string, unknown> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(at, 'an object', value);
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) {
        const guess = closest(key, keys);
        this.fail(`${at}.${key}`, `one of the keys [${keys.join(', ')}]`, key, guess ? `Did you mean '${guess}'?` : undefined);
      }
    }
    return value as Record<string, unknown>;
  }
  string(value: unknown, at: string): string {
    if (typeof value !== 'string' || value.trim() === '') this.fail(at, 'a non-empty string', value);
    return value;
  }
  labels(value: unknown, at: string): string[] {
    if (!Array.isArray(value) || value.length === 0 || value.length > 65536) this.fail(at, 'a list of 1 to 65536 labels', value);
    const labels = value.map((l, i) => (typeof l === 'number' ? String(l) : this.string(l, `${at}[${i}]`)));
    const dup = labels.find((l, i) => labels.indexOf(l) !== i);
    if (dup !== undefined) this.fail(at, 'unique labels', `'${dup}' twice`);
    return labels;
  }
}

function table(check: ManifestChecker, baseDir: string, file: string, format: unknown, at: string, access: PopulationFileAccess): TableFile {
  const full = path.resolve(baseDir, file);
  access.check?.(full);
  let fmt: TableFormat;
  if (format !== undefined) {
    if (!(TABLE_FORMATS as readonly unknown[]).includes(format)) check.fail(`${at}.format`, `one of ${TABLE_FORMATS.join(', ')}`, format);
    fmt = format as TableFormat;
  } else {
    const ext = path.extname(file).toLowerCase();
    if (ext === '.csv') fmt = 'csv';
    else if (ext === '.parquet' || ext === '.pq') fmt = 'parquet';
    else check.fail(`${at}.file`, 'a .csv or .parquet file (or give format)', file);
  }
  if (!existsSync(full)) check.fail(`${at}.file`, 'an existing file', full, 'Paths are relative to the manifest.');
  return { path: full, display: path.relative(process.cwd(), full) || full, format: fmt };
}

/**
 * Checks a manifest value and resolves its files against `baseDir`. Every problem throws a
 * PopulaceError naming the manifest and the offending key.
 */
export function resolveManifest(value: unknown, options: { file: string; baseDir: string } & PopulationFileAccess): ResolvedManifest {
  const check = new ManifestChecker(options.file);
  const top = check.object(value, 'the manifest', ['description', 'agents', 'networks']);
  if (top.description !== undefined) check.string(top.description, 'description');
  const agents = check.object(top.agents, 'agents', ['type', 'file', 'format', 'id', 'household', 'area', 'attributes']);
  if (agents.type !== undefined && !NAME.test(String(agents.type))) check.fail('agents.type', 'an agent type name such as people', agents.type);
  const agentsTable = table(check, options.baseDir, check.string(agents.file, 'agents.file'), agents.format, 'agents', options);
  for (const key of ['id', 'household'] as const) if (agents[key] !== undefined) check.string(agents[key], `agents.${key}`);
  if (agents.area !== undefined && typeof agents.area !== 'string') {
    const area = check.object(agents.area, 'agents.area', ['column', 'labels']);
    check.string(area.column, 'agents.area.column');
    if (area.labels !== undefined) check.labels(area.labels, 'agents.area.labels');
  }
  const attributes = check.object(agents.attributes ?? {}, 'agents.attributes', Object.keys(agents.attributes ?? {}));
  for (const [name, spec] of Object.entries(attributes)) {
    const at = `agents.attributes.${name}`;
    if (!NAME.test(name)) check.fail(at, 'an attribute name of letters, digits, _ . : -', name);
    if (['household', 'area'].includes(name) && agents[name] !== undefined) check.fail(at, `not also given as agents.${name}`, name);
    const types = [...NUMERIC_TYPES, 'category'];
    if (typeof spec === 'string') {
      if (!(NUMERIC_TYPES as readonly string[]).includes(spec)) check.fail(at, `one of ${NUMERIC_TYPES.join(', ')} (or { type: category, labels })`, spec);
      continue;
    }
    const s = check.object(spec, at, ['type', 'column', 'labels']);
    if (!types.includes(s.type as string)) check.fail(`${at}.type`, `one of ${types.join(', ')}`, s.type);
    if (s.column !== undefined) check.string(s.column, `${at}.column`);
    if (s.type === 'category') check.labels(s.labels, `${at}.labels`);
    else if (s.labels !== undefined) check.fail(`${at}.labels`, "absent unless type is 'category'", s.labels);
  }
  const networks = check.object(top.networks ?? {}, 'networks', Object.keys(top.networks ?? {}));
  const layers: ResolvedManifest['networks'][number][] = [];
  for (const [name, spec] of Object.entries(networks)) {
    const at = `networks.${name}`;
    if (!NAME.test(name)) check.fail(at, 'a layer name of letters, digits, _ . : -', name);
    if (typeof spec === 'object' && spec !== null && 'hashed' in spec) {
      const outer = check.object(spec, at, ['hashed', 'description']);
      if (outer.description !== undefined) check.string(outer.description, `${at}.description`);
      const h = check.object(outer.hashed, `${at}.hashed`, ['degree', 'key']);
      if (!Number.isInteger(h.degree) || (h.degree as number) < 0) check.fail(`${at}.hashed.degree`, 'a non-negative integer', h.degree);
      if (!Number.isInteger(h.key) || (h.key as number) < 0 || (h.key as number) > 0xffffffff) check.fail(`${at}.hashed.key`, 'an integer in [0, 4294967295]', h.key);
      layers.push({ name, spec: spec as HashedLayerSpec });
      continue;
    }
    const e = check.object(spec, at, ['file', 'format', 'source', 'target', 'weight', 'symmetric', 'description']);
    if (e.description !== undefined) check.string(e.description, `${at}.description`);
    for (const key of ['source', 'target'] as const) if (e[key] !== undefined) check.string(e[key], `${at}.${key}`);
    if (e.weight !== undefined && e.weight !== false) check.string(e.weight, `${at}.weight`);
    if (e.symmetric !== undefined && typeof e.symmetric !== 'boolean') check.fail(`${at}.symmetric`, 'true or false', e.symmetric);
    layers.push({ name, spec: e as unknown as EdgeListSpec, table: table(check, options.baseDir, check.string(e.file, `${at}.file`), e.format, at, options) });
  }
  return { file: options.file, manifest: top as unknown as PopulationManifest, agents: agentsTable, networks: layers };
}

/**
 * Reads a manifest file (.json, .yaml or .yml; a path or a file URL) and resolves it. `access.check`
 * sees the absolute path of the manifest and of every file it names before anything is read.
 *
 * @example
 * ```ts
 * const m = readManifest('data/population.yaml');
 * m.agents.path; // absolute path of the agents table
 * ```
 */
export function readManifest(file: string | URL, access: PopulationFileAccess = {}): ResolvedManifest {
  const full = path.resolve(file instanceof URL ? fileURLToPath(file) : file);
  access.check?.(full);
  const display = path.relative(process.cwd(), full) || full;
  let text: string;
  try {
    text = readFileSync(full, 'utf8');
  } catch (error) {
    throw fileError({ file: display }, 'a readable manifest file', (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message, 'Check the path.');
  }
  if (text.trim() === '') throw fileError({ file: display }, 'a JSON or YAML manifest', 'an empty file');
  let value: unknown;
  try {
    value = /\.json$/i.test(full) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw fileError({ file: display }, `valid ${/\.json$/i.test(full) ? 'JSON' : 'YAML'}`, `a syntax error (${(error as Error).message.split('\n')[0]})`);
  }
  return resolveManifest(value, { file: display, baseDir: path.dirname(full), ...access });
}
