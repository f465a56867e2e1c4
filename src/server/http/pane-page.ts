import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADDIN_CONFIG_ELEMENT_ID } from '../../shared/addin-page.js';
import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import { chooseEncoding } from './content-encoding.js';
import { REVALIDATE } from './static-files.js';

/*
 * The task pane's page carries its runtime configuration (a JSON data block, which no Content Security Policy
 * blocks because it never runs), so the pane starts without a round trip for /addin/config.json. The page is
 * therefore answered here rather than by the static files: the built page with the block added, compressed
 * once per build of the page, revalidated like every page (no-cache with an ETag per encoding, 304 when unchanged).
 */

export const PANE_PAGE = '/taskpane.html';

/** `html` with the configuration as a data block at the end of its head; `<` escaped so it cannot end the block. */
export function withAddinConfig(html: string, config: AddinConfig): string {
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  const block = `<script id="${ADDIN_CONFIG_ELEMENT_ID}" type="application/json">${json}</script>`;
  const head = html.indexOf('</head>');
  return head === -1 ? html : `${html.slice(0, head)}${block}${html.slice(head)}`;
}

type Encoding = 'br' | 'gzip' | 'identity';
interface Variant {
  body: Buffer;
  etag: string;
}

/** The encoding the request takes (a q of 0 refuses one), brotli before gzip, else the page as it is. */
export function pickEncoding(acceptEncoding: string | undefined): Encoding {
  return chooseEncoding(acceptEncoding, ['br', 'gzip', 'identity']) ?? 'identity';
}

function variantsOf(page: Buffer): Record<Encoding, Variant> {
  const variant = (body: Buffer, encoding: Encoding): Variant => ({
    body,
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}-${encoding}"`
  });
  return {
    br: variant(brotliCompressSync(page, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }), 'br'),
    gzip: variant(gzipSync(page, { level: 9 }), 'gzip'),
    identity: variant(page, 'identity')
  };
}

const isPageRequest = (request: FastifyRequest) =>
  (request.method === 'GET' || request.method === 'HEAD') && request.url.split('?', 1)[0] === PANE_PAGE;

/**
 * Answers the pane's page with its configuration. Added on the root instance before the static files, so it runs
 * ahead of their route; the page is read again only when the build replaced it. Without a built page it stands
 * aside (the static files or the 404 handler answer).
 */
export function addPanePage(app: FastifyInstance, options: { root: string; config: AddinConfig }): void {
  const file = join(options.root, PANE_PAGE);
  let built: { modified: number; variants: Record<Encoding, Variant> } | null = null;
  const current = () => {
    const modified = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
    if (modified === undefined) return null;
    if (built?.modified !== modified) {
      const page = Buffer.from(withAddinConfig(readFileSync(file, 'utf8'), options.config));
      built = { modified, variants: variantsOf(page) };
    }
    return built.variants;
  };
  app.addHook('onRequest', (request, reply, done) => {
    const variants = isPageRequest(request) ? current() : null;
    if (!variants) {
      done();
      return;
    }
    const encoding = pickEncoding(request.headers['accept-encoding']);
    const { body, etag } = variants[encoding];
    void reply
      .type('text/html; charset=utf-8')
      .header('cache-control', REVALIDATE)
      .header('vary', 'accept-encoding')
      .header('etag', etag);
    if (encoding !== 'identity') void reply.header('content-encoding', encoding);
    const known = (request.headers['if-none-match'] ?? '').split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    if (known.includes(etag)) {
      void reply.code(304).send();
      return;
    }
    void reply.send(body);
  });
}
