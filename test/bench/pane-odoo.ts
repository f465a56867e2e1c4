import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { demoMailbox } from '../../src/stand-ins/demo-mailbox.js';
import { textShownMarksScript } from './page-marks.js';

/*
 * Odoo's Outlook add-in (github.com/odoo/mail-client-extensions, outlook/), built elsewhere, beside ours in
 * bench:pane (issue 18: "first useful element ≤ Odoo's, in the same run"). Its built folder (BENCH_ODOO_DIST) is
 * served on loopback with a stand-in for the Odoo server that answers the add-in's JSON-RPC calls at once, as a
 * signed-in user whose database knows the correspondent. The page gets our Office stand-in from the same context
 * setup as our pane, opened on the same message.
 *
 * What Odoo's pane does once Office is ready (src/taskpane/components/App.tsx, loadEmailContacts): with its token in
 * localStorage it shows a spinner, asks POST /mail_plugin/search_records/res.partner for the item's addresses, and
 * when one partner comes back opens its card (PartnerView: "Contact Details", the partner's name, "View in Odoo",
 * "Log email"); then POST /mail_plugin/partner/get fills in the opportunities below. Its first useful element is that
 * card: the correspondent's name with the actions for them, the counterpart of our header and actions.
 */

/**
 * The marks the page script below makes: Office handing over to Odoo's code, the partner's name in the DOM (its card,
 * whose name, address and actions come in one render), its opportunity.
 */
export const ODOO_MARKS = {
  ready: 'odoo:office-ready',
  firstUseful: 'odoo:partner-card',
  complete: 'odoo:opportunities'
} as const;

/** What the stand-in Odoo server knows: the add-in's login token and one opportunity for the correspondent. */
const ODOO_TOKEN = 'bench-odoo-access-token';
const PARTNER_ID = 7;
const LEAD = { id: 41, name: '2027 renewal, 260 seats', revenues_description: '$ 62,400.00 at 60 %' };

export interface OdooPane {
  /** Odoo's task pane opened on `messageId` (our Office stand-in reads the query as it does for ours). */
  url(messageId: string): string;
  /** Signs the context in as Odoo's add-in keeps it (localStorage) and installs the marks' observers. */
  prepare(context: BrowserContext): Promise<void>;
  /** Fails unless the page shows the partner found in Odoo (not the login screen or an unknown contact). */
  checkShown(page: Page): Promise<void>;
  /** How often Odoo's pane called each of the stand-in server's paths, over every load. */
  readonly calls: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** The correspondent of the demo message both panes open: its sender. */
export function correspondentOf(messageId: string): { name: string; address: string } {
  const message = demoMailbox().messages.find((candidate) => candidate.graph.id === messageId);
  if (!message) throw new Error(`No demo message ${messageId}.`);
  return message.graph.from.emailAddress;
}

/**
 * Serves Odoo's built add-in from `dist` and answers its calls for the correspondent of `messageId` instantly: the
 * shapes are what its models read (src/models/partner.ts, lead.ts; JSON-RPC 2.0 `result`), nothing more.
 */
export async function startOdooPane(dist: string, messageId: string): Promise<OdooPane> {
  const root = resolve(dist);
  if (!existsSync(join(root, 'taskpane.html'))) {
    throw new Error(`BENCH_ODOO_DIST=${dist} holds no taskpane.html: point it at the folder Odoo's build wrote.`);
  }
  const correspondent = correspondentOf(messageId);
  const partner = {
    id: PARTNER_ID,
    name: correspondent.name,
    email: correspondent.address,
    can_write_on_partner: true
  };
  const answers: Record<string, unknown> = {
    // [records, total count]
    '/mail_plugin/search_records/res.partner': [[partner], 1],
    '/mail_plugin/partner/get': {
      partner,
      leads: [LEAD],
      lead_count: 1,
      can_create_partner: true,
      can_create_project: false
    },
    '/mail_plugin/get_translations': {}
  };
  const calls = new Map<string, number>();
  const app = Fastify();
  app.post('/mail_plugin/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    calls.set(path, (calls.get(path) ?? 0) + 1);
    if (request.headers.authorization !== ODOO_TOKEN) return reply.code(401).send();
    // Odoo's type="json" routes answer 200 with a JSON-RPC envelope; an unknown call gets a null result.
    return { jsonrpc: '2.0', id: 0, result: answers[path] ?? null };
  });
  await app.register(fastifyStatic, { root, index: false });
  const origin = await app.listen({ host: '127.0.0.1', port: 0 });
  const script = odooPageScript({ origin, name: correspondent.name, leadName: LEAD.name });
  return {
    url: (id) => `${origin}/taskpane.html?message=${encodeURIComponent(id)}`,
    prepare: async (context) => void (await context.addInitScript({ content: script })),
    checkShown: async (page) => {
      const text = await page.locator('#container').innerText();
      if (!text.includes('View in Odoo') || !text.includes(correspondent.name)) {
        throw new Error(`Odoo's pane does not show the partner found in Odoo; it shows: ${text.slice(0, 300)}`);
      }
    },
    calls,
    close: () => app.close()
  };
}

/**
 * The page script for Odoo's pane: its saved login (the access token and the database's address, as its Login
 * component stores them; translations already fetched today, as for a returning user), a mark when Office calls its
 * onReady callback, and marks when the partner's name (its card) and the opportunity enter the DOM.
 */
function odooPageScript(options: { origin: string; name: string; leadName: string }): string {
  const signedIn = `(() => {
  const options = ${JSON.stringify({ ...options, token: ODOO_TOKEN, ready: ODOO_MARKS.ready })};
  if (location.origin !== options.origin) return;
  localStorage.setItem('odoo_url', options.origin);
  localStorage.setItem('odoo_access_token', options.token);
  localStorage.setItem('translations', '{}');
  localStorage.setItem('translationsTimestamp', String(Date.now()));
  let office;
  Object.defineProperty(window, 'Office', {
    configurable: true,
    get: () => office,
    set: (value) => {
      office = value;
      const onReady = value.onReady;
      value.onReady = (callback) =>
        onReady.call(value, (info) => {
          performance.mark(options.ready);
          return callback ? callback(info) : undefined;
        });
    }
  });
})();`;
  const shown = textShownMarksScript('#container', {
    [ODOO_MARKS.firstUseful]: options.name,
    [ODOO_MARKS.complete]: options.leadName
  });
  return `${signedIn}\n${shown}`;
}
