/**
 * Definition-time checks: an `invalid-definition` PopulaceError that says what
 * was expected, what was received and, where it helps, the fix.
 */
import { describeValue, PopulaceError } from '@populace/core';

/** Throws PopulaceError('invalid-definition') unless `cond` holds. */
export function assertDefinition(cond: unknown, where: string, expected: string, received: unknown, fix?: string): asserts cond {
  if (!cond) {
    throw new PopulaceError('invalid-definition', `${where}: expected ${expected}, received ${describeValue(received)}.${fix ? ` ${fix}` : ''}`, { details: { where, expected } });
  }
}

/** Throws PopulaceError('invalid-argument') unless `cond` holds. */
export function assertArgument(cond: unknown, where: string, expected: string, received: unknown, fix?: string): asserts cond {
  if (!cond) {
    throw new PopulaceError('invalid-argument', `${where}: expected ${expected}, received ${describeValue(received)}.${fix ? ` ${fix}` : ''}`, { details: { where, expected } });
  }
}
