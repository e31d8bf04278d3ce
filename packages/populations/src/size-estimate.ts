/**
 * How much memory a synthesized population holds, before it is built: the
 * `estimateSize` of nyc, synthetic and well-mixed. Measured on `synthetic` at
 * 200k and 1M agents (`/usr/bin/time -f %M populace population describe
 * synthetic --agents N`): about 135 bytes per agent at peak with the default
 * layers; the rates below round the parts up.
 */
import { perAgentEstimate, type PopulationSizeEstimator } from '@populace/core';
import { resolveLayerOptions, type LayerOptions } from './synthesize.js';

/** Attribute bytes per person (age, sex, household, area, occupation ... codes) plus four row pointers. */
const BYTES_PER_PERSON = 48;
/** A stored edge: an int32 contact index and a float32 weight. */
const BYTES_PER_EDGE = 8;
/** Mean contacts per person in a household (a mean household size of about 2.6, cliques). */
const HOUSEHOLD_CONTACTS = 2;
/** Shares of people in a class and at work (upper ends of the census shares). */
const STUDENT_SHARE = 0.25;
const WORKER_SHARE = 0.6;

/**
 * The estimator of a synthesized population with `options`' layers (none with `networks: false`).
 *
 * @example
 * ```ts
 * synthesizedSizeEstimate({})({ agents: 1_000_000 }).bytes; // about 220 MB
 * ```
 */
export function synthesizedSizeEstimate(options: LayerOptions & { readonly networks?: false }): PopulationSizeEstimator {
  if (options.networks === false) return perAgentEstimate({ bytesPerAgent: BYTES_PER_PERSON });
  const layers = resolveLayerOptions(options);
  const community = layers.communityContacts === 'hashed' ? 0 : layers.communityDegree;
  const edgesPerAgent = HOUSEHOLD_CONTACTS + STUDENT_SHARE * (layers.classSize - 1) + WORKER_SHARE * layers.workContacts + community;
  return perAgentEstimate({ bytesPerAgent: BYTES_PER_PERSON, edgesPerAgent, bytesPerEdge: BYTES_PER_EDGE });
}
