/**
 * What a population will hold in memory, estimated before it is built: a
 * population may declare `estimateSize({ agents })` so that tools refuse a
 * size the machine cannot hold instead of crashing halfway through the build.
 */

/** A population's size at a requested agent count, before the build. */
export interface PopulationSizeEstimate {
  /** Agents of the primary type. */
  readonly agents: number;
  /** Stored contact edges over all networks (0 for hashed networks: they store none). */
  readonly edges: number;
  /** Bytes the built data holds (attributes, CSR arrays), the peak during the build included. */
  readonly bytes: number;
}

/** The estimator a population declares: pure arithmetic, no allocation. */
export type PopulationSizeEstimator = (options: { readonly agents: number }) => PopulationSizeEstimate;

/** Bytes per agent assumed for a population that declares no `estimateSize` (a few attributes, no edges). */
export const DEFAULT_POPULATION_BYTES_PER_AGENT = 64;

/**
 * An estimator from per-agent and per-edge byte counts, the usual shape: `bytesPerAgent` for
 * attributes and row pointers, `edgesPerAgent` stored edges of `bytesPerEdge` bytes each.
 *
 * @example
 * ```ts
 * // 10 int32 in-contacts per agent, a uint8 age and an int32 row pointer
 * const estimateSize = perAgentEstimate({ bytesPerAgent: 5, edgesPerAgent: 10, bytesPerEdge: 4 });
 * estimateSize({ agents: 1_000_000 }).bytes; // 45,000,000
 * ```
 */
export function perAgentEstimate(rates: { readonly bytesPerAgent: number; readonly edgesPerAgent?: number; readonly bytesPerEdge?: number }): PopulationSizeEstimator {
  const { bytesPerAgent, edgesPerAgent = 0, bytesPerEdge = 4 } = rates;
  return ({ agents }) => {
    const edges = Math.ceil(agents * edgesPerAgent);
    return { agents, edges, bytes: agents * bytesPerAgent + edges * bytesPerEdge };
  };
}
