/*
 * The currencies the pane offers: ISO 4217 codes as the browser knows them (the API accepts the same list,
 * from the same Intl.supportedValuesOf), the usual one first, then the common ones, then the rest.
 */

/** The codes most deals here are in: the euro and the dollar, then the currencies of the six languages' countries. */
export const COMMON_CURRENCIES = ['EUR', 'USD', 'GBP', 'SEK', 'NOK', 'DKK', 'ISK', 'CHF', 'PLN', 'RUB', 'JPY', 'CNY'];

const allCodes = (): string[] =>
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : COMMON_CURRENCIES;

/** Every code once: `usual` first (when it is one), the common ones, then all others alphabetically. */
export function currencyChoices(usual: string | null): string[] {
  const all = allCodes();
  const known = new Set(all);
  const first = usual && known.has(usual) ? [usual] : [];
  return [...new Set([...first, ...COMMON_CURRENCIES.filter((code) => known.has(code)), ...all])];
}

export const isCurrencyCode = (code: string): boolean => allCodes().includes(code);

/** "EUR · euro" in the pane's language, or the code alone where the browser has no name for it. */
export function currencyLabel(code: string, tag: string): string {
  try {
    const name = new Intl.DisplayNames([tag], { type: 'currency' }).of(code);
    return name && name !== code ? `${code} · ${name}` : code;
  } catch {
    return code;
  }
}

/** The currency most of these opportunities are in (the tenant's usual one, as far as the pane knows), or null. */
export function usualCurrency(opportunities: Array<{ currency: string | null }>): string | null {
  const counts = new Map<string, number>();
  for (const { currency } of opportunities) if (currency) counts.set(currency, (counts.get(currency) ?? 0) + 1);
  let best: string | null = null;
  for (const [code, count] of counts) if (best === null || count > (counts.get(best) ?? 0)) best = code;
  return best;
}
