import type { Translator } from './index.js';

/*
 * Dates typed and picked in Outlook's display language rather than the browser's: a native date field follows
 * the browser's locale, which in Outlook need not be the user's. Names of months and days come from Intl in the
 * pane's formatting tag; the few words around the calendar come from the catalogues. Values are the API's
 * calendar dates, YYYY-MM-DD.
 */

export interface CalendarLocale {
  /** Month and day names and the calendar's words, as Fluent's date picker takes them. */
  strings: {
    months: string[];
    shortMonths: string[];
    days: string[];
    shortDays: string[];
    goToToday: string;
    prevMonthAriaLabel: string;
    nextMonthAriaLabel: string;
    prevYearAriaLabel: string;
    nextYearAriaLabel: string;
    closeButtonAriaLabel: string;
  };
  /** 0 = Sunday … 6 = Saturday. */
  firstDayOfWeek: number;
  format(date: Date): string;
  /** A typed date in the language's numeric order (or YYYY-MM-DD), or null. */
  parse(text: string): Date | null;
  /** The last day of this year, written as the language writes dates: a placeholder that shows the order. */
  example: string;
}

const range = (count: number) => Array.from({ length: count }, (_, index) => index);

/** 2000-01-02 was a Sunday: day n of that week is the n-th weekday counted from Sunday. */
const weekday = (index: number) => new Date(2000, 0, 2 + index);

function firstDayOf(tag: string): number {
  try {
    const locale = new Intl.Locale(tag) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const firstDay = (locale.getWeekInfo?.() ?? locale.weekInfo)?.firstDay;
    if (firstDay) return firstDay % 7; // Intl counts 1 = Monday … 7 = Sunday
  } catch {
    // an engine without week data: fall through
  }
  return /^en-US$/i.test(tag) ? 0 : 1;
}

export function calendarLocale(i18n: Pick<Translator, 'tag' | 't'>): CalendarLocale {
  const { tag } = i18n;
  const name = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(tag, options);
  const numeric = name({ day: 'numeric', month: 'numeric', year: 'numeric' });
  const order = numeric
    .formatToParts(new Date(2026, 11, 31))
    .map((part) => part.type)
    .filter((type): type is 'day' | 'month' | 'year' => type === 'day' || type === 'month' || type === 'year');
  return {
    strings: {
      months: range(12).map((month) => name({ month: 'long' }).format(new Date(2000, month, 1))),
      shortMonths: range(12).map((month) => name({ month: 'short' }).format(new Date(2000, month, 1))),
      days: range(7).map((day) => name({ weekday: 'long' }).format(weekday(day))),
      shortDays: range(7).map((day) => name({ weekday: 'short' }).format(weekday(day))),
      goToToday: i18n.t('goToToday'),
      prevMonthAriaLabel: i18n.t('previousMonth'),
      nextMonthAriaLabel: i18n.t('nextMonth'),
      prevYearAriaLabel: i18n.t('previousYear'),
      nextYearAriaLabel: i18n.t('nextYear'),
      closeButtonAriaLabel: i18n.t('close')
    },
    firstDayOfWeek: firstDayOf(tag),
    format: (date) => numeric.format(date),
    parse(text) {
      const trimmed = text.trim();
      const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(trimmed);
      const numbers = iso ? iso.slice(1).map(Number) : (trimmed.match(/\d+/g) ?? []).map(Number);
      if (numbers.length !== 3 || order.length !== 3) return null;
      const parts: Record<'day' | 'month' | 'year', number> = { day: 0, month: 0, year: 0 };
      (iso ? (['year', 'month', 'day'] as const) : order).forEach((type, index) => (parts[type] = numbers[index]!));
      if (parts.year < 100) parts.year += 2000;
      const date = new Date(parts.year, parts.month - 1, parts.day);
      // Rejects 31.2. and the like, which Date would roll over into the next month.
      const valid =
        date.getFullYear() === parts.year && date.getMonth() === parts.month - 1 && date.getDate() === parts.day;
      return valid ? date : null;
    },
    example: numeric.format(new Date(new Date().getFullYear(), 11, 31))
  };
}

/** YYYY-MM-DD as a local date, or null. */
export function dateFromIso(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A local date as YYYY-MM-DD. */
export const isoFromDate = (date: Date): string =>
  `${String(date.getFullYear()).padStart(4, '0')}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
