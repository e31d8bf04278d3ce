/**
 * What an attribute of a population is, for statistics: a category (integer
 * codes with labels; ordered when its labels are numeric ranges such as
 * income bands or age bands, or when the caller says so), a number, or an id.
 */
import type { AgentTable, AttributeArray, AttributeSchema } from '@populace/core';

/** One attribute ready for statistics. */
export interface AttributeColumn {
  readonly name: string;
  readonly kind: 'category' | 'number' | 'id';
  readonly description: string;
  /** Labels of the codes of a category (codes without a label are named by their code). */
  readonly labels: readonly string[];
  /** Whether a category's codes are in a meaningful order (median, min and max are defined). */
  readonly ordered: boolean;
  readonly unit: string | null;
  readonly values: AttributeArray;
}

const K = { k: 1e3, m: 1e6, b: 1e9 } as Record<string, number>;

/** The number a range label starts with (`<10k` -> -Infinity, `10-15k` -> 10000, `85+` -> 85), or null. */
export function rangeStart(label: string): number | null {
  const text = label.trim().toLowerCase().replace(/[$,\s]/g, '');
  if (/^(<|under|below|less)/.test(text)) return /\d/.test(text) ? Number.NEGATIVE_INFINITY : null;
  const m = /^(\d+(?:\.\d+)?)([kmb])?(?:(?:-|–|to)(\d+(?:\.\d+)?)([kmb])?|\+|(?:andover|ormore|plus))?$/.exec(text);
  if (!m) return null;
  // '10-15k': the unit of the upper end applies to the lower end when it has none
  const unit = m[2] ?? m[4];
  return Number(m[1]) * (unit ? K[unit]! : 1);
}

/**
 * True when every label is a numeric range (`0-4`, `<10k`, `200k+`) and they increase: the codes
 * of such a category are ordered (income bands, age bands).
 */
export function labelsLookOrdered(labels: readonly string[]): boolean {
  if (labels.length < 2) return false;
  let last = Number.NEGATIVE_INFINITY;
  for (const [i, label] of labels.entries()) {
    const start = rangeStart(label);
    if (start === null) return false;
    if (i > 0 && !(start > last)) return false;
    last = start;
  }
  return true;
}

/**
 * The attributes of a built agent table with their meaning: the declared schema where there is
 * one, else a category when the table has labels for it and a number otherwise. A category is
 * ordered when the caller says so, else when its declaration says so, else when its labels look
 * like increasing numeric ranges.
 */
export function attributeColumns(table: AgentTable, schema: AttributeSchema | undefined, ordered: readonly string[]): Map<string, AttributeColumn> {
  const out = new Map<string, AttributeColumn>();
  for (const [name, values] of Object.entries(table.attributes ?? {})) {
    const info = schema?.[name];
    const tableLabels = table.labels?.[name];
    const kind = info?.kind ?? (tableLabels ? 'category' : 'number');
    let labels: string[] = [...(tableLabels ?? info?.labels ?? [])];
    if (kind === 'category') {
      let max = -1;
      for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
      for (let c = labels.length; c <= max; c++) labels.push(String(c));
    } else labels = [];
    out.set(name, {
      name,
      kind,
      description: info?.description ?? '',
      labels,
      ordered: kind === 'category' && (ordered.includes(name) || (info?.ordered ?? labelsLookOrdered(tableLabels ?? info?.labels ?? []))),
      unit: info?.unit ?? null,
      values,
    });
  }
  return out;
}
