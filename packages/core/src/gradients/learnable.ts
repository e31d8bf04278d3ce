/**
 * Which parameters gradient methods may treat as variables.
 */
import { PopulaceError } from '../errors.js';
import type { ParameterSpecs } from '../parameters.js';
import { closest } from '../validate.js';

/** The requested parameters (default: every learnable one), each checked to exist and be learnable. */
export function learnableSpecs(modelId: string, specs: ParameterSpecs, requested: readonly string[] | undefined, where: string): string[] {
  const learnable = Object.keys(specs).filter((n) => specs[n]!.learnable);
  if (requested === undefined) return learnable;
  if (!Array.isArray(requested) || requested.length === 0) {
    throw new PopulaceError('invalid-argument', `${where}: params expected a non-empty array of parameter names from [${learnable.join(', ')}].`);
  }
  for (const name of requested) {
    // own names only: 'constructor' or 'toString' must not find Object.prototype's
    if (typeof name !== 'string' || !Object.hasOwn(specs, name)) {
      const guess = closest(name, Object.keys(specs));
      throw new PopulaceError('unknown-param', `${where}: model '${modelId}' has no parameter '${name}'.${guess ? ` Did you mean '${guess}'?` : ''} Learnable parameters: ${learnable.join(', ') || '(none)'}.`, { details: { param: name, learnable } });
    }
    if (!specs[name]!.learnable) {
      throw new PopulaceError('invalid-param', `${where}: parameter '${name}' of '${modelId}' is not learnable (gradients do not flow through it). Learnable parameters: ${learnable.join(', ') || '(none)'}.`, { details: { param: name, learnable } });
    }
  }
  return [...new Set(requested)];
}
