import type { CatalogueOf, PluralForms } from './catalogue.js';
import en from './en.json' with { type: 'json' };

/*
 * The pane's one way to words, dates, numbers and money, in Office's display language: English plus the
 * five languages of the product documentation, falling back to English.
 *
 * Only the user's language travels with the pane: each other catalogue is a chunk of its own (a few KB), fetched
 * by loadTranslator while the pane asks for its first data. catalogues.ts has them all, for the send-event
 * runtime and the tests.
 */

export const LANGUAGES = ['en', 'ru', 'fi', 'sv', 'it', 'is'] as const;

/** The pane's words: English's keys, which every language provides (catalogues.ts checks that exactly). */
export type MessageKey = keyof typeof en;
export type Catalogue = CatalogueOf<typeof en>;

const CATALOGUE_CHUNKS: Record<string, () => Promise<Catalogue>> = {
  en: async () => en,
  ru: () =>
    import(/* webpackChunkName: "i18n-ru" */ './ru.json', { with: { type: 'json' } }).then(({ default: ru }) => ru),
  fi: () =>
    import(/* webpackChunkName: "i18n-fi" */ './fi.json', { with: { type: 'json' } }).then(({ default: fi }) => fi),
  sv: () =>
    import(/* webpackChunkName: "i18n-sv" */ './sv.json', { with: { type: 'json' } }).then(({ default: sv }) => sv),
  it: () =>
    import(/* webpackChunkName: "i18n-it" */ './it.json', { with: { type: 'json' } }).then(({ default: it }) => it),
  is: () =>
    import(/* webpackChunkName: "i18n-is" */ './is.json', { with: { type: 'json' } }).then(({ default: is }) => is)
};

export type Vars = Record<string, string | number>;

export interface Translator<Key extends string = MessageKey> {
  /** BCP 47 tag used for formatting, e.g. fi-FI. */
  tag: string;
  language: string;
  t(key: Key, vars?: Vars): string;
  /** A plural entry with {count} filled. */
  count(key: Key, count: number, vars?: Vars): string;
  date(iso: string): string;
  /** A date with its time of day, in the same style as date(). */
  dateTime(iso: string): string;
  money(value: number, currency: string): string;
}

/** fi-FI → fi; unknown languages → en. */
export function pickLanguage(displayLanguage: string | undefined): string {
  const language = (displayLanguage ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGES as readonly string[]).includes(language) ? language : 'en';
}

/*
 * Text from data (a name, a subject) is set into a sentence as a Unicode directional isolate (FIRST STRONG
 * ISOLATE … POP DIRECTIONAL ISOLATE, the plain-text form of HTML's <bdi>) whenever it could move anything: when it
 * holds a bidirectional control (an unclosed U+202E RIGHT-TO-LEFT OVERRIDE would reverse the rest of the sentence)
 * or right-to-left letters (which pull neighbouring digits and punctuation along). Inside the isolate its direction
 * follows its first strong letter and every control ends at the isolate's end (UAX #9, rule X6a:
 * https://www.unicode.org/reports/tr9/#Explicit_Directional_Isolates). Left-to-right text needs none: our six
 * languages are left-to-right. The ranges are those where the Unicode Character Database gives right-to-left
 * classes (R, AL) even to unassigned code points (DerivedBidiClass.txt); \p{Bidi_C} is every explicit control.
 */
const MOVES_TEXT = /[\p{Bidi_C}\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u{10800}-\u{10FFF}\u{1E800}-\u{1EFFF}]/u;

/** `text` as a directional isolate when it holds anything that could reorder the text around it. */
export const isolate = (text: string): string => (MOVES_TEXT.test(text) ? `\u2068${text}\u2069` : text);

const fill = (text: string, vars: Vars = {}) =>
  text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in vars)) return whole;
    const value = vars[name];
    return typeof value === 'string' ? isolate(value) : String(value);
  });

/** Dates and numbers follow the display language when we speak it, else US English like the words. */
function formattingTag(displayLanguage: string | undefined, language: string): string {
  if (!displayLanguage || (language === 'en' && !/^en\b/i.test(displayLanguage))) return 'en-US';
  try {
    return Intl.getCanonicalLocales(displayLanguage)[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}

/** The translator for Office's display language, its catalogue fetched first (English needs nothing). */
export async function loadTranslator(displayLanguage: string | undefined): Promise<Translator> {
  const language = pickLanguage(displayLanguage);
  const catalogue = await (CATALOGUE_CHUNKS[language] ?? CATALOGUE_CHUNKS.en!)();
  return createCatalogueTranslator(displayLanguage, { [language]: catalogue }, en);
}

interface Formats {
  plural: Intl.PluralRules;
  number: Intl.NumberFormat;
  date: Intl.DateTimeFormat;
  dateTime: Intl.DateTimeFormat;
  money: Map<string, Intl.NumberFormat>;
}

/*
 * Intl's formatters, one set per tag for the page's life. The first ones a page makes cost tens of milliseconds of
 * CPU (the engine loads its locale data), so the pane makes them while the host is still getting ready (warmFormats),
 * not between the host's ready signal and the pane's first requests; and money's formatter is not made anew per amount.
 */
const formatsByTag = new Map<string, Formats>();

function formatsFor(tag: string): Formats {
  let formats = formatsByTag.get(tag);
  if (!formats) {
    formats = {
      plural: new Intl.PluralRules(tag),
      number: new Intl.NumberFormat(tag),
      date: new Intl.DateTimeFormat(tag, { day: 'numeric', month: 'short', year: 'numeric' }),
      dateTime: new Intl.DateTimeFormat(tag, {
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit'
      }),
      money: new Map()
    };
    formatsByTag.set(tag, formats);
  }
  return formats;
}

/** Makes the formatters a translator for `displayLanguage` will use, ahead of time (see formatsFor). */
export function warmFormats(displayLanguage: string | undefined): void {
  formatsFor(formattingTag(displayLanguage, pickLanguage(displayLanguage)));
}

function formatMoney(formats: Formats, tag: string, value: number, currency: string): string {
  let format = formats.money.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(tag, { style: 'currency', currency, maximumFractionDigits: 0 });
    formats.money.set(currency, format);
  }
  return format.format(value);
}

/** A translator over any set of catalogues keyed by language (the admin view brings its own, in its chunk). */
export function createCatalogueTranslator<Key extends string>(
  displayLanguage: string | undefined,
  catalogues: Record<string, Record<Key, string | PluralForms>>,
  english: Record<Key, string | PluralForms>
): Translator<Key> {
  const language = pickLanguage(displayLanguage);
  const tag = formattingTag(displayLanguage, language);
  const catalogue = catalogues[language] ?? english;
  const formats = formatsFor(tag);
  const entry = (key: Key) => catalogue[key] ?? english[key];
  return {
    tag,
    language,
    t(key, vars) {
      const value = entry(key);
      return fill(typeof value === 'string' ? value : value.other, vars);
    },
    count(key, count, vars) {
      const value = entry(key);
      if (typeof value === 'string') return fill(value, { ...vars, count });
      const forms = value as PluralForms;
      const form = forms[formats.plural.select(count) as keyof PluralForms] ?? forms.other;
      return fill(form, { ...vars, count: formats.number.format(count) });
    },
    date: (iso) => formats.date.format(new Date(iso)),
    dateTime: (iso) => formats.dateTime.format(new Date(iso)),
    money: (value, currency) => formatMoney(formats, tag, value, currency)
  };
}
