/**
 * Rendering and checking values received from outside, for error messages: core's helpers, so
 * every package words its errors the same way.
 */
export { describeValue as describe, isPlainObject } from '@populace/core';
