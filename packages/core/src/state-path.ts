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
