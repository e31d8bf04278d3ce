/**
 * Instance-scoped registries of a runtime. Ids are namespaced `<plugin>/<name>`;
 * a bare name resolves when exactly one plugin contributes it.
 */
import { PopulaceError } from './errors.js';
import { closest } from './validate.js';

export interface Registered<T> {
  /** Full id, `<plugin>/<name>`. */
  readonly id: string;
  readonly plugin: string;
  readonly definition: T;
}

export class Registry<T> {
  readonly #entries = new Map<string, Registered<T>>();
  readonly #byBare = new Map<string, string[]>();

  constructor(readonly kind: string) {}

  /** Adds a contribution; a duplicate id throws. */
  add(plugin: string, name: string, definition: T): Registered<T> {
    const id = `${plugin}/${name}`;
    const existing = this.#entries.get(id);
    if (existing) {
      throw new PopulaceError('duplicate-id', `${this.kind} '${id}' is contributed twice (plugin '${existing.plugin}' and plugin '${plugin}'). Remove one of the plugins or rename the ${this.kind}.`, { details: { kind: this.kind, id } });
    }
    const entry = Object.freeze({ id, plugin, definition });
    this.#entries.set(id, entry);
    this.#byBare.set(name, [...(this.#byBare.get(name) ?? []), id]);
    return entry;
  }

  /** Full ids, in registration order. */
  ids(): string[] {
    return [...this.#entries.keys()];
  }

  list(): Registered<T>[] {
    return [...this.#entries.values()];
  }

  has(id: string): boolean {
    return this.#entries.has(id) || this.#byBare.get(id)?.length === 1;
  }

  /** The entry for a full or bare id; unknown and ambiguous ids throw with the candidates. */
  get(id: string): Registered<T> {
    if (typeof id !== 'string' || id.length === 0) {
      throw new PopulaceError('unknown-id', `${this.kind} id: expected a non-empty string, received ${JSON.stringify(id)}. Known: ${this.ids().join(', ') || '(none)'}.`, { details: { kind: this.kind, known: this.ids() } });
    }
    const exact = this.#entries.get(id);
    if (exact) return exact;
    const matches = this.#byBare.get(id) ?? [];
    if (matches.length === 1) return this.#entries.get(matches[0]!)!;
    if (matches.length > 1) {
      throw new PopulaceError('ambiguous-id', `${this.kind} '${id}' is ambiguous: ${matches.join(', ')} all match. Use the full id.`, { details: { kind: this.kind, id, candidates: matches } });
    }
    const known = this.ids();
    const guess = closest(id, known);
    throw new PopulaceError(
      'unknown-id',
      `unknown ${this.kind} '${id}'.${guess ? ` Did you mean '${guess}'?` : ''} Known ${this.kind}s: ${known.join(', ') || '(none: add a plugin that contributes one)'}.`,
      { details: { kind: this.kind, id, known } },
    );
  }
}
