import { DEMO_ORG_DOMAIN, DEMO_TENANT_ID } from '../../shared/demo.js';
import type { PersonRef } from '../../shared/schemas/common.js';
import type { Contact, Salesperson } from '../../shared/schemas/directory.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import { logThread } from '../usecases/log-messages.js';
import { valuesForCreate } from '../domain/opportunities.js';
import { WHOLE_TENANT, type Store } from '../store/index.js';

/*
 * A demo organization, Northwind, whose salespeople sell to a handful of customer companies. Built
 * through the same store and matching rules as real traffic, from a fixed random seed, so every fresh
 * start shows the same believable months of history.
 */

export const DEMO_SALESPEOPLE = [
  { name: 'Ana López', email: `ana.lopez@${DEMO_ORG_DOMAIN}` },
  { name: 'Mikko Virtanen', email: `mikko.virtanen@${DEMO_ORG_DOMAIN}` },
  { name: 'Sofia Lindqvist', email: `sofia.lindqvist@${DEMO_ORG_DOMAIN}` },
  { name: 'Giulia Rossi', email: `giulia.rossi@${DEMO_ORG_DOMAIN}` },
  { name: 'Jón Sigurðsson', email: `jon.sigurdsson@${DEMO_ORG_DOMAIN}` },
  { name: 'Irina Petrova', email: `irina.petrova@${DEMO_ORG_DOMAIN}` }
];

const COMPANIES = [
  {
    name: 'Fabrikam',
    domain: 'fabrikam.example',
    people: ['Lena Berg', 'Tomás Ortega', 'Priya Natarajan', 'Olli Heikkinen']
  },
  {
    name: 'Contoso Pharmaceuticals',
    domain: 'contoso.example',
    people: ['Marta Kowalska', 'David Chen', 'Sanna Mäkelä']
  },
  {
    name: 'Adatum Logistics',
    domain: 'adatum.example',
    people: ['Erik Johansson', 'Chiara Bianchi', 'Guðrún Jónsdóttir']
  },
  { name: 'Litware', domain: 'litware.example', people: ['Noah Fischer', 'Aisha Bello', 'Pavel Smirnov'] },
  { name: 'Tailspin Toys', domain: 'tailspin.example', people: ['Emma Laurent', 'Kenji Watanabe', 'Freya Nilsson'] },
  {
    name: 'Wide World Importers',
    domain: 'wideworld.example',
    people: ['Lucas Moreau', 'Ingrid Hansen', 'Matteo Greco', 'Anya Volkova']
  }
];

/** What the demo's (and the benchmark's) emails are about. */
export const DEMO_TOPICS = [
  'Pricing for the 2027 renewal',
  'Follow-up on last week’s demo',
  'Volume discount question',
  'Contract draft — comments',
  'Onboarding schedule',
  'Security questionnaire',
  'Quarterly business review',
  'Invoice clarification',
  'Pilot results',
  'New warehouse locations',
  'Integration with our ERP',
  'Meeting next Tuesday?'
];

export const DEMO_PREVIEWS = [
  'Thanks for the quick turnaround. We reviewed the numbers with finance and have a few questions about the tiers.',
  'As promised, here is the summary of what we discussed and the next steps on both sides.',
  'Could you send over the updated proposal? Our procurement team meets on Thursday.',
  'Great to see the pilot going well. Attaching the usage report for the first month.',
  'Just checking in before the holidays — do you still plan to start in January?',
  'We would like to add two more sites to the order. What would that do to the price?'
];

/** Mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const slug = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ð/g, 'd')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.');

export interface DemoOptions {
  tenantId?: string;
  now?: number;
  /** How many emails to generate (each becomes one or more entries). */
  messages?: number;
}

type Random = () => number;
const DAY_MS = 86_400_000;
const chooser =
  (pick: Random) =>
  <T>(items: readonly T[]): T =>
    items[Math.floor(pick() * items.length)] as T;

export async function seedDemoTenant(store: Store, options: DemoOptions = {}): Promise<{ interactions: number }> {
  const tenantId = options.tenantId ?? DEMO_TENANT_ID;
  const now = options.now ?? Date.now();
  const pick = seededRandom(20261122);
  const { salespeople, contacts } = await seedDirectory(store, tenantId, pick);
  // Each contact mostly talks to one account owner, sometimes to a colleague.
  const owner = new Map(contacts.map((c, i) => [c.id, salespeople[i % salespeople.length] as Salesperson]));
  const messages = demoMessages(contacts, salespeople, owner, { count: options.messages ?? 320, now, pick });
  const interactions = await logDemoMessages(store, tenantId, messages, now);
  await seedOpportunities(store, tenantId, contacts.slice(0, 8), owner, { now, pick });
  return { interactions };
}

