import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';

/*
 * Dev mode only: the task pane with the Office stand-in instead of Office.js, for the preview page
 * (/preview.html) and for anyone clicking through the product without Outlook.
 *
 * The pane's HTML loads Office.js from Microsoft's CDN, as Outlook requires. Asked for as
 * /taskpane.html?standIn=1, the server answers the same built page with that one script tag pointing at
 * /office-stand-in.js (built by the dev webpack build), so the pane runs unchanged, from its real URL, on
 * the same origin as the preview. Without ?standIn=1 the page is served untouched, and Outlook (or a browser
 * test routing the CDN URL to the stand-in) gets the real thing.
 */

export const OFFICE_STAND_IN_SCRIPT = '/office-stand-in.js';
const OFFICE_JS_FROM_CDN = /https:\/\/appsforoffice\.microsoft\.com\/lib\/[^"'\s>]*\/office(?:\.debug)?\.js/g;

/** The pane's HTML with Office.js from the CDN replaced by the stand-in. */
export function withOfficeStandIn(html: string): string {
  return html.replace(OFFICE_JS_FROM_CDN, OFFICE_STAND_IN_SCRIPT);
}

export interface StandInPagesOptions {
  /** Where the built pane is (dist/). */
  root: string;
  /** The pane page's path, as the manifest's SourceLocation names it. */
  page?: string;
  /** What the server adds to the page it serves itself (its runtime configuration), added here as well. */
  transform?: (html: string) => string;
}

/**
 * Adds the hook that serves `<page>?standIn=1` with the stand-in. Call it on the root instance before the
 * static files are registered, so the hook runs ahead of their route.
 */
export function addOfficeStandInPages(app: FastifyInstance, options: StandInPagesOptions): void {
  const page = options.page ?? '/taskpane.html';
  const file = join(options.root, page);
  const transform = options.transform ?? ((html: string) => html);
  // Callback style, with the common case first: this hook sees every request the dev server answers.
  app.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith(page) || (request.method !== 'GET' && request.method !== 'HEAD')) {
      done();
      return;
    }
    const [path, query = ''] = request.url.split('?', 2);
    if (path !== page || new URLSearchParams(query).get('standIn') !== '1') {
      done();
      return;
    }
    readFile(file, 'utf8').then(
      (html) => {
        void reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-office-stand-in', 'true')
          .send(withOfficeStandIn(transform(html)));
      },
      () => done() // not built: the static route (or the 404 handler) answers as usual
    );
  });
}
