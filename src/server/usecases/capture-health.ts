import { companyFromAddress } from '../../shared/company.js';
import { normalizeEmail } from '../../shared/email.js';
import type { Direction } from '../../shared/schemas/interaction.js';
import type {
  AddUnmatchedContact,
  AddUnmatchedContactResult,
  CaptureAlert,
  CaptureReport,
  UnmatchedQueue
} from '../../shared/schemas/mailbox.js';
import { buildSetupSteps, INBOUND_RULE_NAME, OUTBOUND_RULE_NAME } from '../../shared/setup-commands.js';
import { businessHoursBefore, captureRows, DAY_MS, quietDirection } from '../domain/capture.js';
import type { Principal } from '../domain/principal.js';
import { InvalidRequestError } from '../errors.js';
import type { MailboxService } from '../mailbox/service.js';
import type { Store } from '../store/index.js';
import { createContact } from './directory.js';

/*
 * Capture health for admins: what the processor saw and what became of it (per day, salesperson and direction),
 * the alert when one direction of mail goes quiet, and the unmatched queue, whose one click adds the contact and
 * sends its messages back through the processor.
 */

/** The longest report: a quarter. */
const MAX_REPORT_DAYS = 92;
const DEFAULT_REPORT_DAYS = 14;
/** Addresses the unmatched queue lists, most messages first. */
const UNMATCHED_LIMIT = 500;

const iso = (ms: number) => new Date(ms).toISOString();

/** The range asked for (epoch ms, `to` exclusive), by default the last two weeks; a 400 beyond a quarter. */
function reportRange(range: { from?: number; to?: number }, now: number): { from: number; to: number } {
  const to = range.to ?? (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  const from = range.from ?? to - DEFAULT_REPORT_DAYS * DAY_MS;
  if (to - from > MAX_REPORT_DAYS * DAY_MS) {
    throw new InvalidRequestError(`The report covers at most ${MAX_REPORT_DAYS} days; ask for a shorter range.`, [
      { location: 'querystring', pointer: '/from', detail: `must be at most ${MAX_REPORT_DAYS} days before to` }
    ]);
  }
  return { from, to };
}

export async function captureReport(
  store: Store,
  tenantId: string,
  range: { from?: number; to?: number },
  now: number
): Promise<CaptureReport> {
  const { from, to } = reportRange(range, now);
  const rows = captureRows(await store.mailbox.captureCounts(tenantId, from, to));
  const names = await salespersonNames(
    store,
    tenantId,
    rows.map((row) => row.salespersonId)
  );
  return {
    from: iso(from),
    to: iso(to),
    rows: rows.map(({ salespersonId, ...row }) => ({
      ...row,
      salesperson: salespersonId === null ? null : { id: salespersonId, name: names.get(salespersonId) ?? null }
    }))
  };
}

async function salespersonNames(store: Store, tenantId: string, ids: Array<string | null>) {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (id === null) continue;
    // A salesperson deleted since keeps their rows, without a name.
    const salesperson = await store.directory.getSalesperson(tenantId, id).catch(() => null);
    if (salesperson) names.set(id, salesperson.name);
  }
  return names;
}

const RULES: Record<Direction, { name: string; commandId: string }> = {
  inbound: { name: INBOUND_RULE_NAME, commandId: 'inbound-rule' },
  outbound: { name: OUTBOUND_RULE_NAME, commandId: 'outbound-rule' }
};

/**
 * The alert of the health view: a direction that saw nothing for the tenant's threshold of business hours while
 * the other saw mail, with the setup guide's rule for it (its name and the PowerShell that creates it).
 */
export async function captureAlerts(store: Store, tenantId: string, now: number): Promise<CaptureAlert[]> {
  const settings = await store.mailbox.getSettings(tenantId);
  const hours = settings.captureAlertHours;
  if (!settings.enabled || !settings.mailboxAddress || hours <= 0) return [];
  const since = businessHoursBefore(now, hours);
  const quiet = quietDirection(await store.mailbox.seenByDirection(tenantId, since));
  if (!quiet) return [];
  const rule = RULES[quiet];
  const steps = buildSetupSteps({ mailboxAddress: settings.mailboxAddress });
  const command = steps.flatMap((step) => step.commands).find((c) => c.id === rule.commandId);
  return [
    {
      direction: quiet,
      quietSince: iso(since),
      businessHours: hours,
      rule: { name: rule.name, command: command?.text ?? '' }
    }
  ];
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

/** The unmatched queue: by address (with the company a contact would be proposed with), and by domain. */
export async function unmatchedQueue(store: Store, tenantId: string): Promise<UnmatchedQueue> {
  const addresses = (await store.mailbox.unmatched(tenantId, UNMATCHED_LIMIT)).map((entry) => ({
    address: entry.address,
    domain: domainOf(entry.address),
    count: entry.count,
    lastReceivedAt: entry.lastReceivedAt === null ? null : iso(entry.lastReceivedAt),
    proposedCompany: companyFromAddress(entry.address)
  }));
  const domains = new Map<string, { domain: string; count: number; addresses: number }>();
  for (const entry of addresses) {
    const domain = domains.get(entry.domain) ?? { domain: entry.domain, count: 0, addresses: 0 };
    domain.count += entry.count;
    domain.addresses += 1;
    domains.set(entry.domain, domain);
  }
  const byCount = [...domains.values()].sort((a, b) => b.count - a.count || (a.domain < b.domain ? -1 : 1));
  return { addresses, domains: byCount };
}

/**
 * One click from the unmatched queue: the contact is created (or the existing one with this address taken), and
 * the address's not-logged messages are sent back: a run started now moves them to the Inbox and processes them
 * like new, so they are logged by the same pipeline, once (the log's unique key), and filed in the archive. A run
 * already under way leaves them to the next one. Calling it again creates nothing and sends nothing back twice.
 */
export async function addUnmatchedContact(
  store: Store,
  mailbox: MailboxService,
  principal: Principal,
  input: AddUnmatchedContact,
  now: number,
  /** Starts a run without waiting for it (its outcome shows in the runs list and the history). */
  startRun: () => void
): Promise<AddUnmatchedContactResult> {
  const { tenantId } = principal;
  const address = normalizeEmail(input.address) ?? input.address;
  const known = (await store.directory.resolveAddresses(tenantId, [address])).contacts.get(address);
  const contact = known
    ? await store.directory.getContact(tenantId, known.id)
    : await createContact(store, principal, {
        name: input.name,
        email: address,
        company: input.company === undefined ? companyFromAddress(address) : input.company
      });
  const requeued = await store.mailbox.requestReprocess(tenantId, address, now);
  if (requeued > 0 && mailbox.configured) startRun();
  return { contact, created: !known, requeued };
}
