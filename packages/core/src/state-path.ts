/**
 * State paths name every piece of a simulation's state:
 * `agents/<type>/<property>`, `env/<name>` and `networks/<name>`.
 */
export type AgentPath = `agents/${string}/${string}`;
export type EnvPath = `env/${string}`;
export type NetworkPath = `networks/${string}`;
export type StatePath = AgentPath | EnvPath | NetworkPath;

export type ParsedPath =
  | { kind: 'agents'; agentType: string; property: string }
  | { kind: 'env'; name: string }
  | { kind: 'networks'; name: string };

/** Splits a path into its parts, or returns undefined if it is not a state path. */
export function parsePath(path: string): ParsedPath | undefined {
  const parts = path.split('/');
  if (parts[0] === 'agents' && parts.length === 3 && parts[1] && parts[2]) return { kind: 'agents', agentType: parts[1], property: parts[2] };
  if (parts[0] === 'env' && parts.length === 2 && parts[1]) return { kind: 'env', name: parts[1] };
  if (parts[0] === 'networks' && parts.length === 2 && parts[1]) return { kind: 'networks', name: parts[1] };
  return undefined;
}

type Names<T> = Extract<keyof T, string>;
type PropertyPaths<T extends string, P> = string extends Names<P> ? `agents/${T}/${string}` : `agents/${T}/${Names<P>}`;
/** Agent paths, from `{ properties }` agent types or from the shorthand (properties directly under the type). */
type AgentPathsOf<A> = {
  [T in Names<A>]: A[T] extends { readonly properties: infer P extends object } ? PropertyPaths<T, P> : PropertyPaths<T, Omit<A[T], 'description' | 'from' | 'properties'>>;
}[Names<A>];
type GroupPathsOf<S, K extends 'environment' | 'networks', Prefix extends string> = S extends { readonly [Q in K]?: infer G }
  ? G extends object ? (string extends Names<G> ? `${Prefix}/${string}` : `${Prefix}/${Names<G>}`) : never
  : never;

/**
 * The state paths a state spec declares, as `ModelIdOf` gives the ids of a plugin list: a union of
 * literals such as `'agents/people/infected' | 'env/day' | 'networks/contacts'` for a spec written
 * in place, or plain `StatePath` when the spec is only known at run time (typed `StateSpec`).
 *
 * @example
 * ```ts
 * const state = { agents: { people: { properties: { infected: { dtype: 'float32', init: 0 } } } } } as const;
 * type P = StatePathOf<typeof state>; // 'agents/people/infected'
 * ```
 */
export type StatePathOf<S> = S extends { readonly agents: infer A }
  ? string extends Names<A> ? StatePath : AgentPathsOf<A> | GroupPathsOf<S, 'environment', 'env'> | GroupPathsOf<S, 'networks', 'networks'>
  : StatePath;

/** The state paths of a model definition (`StatePathOf` of its state). */
export type ModelPathOf<M> = M extends { readonly state: infer S } ? StatePathOf<S> : StatePath;

/**
 * The literal paths among `P` that the state spec `S` does not declare. Paths built at run time
 * (typed `string`, `StatePath` or a pattern like `` `agents/people/${string}` ``) are not checked
 * here: `defineModel` checks every path when it runs.
 */
export type UndeclaredPaths<P, S> = P extends string ? ({} extends Record<P, true> ? never : P extends StatePathOf<S> ? never : P) : never;
