import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { DEMO_PEOPLE } from '../../src/stand-ins/demo-mailbox.js';
import { DEMO_TENANT_ID } from '../../src/shared/demo.js';
import type { AddinConfig } from '../../src/shared/schemas/addin-config.js';
import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { apiClient } from '../helpers/api.js';
import { graphStandInEnv, testConfig, type Env, type GraphStandInAccess } from '../helpers/config.js';
import type { LocalEntraIssuer } from '../helpers/entra-issuer.js';
import { nestedAppAuthBridgeScript } from '../stand-ins/office/naa-bridge.js';

/*
 * Real headless Chromium (Debian's), driven by playwright-core. Office.js is requested from Microsoft's
 * CDN exactly as in Outlook; the request is answered with the Office stand-in from the same build.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DIST = resolve('dist');
export const ARTIFACTS = resolve('test-results');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/**';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the networking flags Chromium keeps calling Google's hosts, which this network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
}

/** A fresh context (no cache, no storage) whose Office.js is the stand-in; the pane is 360 px wide like Outlook's. */
export async function paneContext(browser: Browser, options: { dark?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 760 },
    colorScheme: options.dark ? 'dark' : 'light'
  });
  await context.route(OFFICE_JS, (route) =>
    route.fulfill({ path: join(DIST, 'office-stand-in.js'), contentType: 'text/javascript' })
  );
  return context;
}

/**
 * Entra mode: the page script (for a context's addInitScript) that gives the pane Outlook's nested app
 * authentication bridge, signed in as Ana López with `issuer`'s tokens for the server's API scope (or, with
 * `interactionRequired`, refusing every token as Outlook does when the user must act).
 */
export async function signedInThroughOutlook(
  server: RunningServer,
  issuer: LocalEntraIssuer,
  options: { interactionRequired?: boolean } = {}
): Promise<string> {
  const config = (await (await fetch(`${server.url}/addin/config.json`)).json()) as AddinConfig;
  if (!config.entra) throw new Error('The server is not in Entra mode.');
  const ana = {
    email: DEMO_PEOPLE.ana.address,
    name: DEMO_PEOPLE.ana.name,
    oid: '0a1b2c3d-0000-4000-8000-00000000a11a'
  };
  return nestedAppAuthBridgeScript(
    {
      apiScope: config.entra.apiScope,
      apiToken: await issuer.accessToken(ana),
      graphToken: 'no-graph-token-in-these-runs',
      idToken: await issuer.idToken(ana),
      account: {
        homeAccountId: `${ana.oid}.${DEMO_TENANT_ID}`,
        localAccountId: ana.oid,
        tenantId: DEMO_TENANT_ID,
        username: ana.email,
        name: ana.name
      }
    },
    options
  );
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface DemoSite {
  /** The real server over a fresh embedded store with the demo organization, serving the built pane. */
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

export interface DemoSiteOptions {
  /** Server settings over the demo site's (e.g. PRODUCTION's NODE_ENV and Entra settings). */
  env?: Env;
  /** A Graph mailbox stand-in for automatic logging, reached with its app registration through MSAL. */
  graph?: GraphStandInAccess;
}

/**
 * What every browser test starts from: the built pane with its stand-ins, the demo data, and Chromium.
 */
export async function startDemoSite(options: DemoSiteOptions = {}): Promise<DemoSite> {
  if (!existsSync(join(DIST, 'office-stand-in.js'))) {
    throw new Error('Build the pane with its stand-ins first: npm run build:pane:test');
  }
  const { graph } = options;
  const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
  const server = await startServer(
    testConfig({
      SEED_DEMO: 'true',
      DATABASE_URL: join(dir, 'db.sqlite'),
      ...(graph ? graphStandInEnv(graph) : {}),
      ...options.env
    }),
    { staticRoot: DIST, ...(graph ? { mailbox: { msalConfigurationFor: () => graph.msalConfiguration() } } : {}) }
  );
  const browser = await launchBrowser();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

/**
 * The demo site for the enclosing test file: started before its tests (after the file's own earlier beforeAll,
 * so `options` may name what that started), closed after them.
 */
export function useDemoSite(options: () => DemoSiteOptions = () => ({})): Pick<DemoSite, 'server' | 'browser'> {
  let site: DemoSite | undefined;
  beforeAll(async () => {
    site = await startDemoSite(options());
  }, 60_000);
  afterAll(async () => site?.close());
  const started = (): DemoSite => {
    if (!site) throw new Error('the demo site is not started yet');
    return site;
  };
  return {
    get server() {
      return started().server;
    },
    get browser() {
      return started().browser;
    }
  };
}

export interface OpenedPane {
  page: Page;
  /** Script files the page downloaded, by name. */
  scripts: string[];
  /** Uncaught errors in the page so far; the page must have none when it closes. */
  errors: string[];
}

/**
 * The task pane for a message (and whatever else `query` says) in a fresh context of the site's browser; with
 * `page`, another of the add-in's pages in the same Outlook (such as launchevent.html, the send handler's runtime).
 */
export async function openPane(
  site: Pick<DemoSite, 'server' | 'browser'>,
  query: Record<string, string>,
  options: { dark?: boolean; timeoutMs?: number; page?: string } = {}
): Promise<OpenedPane> {
  const context = await paneContext(site.browser, { dark: options.dark ?? false });
  const page = await context.newPage();
  page.setDefaultTimeout(options.timeoutMs ?? 10_000);
  const opened: OpenedPane = { page, scripts: [], errors: [] };
  page.on('pageerror', (error) => opened.errors.push(error.message));
  page.on('request', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.endsWith('.js')) opened.scripts.push(path.slice(1));
  });
  page.once('close', () => expect(opened.errors).toEqual([]));
  await page.goto(`${site.server.url}/${options.page ?? 'taskpane.html'}?${new URLSearchParams(query).toString()}`);
  return opened;
}

/**
 * The API as a demo person (Ana López unless told), for setting the scene and checking what the pane did;
 * each call gets a fresh dev token, as the pane's would.
 */
export function demoApi(
  site: Pick<DemoSite, 'server'>,
  identity: { roles?: DevTokenRequest['roles']; email?: string } = {}
): <T>(method: string, path: string, body?: unknown) => Promise<T> {
  const email = identity.email ?? DEMO_PEOPLE.ana.address;
  return async <T>(method: string, path: string, body?: unknown) => {
    const client = apiClient(site.server);
    const token = await client.token({ email, ...(identity.roles ? { roles: identity.roles } : {}) });
    return (await client.call(method, path, { as: token, body })).body as T;
  };
}

/** Fluent's focus manager (tabster) puts invisible focusable guards around tab lists and popups: they pass focus on. */
export const FOCUS_GUARDS = '[data-tabster-dummy]';

/** axe-core's serious and critical findings on the page as it is, outside the `exclude` selectors. */
export async function axeSeriousViolations(page: Page, exclude: string[] = []) {
  // Evaluated by the test driver, not as an inline script, which the pane's policy refuses.
  await page.evaluate(readFileSync(createRequire(__filename).resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async (excluded) => {
    const axe = (
      window as unknown as {
        axe: {
          run(context: unknown): Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ failureSummary: string }> }>;
          }>;
        };
      }
    ).axe;
    const result = await axe.run(excluded.length > 0 ? { exclude: excluded.map((selector) => [selector]) } : document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      where: v.nodes.map((n) => n.failureSummary.slice(0, 300))
    }));
  }, exclude);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
