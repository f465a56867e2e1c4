/*
 * Amounts as people type them in their own language: "12,5" is twelve and a half in Finnish, "1 234,50"
 * in Swedish or Russian (with a space, a no-break space or a narrow no-break space between the groups),
 * "1,234.50" in English, "1.234,50" in Italian. The separators come from Intl for the pane's locale.
 */

interface Separators {
  group: string;
  decimal: string;
}

function separatorsOf(tag: string): Separators {
  const parts = new Intl.NumberFormat(tag).formatToParts(12345.6);
  return {
    group: parts.find((part) => part.type === 'group')?.value ?? ',',
    decimal: parts.find((part) => part.type === 'decimal')?.value ?? '.'
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
// Every kind of space a keyboard, Excel or Intl puts between digit groups.
const SPACES = '\\s\\u00A0\\u202F\\u2009';

/**
 * The number an amount in `tag`'s notation stands for, or null when it is not one (empty, negative, letters,
 * groups of the wrong size, two decimal marks). A point is also taken as the decimal mark where it is not the
 * group mark, since many people type one whatever their language.
 */
export function parseAmount(text: string, tag: string): number | null {
  const { group, decimal } = separatorsOf(tag);
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const groupPattern = /\s/.test(group) ? `[${SPACES}]` : escape(group);
  const decimals = [decimal, ...(group !== '.' && decimal !== '.' ? ['.'] : [])].map(escape).join('|');
  const grouped = new RegExp(`^(\\d{1,3}(?:${groupPattern}\\d{3})+|\\d+)(?:(?:${decimals})(\\d+))?$`, 'u');
  const match = grouped.exec(trimmed);
  if (!match) return null;
  const whole = (match[1] ?? '').replace(/\D/g, '');
  const value = Number(match[2] === undefined ? whole : `${whole}.${match[2]}`);
  return Number.isFinite(value) ? value : null;
}

/** An amount written for editing in `tag`'s notation: no grouping, at most two decimals ("1234,5" in Finnish). */
export function formatAmountForInput(value: number, tag: string): string {
  return new Intl.NumberFormat(tag, { useGrouping: false, maximumFractionDigits: 2 }).format(value);
}
