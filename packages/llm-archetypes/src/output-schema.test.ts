/**
 * JSON out of a chat model's text, and the value an answer gives the agents.
 */
import { describe, expect, it } from 'vitest';
import { answerValue, extractJson } from './output-schema.js';

describe('extractJson', () => {
  it.each([
    ['bare JSON', '{"willIsolate": 0.3}', { willIsolate: 0.3 }],
    ['surrounding whitespace', '\n  {"willIsolate": 0.3}  \n', { willIsolate: 0.3 }],
    ['a json code fence', 'Here:\n```json\n{"willIsolate": 0.3}\n```\nBye', { willIsolate: 0.3 }],
    ['a bare code fence', '```\n{"willIsolate": 0.3}\n```', { willIsolate: 0.3 }],
    ['prose around it', 'I think {"willIsolate": 0.3} is right.', { willIsolate: 0.3 }],
    ['braces inside strings', 'So: {"why": "a } brace", "willIsolate": 0.3} ok', { why: 'a } brace', willIsolate: 0.3 }],
    ['a non-JSON brace before it', 'In {my view}, {"willIsolate": 0.3}', { willIsolate: 0.3 }],
    ['nested objects', '{"a": {"b": 1}, "willIsolate": 0.3}', { a: { b: 1 }, willIsolate: 0.3 }],
  ])('reads %s', (_what, text, expected) => {
    expect(extractJson(text)).toEqual(expected);
  });

  it.each([['no JSON', 'I would probably isolate.'], ['an array', '[0.3]'], ['a number', '0.3'], ['broken JSON', '{"willIsolate": 0.3'], ['empty', '']])('finds nothing in %s', (_what, text) => {
    expect(extractJson(text)).toBeUndefined();
  });
});

describe('answerValue', () => {
  it('reads numbers and booleans, rejects the rest', () => {
    expect(answerValue({ v: 0.25 }, 'v')).toBe(0.25);
    expect(answerValue({ v: true }, 'v')).toBe(1);
    expect(answerValue({ v: false }, 'v')).toBe(0);
    expect(answerValue({ v: '0.3' }, 'v')).toBeUndefined();
    expect(answerValue({ v: Number.NaN }, 'v')).toBeUndefined();
    expect(answerValue({}, 'v')).toBeUndefined();
  });
});
