import type { Configuration } from '@azure/msal-node';
import { loadConfig, type Config } from '../../src/server/config.js';

/*
 * The configuration a test server starts with: a free loopback port and no demo data, so each test says only
 * what it is about (its database, its mode, its limits).
 */

export type Env = Record<string, string>;

export const TEST_ENV: Readonly<Env> = { PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'false' };

export function testConfig(overrides: Env = {}): Config {
  return loadConfig({ ...TEST_ENV, ...overrides });
}

/** What the server needs of the Graph mailbox stand-in to reach it as its mailbox app. */
export interface GraphStandInAccess {
  readonly url: string;
  readonly app: { clientId: string; clientSecret: string };
  msalConfiguration(): Configuration;
}

/** The environment that points the mailbox processor at the stand-in with the stand-in's app registration. */
export const graphStandInEnv = (standIn: GraphStandInAccess): Env => ({
  MAILBOX_CLIENT_ID: standIn.app.clientId,
  MAILBOX_CLIENT_SECRET: standIn.app.clientSecret,
  GRAPH_BASE_URL: standIn.url
});
