/**
 * The ranking of groups by the one statistic a `populationStats` call asks
 * for: numbers by value; ordered categories by their median position (band
 * index plus the share of the band below the middle, so two groups whose
 * median income is the same band are still told apart) or band index.
 */
import type { AttributeColumn } from './attribute-columns.js';
import type { Stat, StatValue } from './group-stats.js';

/** One ranked group. */
export interface RankedGroup {
  /** 1 for the first; equal values share a rank (1, 2, 2, 4). */
  readonly rank: number;
  readonly group: Readonly<Record<string, string>>;
  /** What is ranked (the statistic, or a category's median position / band index). */
  readonly value: number;
  /** The statistic's label for categories (e.g. the median income band), else null. */
  readonly label: string | null;
  /** Agents in the group. */
  readonly count: number;
}

/** Groups ranked by one statistic. */
export interface PopulationRanking {
  readonly attribute: string;
  readonly stat: Stat;
  readonly order: 'ascending' | 'descending';
  /** What `value` is. */
  readonly by: string;
  readonly entries: readonly RankedGroup[];
  /** The group with the lowest value (the first of them on a tie). */
  readonly lowest: RankedGroup;
  /** The group with the highest value (the first of them on a tie). */
  readonly highest: RankedGroup;
  /** Whether the first rank is shared. */
  readonly tiedAtTop: boolean;
}

interface Row {
  readonly group: Readonly<Record<string, string>>;
  readonly count: number;
  readonly measures: Readonly<Record<string, Readonly<Record<string, StatValue>>>>;
}

/** The ranking, or null unless exactly one statistic of one attribute is asked and it is rankable. */
export function rankGroups(rows: readonly Row[], measures: readonly { attribute: string; stats: readonly Stat[] }[], columns: ReadonlyMap<string, AttributeColumn>, order: 'ascending' | 'descending'): PopulationRanking | null {
  if (measures.length !== 1 || new Set(measures[0]!.stats).size !== 1 || rows.length === 0) return null;
  const attribute = measures[0]!.attribute;
  const stat = measures[0]!.stats[0]!;
  const column = columns.get(attribute)!;
  let by: string;
  let pick: (m: Readonly<Record<string, StatValue>>) => { value: number; label: string | null } | null;
  if (column.kind === 'number') {
    by = `${stat} of ${attribute}`;
    pick = (m) => (typeof m[stat] === 'number' ? { value: m[stat] as number, label: null } : null);
  } else if (stat === 'median' && column.ordered) {
    by = `median position of ${attribute}: index of the median's band (0 = '${column.labels[0]}') plus the share of that band below the middle, in (index, index + 1]`;
    pick = (m) => (typeof m.medianPosition === 'number' ? { value: m.medianPosition, label: m.median as string } : null);
  } else if ((stat === 'min' || stat === 'max' || stat === 'mode') && column.ordered) {
    by = `band index of the ${stat} of ${attribute} (0 = '${column.labels[0]}')`;
    pick = (m) => (typeof m[stat] === 'string' ? { value: column.labels.indexOf(m[stat] as string), label: m[stat] as string } : null);
  } else return null;
  const scored = rows.flatMap((r) => {
    const p = pick(r.measures[attribute]!);
    return p ? [{ group: r.group, count: r.count, ...p }] : [];
  });
  if (scored.length === 0) return null;
  const sign = order === 'ascending' ? 1 : -1;
  scored.sort((a, b) => sign * (a.value - b.value));
  const entries: RankedGroup[] = [];
  scored.forEach((s, i) => {
    const rank = i > 0 && s.value === scored[i - 1]!.value ? entries[i - 1]!.rank : i + 1;
    entries.push({ rank, group: s.group, value: s.value, label: s.label, count: s.count });
  });
  const first = entries[0]!;
  const lastRank = entries[entries.length - 1]!.rank;
  const last = entries.find((e) => e.rank === lastRank)!;
  return {
    attribute,
    stat,
    order,
    by,
    entries,
    lowest: order === 'ascending' ? first : last,
    highest: order === 'ascending' ? last : first,
    tiedAtTop: entries.length > 1 && entries[1]!.rank === 1,
  };
}