/** One team managed by its first salesperson, and every company's people as contacts. */
async function seedDirectory(
  store: Store,
  tenantId: string,
  pick: Random
): Promise<{ salespeople: Salesperson[]; contacts: Contact[] }> {
  const team = await store.directory.createTeam(tenantId, { name: 'Nordic & Southern Europe' });
  const salespeople: Salesperson[] = [];
  for (const person of DEMO_SALESPEOPLE) {
    salespeople.push(await store.directory.createSalesperson(tenantId, { ...person, teamId: team.id }));
  }
  await store.directory.updateTeam(tenantId, team.id, { managerId: salespeople[0]?.id ?? null });

  const contacts: Contact[] = [];
  for (const company of COMPANIES) {
    for (const name of company.people) {
      const local = slug(name);
      contacts.push(
        await store.directory.createContact(
          tenantId,
          {
            name,
            email: `${local}@${company.domain}`,
            alternateEmails: pick() < 0.25 ? [`${local.split('.')[0] ?? local}@mail.${company.domain}`] : [],
            company: company.name,
            phone: `+358 40 ${String(Math.floor(pick() * 9_000_000) + 1_000_000)}`
          },
          null
        )
      );
    }
  }
  return { salespeople, contacts };
}

interface DemoMessage {
  message: GraphMessage;
  /** Who logged it from the pane; null when the shared mailbox did. */
  by: PersonRef | null;
}

/** `count` emails over the last 180 days, each between a contact and (mostly) their account owner. */
function demoMessages(
  contacts: Contact[],
  salespeople: Salesperson[],
  owner: ReadonlyMap<string, Salesperson>,
  { count, now, pick }: { count: number; now: number; pick: Random }
): DemoMessage[] {
  const choose = chooser(pick);
  const messages: DemoMessage[] = [];
  for (let i = 0; i < count; i++) {
    const contact = choose(contacts);
    const salesperson = pick() < 0.8 ? (owner.get(contact.id) as Salesperson) : choose(salespeople);
    const outbound = pick() < 0.5;
    const at = new Date(now - Math.floor(pick() * 180 * DAY_MS)).toISOString();
    const topic = choose(DEMO_TOPICS);
    const contactAddress = { emailAddress: { name: contact.name, address: contact.email } };
    const salesAddress = { emailAddress: { name: salesperson.name, address: salesperson.email } };
    const id = `<demo-${i.toString(36)}-${Math.floor(pick() * 1e9).toString(36)}@${outbound ? DEMO_ORG_DOMAIN : contact.email.split('@')[1]}>`;
    messages.push({
      by: pick() < 0.3 ? { id: salesperson.id, name: salesperson.name, email: salesperson.email } : null,
      message: {
        internetMessageId: id,
        conversationId: `demo-conversation-${contact.id}-${topic.length}`,
        subject: pick() < 0.5 ? topic : `Re: ${topic}`,
        bodyPreview: choose(DEMO_PREVIEWS),
        webLink: null,
        sentDateTime: at,
        receivedDateTime: at,
        isDraft: false,
        from: outbound ? salesAddress : contactAddress,
        sender: outbound ? salesAddress : contactAddress,
        toRecipients: [outbound ? contactAddress : salesAddress],
        ccRecipients: []
      }
    });
  }
  return messages;
}

/** Logs the messages the way they arrived: from the pane by whoever logged them, the rest through the mailbox. */
async function logDemoMessages(store: Store, tenantId: string, messages: DemoMessage[], now: number): Promise<number> {
  const byLogger = new Map<string, { by: PersonRef | null; messages: GraphMessage[] }>();
  for (const { message, by } of messages) {
    const key = by?.id ?? 'mailbox';
    const group = byLogger.get(key) ?? { by, messages: [] };
    group.messages.push(message);
    byLogger.set(key, group);
  }
  let interactions = 0;
  for (const { by, messages: batch } of byLogger.values()) {
    for (let start = 0; start < batch.length; start += 100) {
      const result = await logThread(store, tenantId, batch.slice(start, start + 100), {
        source: by === null ? 'mailbox' : 'addin',
        loggedBy: by,
        now
      });
      interactions += result.logged.length;
    }
  }
  return interactions;
}

/** A few open and closed opportunities, linked to recent entries of their contact. */
async function seedOpportunities(
  store: Store,
  tenantId: string,
  contacts: Contact[],
  owner: ReadonlyMap<string, Salesperson>,
  { now, pick }: { now: number; pick: Random }
): Promise<void> {
  const choose = chooser(pick);
  const stages = ['qualification', 'proposal', 'negotiation'] as const;
  for (const [index, contact] of contacts.entries()) {
    const history = await store.interactions.list(tenantId, { scope: WHOLE_TENANT, contactId: contact.id, limit: 3 });
    const seller = owner.get(contact.id) as Salesperson;
    const input = {
      description: `${COMPANIES.find((c) => contact.email.endsWith(c.domain))?.name ?? contact.name}: ${choose(DEMO_TOPICS).toLowerCase()}`,
      contactId: contact.id,
      interactionIds: history.items.filter((entry) => entry.opportunityId === null).map((entry) => entry.id),
      stage: stages[index % stages.length],
      estimatedValue: Math.round(5_000 + pick() * 95_000),
      currency: 'EUR',
      expectedCloseDate: new Date(now + (15 + Math.floor(pick() * 120)) * DAY_MS).toISOString().slice(0, 10)
    };
    const created = await store.opportunities.create(
      tenantId,
      input,
      valuesForCreate(input),
      seller,
      null,
      WHOLE_TENANT
    );
    if (index === 6) {
      await store.opportunities.update(
        tenantId,
        created.id,
        {
          ...valuesForCreate(input),
          status: 'won',
          probability: 100,
          closedAt: now,
          closeReason: 'Best total cost over three years'
        },
        [],
        null,
        WHOLE_TENANT
      );
    }
  }
}
