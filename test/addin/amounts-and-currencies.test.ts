import { formatAmountForInput, parseAmount } from '../../src/addin/i18n/amount.js';
import { currencyChoices, currencyLabel, usualCurrency } from '../../src/addin/i18n/currencies.js';

/* Amounts as people type them, in the pane's six languages, and the currencies the pane offers. */

test.each([
  ['fi-FI', '12,5', 12.5],
  ['fi-FI', '12.5', 12.5],
  ['fi-FI', '1 234,50', 1234.5],
  ['fi-FI', '1\u00A0234,50', 1234.5],
  ['sv-SE', '1\u202F234,50', 1234.5],
  ['ru-RU', '1\u202F234\u202F567,89', 1234567.89],
  ['ru-RU', ' 1234,5 ', 1234.5],
  ['en-US', '1,234.50', 1234.5],
  ['en-US', '1234.5', 1234.5],
  ['en-GB', '12', 12],
  ['it-IT', '1.234,50', 1234.5],
  ['is-IS', '1.234', 1234],
  ['en-US', '0', 0]
])('%s reads "%s" as %d', (tag, text, expected) => {
  expect(parseAmount(text, tag)).toBe(expected);
});

test.each([
  ['en-US', ''],
  ['en-US', '   '],
  ['en-US', '12,5'], // a comma groups thousands in English: "12,5" is no amount
  ['en-US', '1,23,4'],
  ['en-US', '-5'],
  ['en-US', '12a'],
  ['en-US', '1.2.3'],
  ['fi-FI', '12,5,0'],
  ['fi-FI', '1 23'],
  ['it-IT', '12.5'], // a point groups thousands in Italian
  ['sv-SE', 'ten']
])('%s refuses "%s"', (tag, text) => {
  expect(parseAmount(text, tag)).toBeNull();
});

test('what the form shows for editing reads back as the same amount', () => {
  for (const tag of ['en-US', 'fi-FI', 'sv-SE', 'ru-RU', 'it-IT', 'is-IS']) {
    const text = formatAmountForInput(1234567.5, tag);
    expect(parseAmount(text, tag)).toBe(1234567.5);
  }
  expect(formatAmountForInput(12.5, 'fi-FI')).toBe('12,5');
});

describe('currencies', () => {
  test('the usual currency first, then the common ones, every ISO 4217 code once', () => {
    const choices = currencyChoices('ISK');
    expect(choices.slice(0, 3)).toEqual(['ISK', 'EUR', 'USD']);
    expect(new Set(choices).size).toBe(choices.length);
    expect([...choices].sort()).toEqual([...Intl.supportedValuesOf('currency')].sort());
    expect(currencyChoices('ZZZ')[0]).toBe('EUR');
  });
  test('named in the pane language', () => {
    expect(currencyLabel('EUR', 'fi-FI')).toBe('EUR · euro');
    expect(currencyLabel('SEK', 'en-US')).toBe('SEK · Swedish Krona');
  });
  test('the usual currency is the most frequent one known', () => {
    expect(usualCurrency([{ currency: 'SEK' }, { currency: 'EUR' }, { currency: 'SEK' }, { currency: null }])).toBe(
      'SEK'
    );
    expect(usualCurrency([])).toBeNull();
  });
});
