import { calendarLocale, dateFromIso, isoFromDate } from '../../src/addin/i18n/calendar.js';
import { createTranslator } from '../../src/addin/i18n/catalogues.js';

/* Dates in Outlook's display language: names from Intl, the language's order of day, month and year. */

const localeOf = (language: string) => calendarLocale(createTranslator(language));

test('each language writes and reads dates in its own order', () => {
  const newYearsEve = new Date(2026, 11, 31);
  expect(localeOf('fi-FI').format(newYearsEve)).toBe('31.12.2026');
  expect(localeOf('en-US').format(newYearsEve)).toBe('12/31/2026');
  expect(localeOf('sv-SE').format(newYearsEve)).toBe('2026-12-31');
  for (const language of ['fi-FI', 'en-US', 'sv-SE', 'it-IT', 'ru-RU', 'is-IS']) {
    const locale = localeOf(language);
    expect({ language, read: locale.parse(locale.format(newYearsEve)) }).toEqual({ language, read: newYearsEve });
    // The API's own form is always understood.
    expect({ language, read: locale.parse('2026-12-31') }).toEqual({ language, read: newYearsEve });
  }
  expect(localeOf('fi-FI').parse('1.3.2026')).toEqual(new Date(2026, 2, 1));
  expect(localeOf('en-US').parse('3/1/26')).toEqual(new Date(2026, 2, 1));
});

test('what is not a date is refused, not rolled over', () => {
  const finnish = localeOf('fi-FI');
  expect(finnish.parse('31.2.2026')).toBeNull();
  expect(finnish.parse('huomenna')).toBeNull();
  expect(finnish.parse('1.3')).toBeNull();
});

test('month and day names and the first day of the week follow the language', () => {
  const russian = localeOf('ru-RU');
  expect(russian.strings.months[0]).toBe('январь');
  expect(russian.firstDayOfWeek).toBe(1);
  expect(localeOf('en-US').firstDayOfWeek).toBe(0);
  expect(localeOf('fi-FI').strings.goToToday).toBe('Siirry tähän päivään');
  expect(localeOf('it-IT').strings.days[0]).toBe('domenica');
});

test('calendar dates travel as YYYY-MM-DD', () => {
  expect(isoFromDate(new Date(2027, 1, 26))).toBe('2027-02-26');
  expect(dateFromIso('2027-02-26')).toEqual(new Date(2027, 1, 26));
  expect(dateFromIso('')).toBeNull();
  expect(dateFromIso('unreadable')).toBeNull();
});
