import { MAX_SEARCH_WORDS } from '../../shared/limits.js';
import type { Highlights, Interaction } from '../../shared/schemas/interaction.js';
import { InvalidRequestError } from '../errors.js';

/*
 * What a search's words are, and where they are in what it found. A word is a run of letters and digits, compared
 * lower-cased with its accents kept: the rule both engines' search documents follow (migration 0007), so what is
 * highlighted is what matched. The words reach the engines only as plain words (quoted FTS5 strings,
 * plainto_tsquery's text), never as query syntax: nothing a user types is an operator.
 */

const WORD = /[\p{L}\p{N}]+/gu;

/** The distinct words of a search, lower-cased; a 400 when it has none. */
export function searchWords(q: string): string[] {
  const words = [...new Set((q.normalize('NFC').match(WORD) ?? []).map((word) => word.toLowerCase()))];
  if (words.length === 0) {
    throw new InvalidRequestError('The search has no words to look for: type letters or digits.', [
      { location: 'querystring', pointer: '/q', detail: 'must contain at least one letter or digit' }
    ]);
  }
  if (words.length > MAX_SEARCH_WORDS) {
    throw new InvalidRequestError(`A search takes at most ${MAX_SEARCH_WORDS} words.`, [
      { location: 'querystring', pointer: '/q', detail: `must have at most ${MAX_SEARCH_WORDS} words` }
    ]);
  }
  return words;
}

/** [start, end) of each word of `text` that is one of `words`, in order. */
export function wordRanges(text: string, words: ReadonlySet<string>): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (const match of text.matchAll(WORD)) {
    if (words.has(match[0].normalize('NFC').toLowerCase())) ranges.push([match.index, match.index + match[0].length]);
  }
  return ranges;
}

/** The entry with where the words are in its subject, preview and (a note's) text. */
export function withHighlights(entry: Interaction, words: readonly string[]): Interaction {
  const wanted = new Set(words);
  const highlights: Highlights = {
    subject: wordRanges(entry.subject, wanted),
    preview: wordRanges(entry.preview, wanted)
  };
  if (entry.body !== undefined) highlights.body = wordRanges(entry.body, wanted);
  return { ...entry, highlights };
}
