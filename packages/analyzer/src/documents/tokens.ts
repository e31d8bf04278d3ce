/**
 * Text to terms for the offline embeddings: camelCase split, lower case,
 * stop words dropped, a light suffix-stripping stemmer (so "vaccination",
 * "vaccinated" and "vaccines" meet), and bigrams of neighbouring terms.
 */

const STOP = new Set(
  'a an and are as at be been but by can could do does for from had has have how i if in into is it its may might more most no not of on or our over so such than that the their them then there these they this those to too under up was we were what when where which while who why will with would you your per each also'.split(' '),
);

const SUFFIXES = ['isations', 'izations', 'isation', 'ization', 'ations', 'ation', 'ators', 'ator', 'ities', 'ity', 'ings', 'ing', 'ious', 'ions', 'ion', 'ised', 'ized', 'ises', 'izes', 'ise', 'ize', 'ible', 'able', 'ated', 'ates', 'ate', 'ies', 'ied', 'ed', 'es', 'ly', 's', 'e', 'y'];

/**
 * A crude stem of a lower-case word: the longest listed suffix is removed when at least three
 * letters remain, then a trailing 'at' (isolating -> isol).
 *
 * @example
 * ```ts
 * ['vaccination', 'vaccinated', 'vaccines'].map(stem); // ['vaccin', 'vaccin', 'vaccin']
 * ```
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let out = word;
  for (const suffix of SUFFIXES) {
    if (out.endsWith(suffix) && out.length - suffix.length >= 3) {
      out = out.slice(0, -suffix.length);
      break;
    }
  }
  if (out.length > 4 && out.endsWith('at')) out = out.slice(0, -2);
  if (out.length > 3 && out.endsWith(out[out.length - 1]!.repeat(2)) && !out.endsWith('ss')) out = out.slice(0, -1);
  return out;
}

/** The stemmed terms of `text` in order, stop words removed. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP.has(w))
    .map(stem);
}

/** Terms and neighbouring-term bigrams (`new york` -> `new`, `york`, `new york`). */
export function terms(text: string): string[] {
  const w = words(text);
  const out = [...w];
  for (let i = 1; i < w.length; i++) out.push(`${w[i - 1]} ${w[i]}`);
  return out;
}
