import { setImmediate as nextTurn } from 'node:timers/promises';
import { DEMO_PREVIEWS, DEMO_TOPICS, seededRandom } from '../../src/server/demo/seed.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import { newId } from '../../src/server/store/ids.js';
import type { NewInteraction, Store } from '../../src/server/store/index.js';

/*
 * The benchmark's data set: one tenant whose salespeople have emailed with thousands of contacts for two
 * years. Everything goes through the public store API, as the server itself writes it; a fixed random
 * seed makes every run build the same history.
 */

const BENCH_TENANT_ID = 'be4c0000-0000-4000-8000-000000000001';
const ORG_DOMAIN = 'northwind.example';

export interface DatasetSize {
  contacts: number;
  salespeople: number;
  entries: number;
}

export interface Dataset {
  tenantId: string;
  contacts: PersonRef[];
  salespeople: PersonRef[];
  /** The salesperson who each contact mostly writes with. */
  ownerOf(contactIndex: number): PersonRef;
}

export interface SeedTimings {
  directoryMs: number;
  entriesMs: number;
}

/** Entries handed to one insertNew call: one transaction, written in chunks by the store. */
const ENTRIES_PER_CALL = 20_000;
const HISTORY_MS = 2 * 365 * 86_400_000;
/** Share of entries a contact exchanges with its account owner rather than another salesperson. */
const OWNER_SHARE = 0.8;
/** Share of entries logged from the pane by a salesperson; the rest came through the shared mailbox. */
const ADDIN_SHARE = 0.3;

const FIRST_NAMES = [
  'Ana',
  'Mikko',
  'Sofia',
  'Giulia',
  'Jón',
  'Irina',
  'Lena',
  'Tomás',
  'Priya',
  'Olli',
  'Marta',
  'David',
  'Sanna',
  'Erik',
  'Chiara',
  'Noah',
  'Aisha',
  'Pavel',
  'Emma',
  'Kenji',
  'Freya',
  'Lucas',
  'Ingrid',
  'Matteo',
  'Anya'
];
const LAST_NAMES = [
  'López',
  'Virtanen',
  'Lindqvist',
  'Rossi',
  'Petrova',
  'Berg',
  'Ortega',
  'Natarajan',
  'Heikkinen',
  'Kowalska',
  'Chen',
  'Mäkelä',
  'Johansson',
  'Bianchi',
  'Fischer',
  'Bello',
  'Smirnov',
  'Laurent',
  'Watanabe',
  'Nilsson'
];

export function pickFrom<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ð/g, 'd')
    .toLowerCase();

/** A distinct, plausible name for the n-th person of a kind. */
function personName(n: number): { first: string; last: string } {
  return {
    first: FIRST_NAMES[n % FIRST_NAMES.length] as string,
    last: LAST_NAMES[Math.floor(n / FIRST_NAMES.length) % LAST_NAMES.length] as string
  };
}

const toRef = (person: PersonRef): PersonRef => ({ id: person.id, name: person.name, email: person.email });

/** Creates the salespeople and contacts one by one, through the same calls the directory API makes. */
async function seedDirectory(store: Store, tenantId: string, size: DatasetSize): Promise<Omit<Dataset, 'ownerOf'>> {
  const salespeople: PersonRef[] = [];
  for (let n = 0; n < size.salespeople; n++) {
    const { first, last } = personName(n);
    const created = await store.directory.createSalesperson(tenantId, {
      name: `${first} ${last}`,
      email: `${slug(first)}.${slug(last)}.${n}@${ORG_DOMAIN}`
    });
    salespeople.push(toRef(created));
  }
  const contacts: PersonRef[] = [];
  for (let n = 0; n < size.contacts; n++) {
    // better-sqlite3 answers synchronously, so only promise jobs run in between: let signals through now and then.
    if (n % 1000 === 0) await nextTurn();
    const { first, last } = personName(n * 7 + 3);
    const company = n % 1000;
    const created = await store.directory.createContact(
      tenantId,
      {
        name: `${first} ${last}`,
        email: `${slug(first)}.${slug(last)}.${n}@customer-${company}.example`,
        company: `Customer ${company} Oy`,
        phone: `+358 40 ${String(1_000_000 + n)}`
      },
      null
    );
    contacts.push(toRef(created));
  }
  return { tenantId, contacts, salespeople };
}

/** One message between a contact and a salesperson, as the log keeps it. */
function entryFor(n: number, occurredAt: number, dataset: Dataset, random: () => number): NewInteraction {
  const contactIndex = Math.floor(random() * dataset.contacts.length);
  const contact = dataset.contacts[contactIndex] as PersonRef;
  const salesperson = random() < OWNER_SHARE ? dataset.ownerOf(contactIndex) : pickFrom(dataset.salespeople, random);
  const outbound = random() < 0.5;
  const topic = pickFrom(DEMO_TOPICS, random);
  const byPane = random() < ADDIN_SHARE;
  const senderDomain = outbound ? ORG_DOMAIN : contact.email.slice(contact.email.indexOf('@') + 1);
  return {
    id: newId(),
    internetMessageId: `<bench-${n.toString(36)}.${Math.floor(random() * 1e9).toString(36)}@${senderDomain}>`,
    conversationId: `AAQkAGI2bench${contactIndex.toString(36)}-${topic.length.toString(36)}`,
    occurredAt,
    direction: outbound ? 'outbound' : 'inbound',
    subject: random() < 0.5 ? topic : `Re: ${topic}`,
    preview: pickFrom(DEMO_PREVIEWS, random),
    contact,
    salesperson,
    source: byPane ? 'addin' : 'mailbox',
    webLink: `https://outlook.office365.com/owa/?ItemID=AAMkAGI2bench${n.toString(36)}&exvsurl=1&viewmodel=ReadMessageItem`,
    loggedBy: byPane ? salesperson : null,
    loggedAt: occurredAt + Math.floor(random() * 3_600_000)
  };
}

/** Each contact's account owner: salespeople in turn. */
export function withOwners(directory: Omit<Dataset, 'ownerOf'>): Dataset {
  return {
    ...directory,
    ownerOf: (contactIndex) => directory.salespeople[contactIndex % directory.salespeople.length] as PersonRef
  };
}

/**
 * Seeds an empty store: the directory first, then `size.entries` log entries spread over the last two
 * years, each contact writing mostly with its account owner.
 */
export async function seedDataset(
  store: Store,
  size: DatasetSize,
  onProgress: (entriesWritten: number) => void = () => {}
): Promise<{ dataset: Dataset; timings: SeedTimings }> {
  const random = seededRandom(20_260_101);
  const started = performance.now();
  const dataset = withOwners(await seedDirectory(store, BENCH_TENANT_ID, size));
  const directoryDone = performance.now();

  // The log grows in time order, as it does in use: entry n falls in the n-th slice of the two years.
  const start = Date.now() - HISTORY_MS;
  const slice = HISTORY_MS / size.entries;
  for (let written = 0; written < size.entries;) {
    const count = Math.min(ENTRIES_PER_CALL, size.entries - written);
    const batch = Array.from({ length: count }, (_, i) => {
      const n = written + i;
      return entryFor(n, start + Math.floor((n + random()) * slice), dataset, random);
    });
    const created = await store.interactions.insertNew(dataset.tenantId, batch);
    if (created.length !== count) throw new Error(`insertNew wrote ${created.length} of ${count} entries`);
    written += count;
    onProgress(written);
    await nextTurn();
  }
  return { dataset, timings: { directoryMs: directoryDone - started, entriesMs: performance.now() - directoryDone } };
}
