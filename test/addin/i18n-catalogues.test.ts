import { ADMIN_CATALOGUES } from '../../src/addin/i18n/admin/index.js';
import type { PluralForms } from '../../src/addin/i18n/catalogue.js';
import { CATALOGUES } from '../../src/addin/i18n/catalogues.js';

/*
 * Every translated catalogue mirrors English: same keys, no blanks, same {placeholders}, all plural forms. The
 * keys are checked when compiling too (catalogues.ts); this also covers what a type cannot see.
 */

type AnyCatalogue = Record<string, string | PluralForms>;

const translations = (prefix: string, all: Record<string, AnyCatalogue>): [string, AnyCatalogue, AnyCatalogue][] =>
  Object.entries(all)
    .filter(([language]) => language !== 'en')
    .map(([language, catalogue]) => [`${prefix}${language}`, catalogue, all.en!]);

/** [language, catalogue, its English reference]: the pane's catalogues, then the admin view's. */
const catalogues = [...translations('', CATALOGUES), ...translations('admin ', ADMIN_CATALOGUES)];

type Value = string | PluralForms;

const forms = (value: Value): [string, string][] =>
  typeof value === 'string'
    ? [['', value]]
    : Object.entries(value).filter((entry): entry is [string, string] => entry[1] !== undefined);

const placeholders = (value: Value): string[] =>
  [
    ...new Set(forms(value).flatMap(([, text]) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '')))
  ].sort();

const entries = (catalogue: AnyCatalogue) => Object.entries(catalogue);

describe.each(catalogues)('%s catalogue', (name, catalogue, reference) => {
  const language = name.replace(/^admin /, '');
  test('has exactly the keys of en', () => {
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(reference).sort());
  });

  test('has no empty strings', () => {
    const empty = entries(catalogue).flatMap(([key, value]) =>
      forms(value)
        .filter(([, text]) => text.trim() === '')
        .map(([form]) => (form ? `${key}.${form}` : key))
    );
    expect(empty).toEqual([]);
  });

  test('uses the same {placeholders} as en in every string and plural form', () => {
    const mismatches = entries(catalogue).flatMap(([key, value]) => {
      const expected = placeholders(reference[key] ?? '');
      return forms(value)
        .map(([form, text]) => ({ key: form ? `${key}.${form}` : key, found: placeholders(text) }))
        .filter(({ found }) => JSON.stringify(found) !== JSON.stringify(expected))
        .map(({ key: where, found }) => ({ where, expected, found }));
    });
    expect(mismatches).toEqual([]);
  });

  test('gives every plural category of the language, and only those', () => {
    const categories = [
      ...new Set<string>([...new Intl.PluralRules(language).resolvedOptions().pluralCategories, 'other'])
    ];
    const pluralKeys = Object.keys(reference).filter((key) => typeof reference[key] !== 'string');
    expect(pluralKeys.length).toBeGreaterThan(0);
    for (const key of pluralKeys) {
      const value = catalogue[key];
      expect({ key, type: typeof value }).toEqual({ key, type: 'object' });
      const given = Object.keys(value as PluralForms);
      expect({ key, missing: categories.filter((category) => !given.includes(category)) }).toEqual({
        key,
        missing: []
      });
      expect({ key, unknown: given.filter((category) => !categories.includes(category)) }).toEqual({
        key,
        unknown: []
      });
    }
  });
});
