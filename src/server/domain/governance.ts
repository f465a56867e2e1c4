import { normalizeEmail } from '../../shared/email.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import { participantAddresses } from './matching.js';

/*
 * The tenant's rules on what must never be logged, applied before the matching rules: addresses and
 * domains an admin excluded (a lawyer, a bank, HR), and mail that never left the organization.
 */

export interface LoggingPolicy {
  neverLogDomains: string[];
  neverLogAddresses: string[];
  skipInternalOnly: boolean;
  /** The organization's own domains (those of its salespeople), for "internal only". */
  organizationDomains: string[];
}

export type PolicyVerdict =
  { allowed: true } | { allowed: false; reason: 'never-log' | 'internal-only'; detail: string };

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

export function checkPolicy(message: GraphMessage, policy: LoggingPolicy): PolicyVerdict {
  const addresses = participantAddresses(message);
  const blockedAddresses = new Set(policy.neverLogAddresses.map((a) => normalizeEmail(a)).filter(Boolean));
  const blockedDomains = new Set(policy.neverLogDomains.map((d) => d.trim().toLowerCase().replace(/^@/, '')));
  const blocked = addresses.find((a) => blockedAddresses.has(a) || blockedDomains.has(domainOf(a)));
  if (blocked) {
    return { allowed: false, reason: 'never-log', detail: `${blocked} is on the tenant's never-log list.` };
  }
  if (policy.skipInternalOnly && addresses.length > 0) {
    const internal = new Set(policy.organizationDomains.map((d) => d.toLowerCase()));
    if (addresses.every((a) => internal.has(domainOf(a)))) {
      return { allowed: false, reason: 'internal-only', detail: 'Everyone on the message is in the organization.' };
    }
  }
  return { allowed: true };
}
