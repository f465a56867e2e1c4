import { randomUUID } from 'node:crypto';
import { DEFAULT_PROBABILITY } from '../../src/server/domain/opportunities.js';
import type { Store } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import { createTestStore, type EngineName, type TestStore } from './stores.js';

/*
 * Shared plumbing for the store contract suites, which run the same tests against every engine.
 * Each describe block gets one fresh store; each test works in tenants of its own.
 */

/** Opens a fresh store for the enclosing describe block and disposes it afterwards. */
export function useStore(engine: EngineName): () => Store {
  let testStore: TestStore | undefined;
  beforeAll(async () => {
    testStore = await createTestStore(engine);
    expect(testStore.store.engine).toBe(engine);
  });
  afterAll(async () => {
    await testStore?.dispose();
  });
  return () => {
    if (!testStore) throw new Error('the test store is not open yet');
    return testStore.store;
  };
}

/** A tenant id no other test (or parallel test file) uses. */
export const newTenantId = (): string => `tenant-${randomUUID()}`;

/** The rejection of a promise that must fail; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export const ref = (person: { id: string; name: string; email: string }): PersonRef => ({
  id: person.id,
  name: person.name,
  email: person.email
});

/** Every item of a paged list, following nextCursor; fails on a loop. */
export async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor: string | null }>,
  maxPages = 100
): Promise<{ items: T[]; pages: T[][] }> {
  const pages: T[][] = [];
  let cursor: string | undefined;
  for (let i = 0; i < maxPages; i += 1) {
    const page = await fetchPage(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return { items: pages.flat(), pages };
    cursor = page.nextCursor;
  }
  throw new Error(`pagination did not end after ${maxPages} pages`);
}

/** What a new opportunity holds where its creator said nothing: qualification, open, the stage's probability. */
export const NEW_OPPORTUNITY_DEFAULTS = {
  stage: 'qualification',
  status: 'open',
  estimatedValue: null,
  currency: null,
  probability: DEFAULT_PROBABILITY.qualification,
  expectedCloseDate: null,
  closedAt: null,
  closeReason: null
} as const;
