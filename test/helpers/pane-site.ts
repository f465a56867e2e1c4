import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { addOfficeStandInPages } from '../../src/stand-ins/office/pages.js';

/*
 * The built pane's files served as the app serves them in development, without the rest of the app: the Office
 * stand-in's page hook first, then the files of a folder (here a temporary one holding the files a test names).
 */

export interface PaneSite {
  /** Where the files are served, once the enclosing block's tests run. */
  readonly origin: string;
}

/** Serves `files` for the enclosing describe block (or file); `before` registers what the app has in front of them. */
export function usePaneSite(files: Record<string, string>, before?: (app: FastifyInstance) => void): PaneSite {
  const site = { origin: '' };
  let dir: string | undefined;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'pane-site-'));
    dir = root;
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
    app = Fastify();
    before?.(app);
    addOfficeStandInPages(app, { root });
    await app.register(fastifyStatic, { root, index: false, wildcard: false });
    site.origin = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return site;
}
