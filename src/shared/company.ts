import { normalizeEmail } from './email.js';

/*
 * A company name guessed from an address's domain, for the Add contact form: lena@fabrikam.com → "Fabrikam".
 * Addresses at public mail providers say nothing about the company, so they propose none.
 */

/** Public mail providers, including the ones common in the pane's languages (fi, is, it, ru, sv). */
export const PUBLIC_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.net',
  'mail.com',
  'zoho.com',
  'yandex.ru',
  'yandex.com',
  'mail.ru',
  'inbox.ru',
  'list.ru',
  'bk.ru',
  'rambler.ru',
  'libero.it',
  'virgilio.it',
  'tiscali.it',
  'alice.it',
  'tim.it',
  'suomi24.fi',
  'luukku.com',
  'telia.com',
  'bredband.net',
  'simnet.is',
  'internet.is'
]);

/** Second-level labels under which companies register (fabrikam.co.uk): the company is the label before. */
const REGISTRY_LABELS = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'ltd', 'plc']);

/** "Fabrikam" for lena@sales.fabrikam.co.uk; null for public mail providers and anything not an address. */
export function companyFromAddress(email: string): string | null {
  const domain = normalizeEmail(email)?.split('@')[1];
  if (!domain || [...PUBLIC_MAIL_DOMAINS].some((p) => domain === p || domain.endsWith(`.${p}`))) return null;
  const labels = domain.split('.').filter(Boolean);
  if (labels.length < 2) return null;
  labels.pop(); // the top-level domain
  if (labels.length > 1 && REGISTRY_LABELS.has(labels[labels.length - 1]!)) labels.pop();
  const name = labels[labels.length - 1]!;
  return name
    .split('-')
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
}
