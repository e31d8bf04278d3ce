/**
 * The groups of an archetype: which attributes it groups agents by (categories
 * as they are, numbers cut into bins), checked against the declared attribute
 * schema when the archetype is declared.
 */
import type { AttributeSchema } from './population.js';
import { assertDefinition, closest } from './validate.js';

/** A numeric attribute cut into bins: `{ attribute: 'age', bins: [0, 18, 65, 101] }` gives '0-17', '18-64', '65-100'. */
export interface BinnedAttribute {
  readonly attribute: string;
  /** Strictly increasing edges; bin j holds values in [bins[j], bins[j + 1]). */
  readonly bins: readonly number[];
  /** One label per bin (default: 'lo-hi' with hi = next edge - 1 for integer edges, '[lo, hi)' otherwise). */
  readonly labels?: readonly string[];
}

/** One entry of `groupBy`: a category attribute's name, or a numeric attribute with bins. */
export type GroupBySpec = string | BinnedAttribute;

/** A groupBy entry after validation. */
export interface GroupDimension {
  readonly attribute: string;
  readonly kind: 'category' | 'bins';
  /** Declared category labels (may be replaced by the built population's labels) or the bin labels. */
  readonly labels?: readonly string[];
  readonly bins?: readonly number[];
}

/** The labels of one group, by attribute: `{ ageBand: '30-39', employed: 'employed' }`. */
export type GroupLabels = Readonly<Record<string, string>>;

/** Default label of bin [lo, hi). */
function binLabel(lo: number, hi: number): string {
  return Number.isInteger(lo) && Number.isInteger(hi) ? (hi - 1 === lo ? String(lo) : `${lo}-${hi - 1}`) : `[${lo}, ${hi})`;
}

/** Validates `groupBy` against the declared attributes (definition time). */
export function validateGroupBy(groupBy: unknown, attributes: AttributeSchema, where: string): GroupDimension[] {
  const known = Object.keys(attributes);
  assertDefinition(Array.isArray(groupBy) && groupBy.length > 0, `${where}.groupBy`, `a non-empty array of attribute names among [${known.join(', ')}] (numbers as { attribute, bins })`, groupBy);
  const seen = new Set<string>();
  return groupBy.map((entry: unknown, i) => {
    const at = `${where}.groupBy[${i}]`;
    const binned = typeof entry === 'object' && entry !== null ? (entry as Partial<BinnedAttribute>) : undefined;
    const name = typeof entry === 'string' ? entry : binned?.attribute;
    assertDefinition(typeof name === 'string', at, "an attribute name or { attribute, bins } (e.g. { attribute: 'age', bins: [0, 18, 65, 101] })", entry);
    const info = attributes[name];
    if (!info) {
      const near = closest(name, known);
      assertDefinition(false, at, `an attribute among [${known.join(', ')}]`, name, near ? `Did you mean '${near}'?` : 'Group by an attribute the population declares.');
    }
    assertDefinition(!seen.has(name), at, 'each attribute at most once', name);
    seen.add(name);
    assertDefinition(info.kind !== 'id', at, `a category or number attribute; '${name}' is an id (${info.description}), one group per value would ask the model once per household or workplace`, name, 'Group by a category (ageBand, employed...) or a binned number.');
    if (info.kind === 'category') {
      assertDefinition(typeof entry === 'string', at, `the plain name '${name}' (it is a category; bins are for numbers)`, entry);
      return info.labels ? { attribute: name, kind: 'category', labels: [...info.labels] } : { attribute: name, kind: 'category' };
    }
    assertDefinition(binned !== undefined, at, `bins for the number attribute '${name}'`, entry, `Write { attribute: '${name}', bins: [...] }, e.g. { attribute: 'age', bins: [0, 18, 65, 101] }.`);
    const bins = binned.bins;
    assertDefinition(Array.isArray(bins) && bins.length >= 2 && bins.every(Number.isFinite) && bins.every((b, j) => j === 0 || b > bins[j - 1]!), `${at}.bins`, 'at least two strictly increasing finite edges', bins);
    const labels = binned.labels ?? bins.slice(0, -1).map((lo, j) => binLabel(lo, bins[j + 1]!));
    assertDefinition(Array.isArray(labels) && labels.length === bins.length - 1 && labels.every((l) => typeof l === 'string'), `${at}.labels`, `${bins.length - 1} strings (one per bin)`, labels);
    return { attribute: name, kind: 'bins', bins: [...bins], labels: [...labels] };
  });
}
