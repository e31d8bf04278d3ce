import { describe, expect, it } from 'vitest';
import { PopulaceError } from './errors.js';

describe('PopulaceError', () => {
  it('carries a code, details and a cause', () => {
    const cause = new Error('root');
    const e = new PopulaceError('unknown-id', 'unknown model x', { details: { id: 'x' }, cause });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('PopulaceError');
    expect(e.code).toBe('unknown-id');
    expect(e.details).toEqual({ id: 'x' });
    expect(e.cause).toBe(cause);
  });

  it('isInstance recognises errors from another copy of the package (brand, not prototype)', () => {
    const foreign = Object.assign(new Error('from another copy'), { [Symbol.for('populace.error')]: true, code: 'unknown-id' });
    expect(PopulaceError.isInstance(foreign)).toBe(true);
    expect(PopulaceError.isInstance(new Error('plain'))).toBe(false);
    expect(PopulaceError.isInstance(null)).toBe(false);
    expect(PopulaceError.isInstance('PopulaceError')).toBe(false);
  });
});
