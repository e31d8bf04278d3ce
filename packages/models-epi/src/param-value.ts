/**
 * Reading a scalar parameter as a JavaScript number inside a substep, for
 * settings that steer control flow or kernel coefficients (never learnable
 * ones, whose gradient would be lost). It reads through `ctx.param`, core's one
 * way to read a parameter in a substep (`ctx.params` is deprecated).
 */
import type { SubstepContext } from '@populace/core';

/** The current value of a scalar (or the current entry of a time-varying) parameter as a number. */
export function paramNumber(ctx: Pick<SubstepContext, 'param'>, name: string): number {
  return ctx.param(name).dataSync()[0]!;
}
