/**
 * The one way addresses are compared everywhere: trimmed and lower-cased, display names ignored.
 * Returns null for anything that is not a usable Internet address (Exchange's X.500 paths, blanks).
 */
export function normalizeEmail(value: string | null | undefined): string | null {
  if (typeof value !== 'string') return null;
  const address = value.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at < 1 || at === address.length - 1 || /\s/.test(address)) return null;
  return address;
}
