/**
 * Household composition by age: which households hold the area's residents
 * 65 and over. Older adults mostly live alone or with another older adult,
 * rarely with young adults, and some live with grandchildren; drawing every
 * adult's age independently (as if housemates' ages were unrelated) instead
 * puts older people in the large households of working-age adults and
 * children, and so exposes them at home far more than they are.
 *
 * The plan marks each household with the slots that hold people 65+:
 * - `alone`: a one-person household of a person 65+, with probability set so
 *   that their share of all households matches the published share of
 *   householders 65+ living alone;
 * - `grandparent`: one person 65+ as the last adult of a household with
 *   children and at least two adults, so that a given share of residents 65+
 *   live with children;
 * - `couple`: the first two adults of a household of 2+ without children are
 *   65+ (further members are younger adults, e.g. grown children), for the
 *   residents 65+ that remain.
 * No other household holds anyone 65+. The counts are expectations (each
 * household is marked by its own counter-based draw), so the synthesizer can
 * take the 65+ people placed here out of the distribution it draws the
 * remaining adults from and keep the published age bands.
 */
import { uniformAt } from '@populace/core';

/** Age from which residents count as older adults here (the census's "65 years and over"). */
export const SENIOR_AGE = 65;

/** What a household holds of people 65+ (values of `SeniorPlan.kind`). */
export const SENIOR_SLOTS = { none: 0, alone: 1, couple: 2, grandparent: 3 } as const;

/** What the plan needs to know of one area's households. */
export interface SeniorPlanInput {
  /** Persons per household. */
  readonly sizes: Uint8Array;
  /** Children per household (the last `kids[k]` members of household k). */
  readonly kids: Uint8Array;
  /** Expected residents 65+ among the area's agents. */
  readonly seniors: number;
  /** Share of households whose householder is 65+ and lives alone. */
  readonly aloneShare: number;
  /** Share of residents 65+ living in a household with children. */
  readonly withChildrenShare: number;
  /** Stream key of the per-household draws. */
  readonly key: number;
}

/** Per-household marks and the expected number of residents 65+ they place. */
export interface SeniorPlan {
  /** One of SENIOR_SLOTS per household. */
  readonly kind: Uint8Array;
  /** Expected residents 65+ placed by the marks (at most `seniors`). */
  readonly placed: number;
  /** The probabilities used: of a one-person household being 65+, of an eligible household with children having a grandparent, of a household of 2+ without children being a couple 65+. */
  readonly probabilities: { readonly alone: number; readonly grandparent: number; readonly couple: number };
}

/**
 * Marks the households that hold residents 65+ (see the file comment).
 *
 * @example
 * ```ts
 * const plan = planSeniors({ sizes, kids, seniors: 130, aloneShare: 0.1, withChildrenShare: 0.12, key });
 * plan.kind[k] === SENIOR_SLOTS.alone; // household k is one person 65+
 * ```
 */
export function planSeniors(input: SeniorPlanInput): SeniorPlan {
  const { sizes, kids, key } = input;
  const h = sizes.length;
  let ones = 0;
  let withoutKids = 0;
  let withKidsTwoAdults = 0;
  for (let k = 0; k < h; k++) {
    const s = sizes[k]!;
    const c = kids[k]!;
    if (s === 1) ones++;
    else if (c === 0) withoutKids++;
    else if (s - c >= 2) withKidsTwoAdults++;
  }
  const seniors = Math.max(0, input.seniors);
  const alone = Math.min(ones, input.aloneShare * h, seniors);
  const grand = Math.min(withKidsTwoAdults, input.withChildrenShare * seniors, seniors - alone);
  const couples = withoutKids > 0 ? Math.min(withoutKids, (seniors - alone - grand) / 2) : 0;
  const probabilities = {
    alone: ones > 0 ? alone / ones : 0,
    grandparent: withKidsTwoAdults > 0 ? grand / withKidsTwoAdults : 0,
    couple: withoutKids > 0 ? couples / withoutKids : 0,
  };
  const kind = new Uint8Array(h);
  for (let k = 0; k < h; k++) {
    const s = sizes[k]!;
    const c = kids[k]!;
    const u = uniformAt(key, k);
    if (s === 1) kind[k] = u < probabilities.alone ? SENIOR_SLOTS.alone : SENIOR_SLOTS.none;
    else if (c === 0) kind[k] = u < probabilities.couple ? SENIOR_SLOTS.couple : SENIOR_SLOTS.none;
    else if (s - c >= 2) kind[k] = u < probabilities.grandparent ? SENIOR_SLOTS.grandparent : SENIOR_SLOTS.none;
  }
  return { kind, placed: alone + grand + 2 * couples, probabilities };
}

/**
 * Whether slot `slot` (0-based, adults first) of a household of `adults` adults marked `kind` holds a
 * person 65+.
 */
export function isSeniorSlot(kind: number, slot: number, adults: number): boolean {
  if (kind === SENIOR_SLOTS.alone) return slot === 0;
  if (kind === SENIOR_SLOTS.couple) return slot <= 1;
  if (kind === SENIOR_SLOTS.grandparent) return slot === adults - 1;
  return false;
}
