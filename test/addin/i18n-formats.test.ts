import { createCatalogueTranslator, warmFormats } from '../../src/addin/i18n/index.js';

/*
 * Intl's formatters are costly to make (the first ones load the engine's locale data): the pane makes one set per
 * language while Office gets ready, and no formatter per amount or per date.
 */

const english = { hello: 'Hello' };

function countConstructions<T extends object>(name: 'NumberFormat' | 'DateTimeFormat', run: () => T): number {
  const original = Intl[name];
  let made = 0;
  const counting = new Proxy(original, {
    construct(target, args: unknown[]) {
      made++;
      return Reflect.construct(target, args) as object;
    }
  });
  (Intl as unknown as Record<string, unknown>)[name] = counting;
  try {
    run();
  } finally {
    (Intl as unknown as Record<string, unknown>)[name] = original;
  }
  return made;
}

test('a translator for a warmed language makes no new date formatter', () => {
  warmFormats('sv-SE');
  const made = countConstructions('DateTimeFormat', () => {
    const i18n = createCatalogueTranslator('sv-SE', {}, english);
    return [i18n.date('2026-12-06T10:00:00Z'), i18n.dateTime('2026-12-06T10:00:00Z')];
  });
  expect(made).toBe(0);
});

test('amounts in one currency share one formatter, and each currency formats as its own', () => {
  const i18n = createCatalogueTranslator('fi-FI', {}, english);
  const results: string[] = [];
  const made = countConstructions('NumberFormat', () => {
    for (let amount = 1; amount <= 20; amount++) results.push(i18n.money(amount * 1000, 'EUR'));
    results.push(i18n.money(5000, 'USD'));
    return results;
  });
  expect(made).toBe(2);
  expect(results[0]).toMatch(/1\s000\s€/);
  expect(results[20]).toMatch(/5\s000\s\$/);
});

test('a currency Intl does not know is refused each time it is asked for', () => {
  const i18n = createCatalogueTranslator('en-US', {}, english);
  expect(() => i18n.money(1, 'EURO')).toThrow(RangeError);
  expect(() => i18n.money(1, 'EURO')).toThrow(RangeError);
});
