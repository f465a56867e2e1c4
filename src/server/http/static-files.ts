import { basename } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/*
 * The built pane (dist/), the same way in every mode:
 * - text files go out as the build precompressed them (.br, .gz beside each file), picked by the request's
 *   Accept-Encoding; with no acceptable copy (or none built, as in development) the file goes as it is;
 * - files whose name carries webpack's content hash never change under that name: browsers and proxies keep
 *   them a year without asking again;
 * - everything else (the pages, the manifest, the icons, the Office stand-in) is revalidated on each use: a
 *   conditional request with the ETag costs a 304 with no body.
 */

/** `taskpane.1a2b3c4d.js` (and its source map), as webpack.config.js names what it hashes. */
export const CONTENT_HASHED = /\.[0-9a-f]{8}\.(?:js|css)(?:\.map)?$/;
const PRECOMPRESSED = /\.(?:br|gz)$/;

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

/** The Cache-Control for a file served from the build, by its name (its precompressed copy's, too). */
export function cacheControlFor(file: string): string {
  return CONTENT_HASHED.test(basename(file).replace(PRECOMPRESSED, '')) ? IMMUTABLE : REVALIDATE;
}

export interface StaticFilesOptions {
  /** Production keeps source maps to itself: they are for our own error reports, not for the public. */
  serveSourceMaps: boolean;
}

export async function registerStaticFiles(
  app: FastifyInstance,
  root: string,
  { serveSourceMaps }: StaticFilesOptions
): Promise<void> {
  await app.register(fastifyStatic, {
    root,
    index: false,
    wildcard: false,
    preCompressed: true,
    ...(serveSourceMaps ? {} : { allowedPath: (path: string) => !/\.map(?:\.br|\.gz)?$/.test(path) }),
    // Ours replaces @fastify/send's `public, max-age=0`; its ETag and Last-Modified stay, and it answers
    // If-None-Match / If-Modified-Since with 304.
    cacheControl: false,
    setHeaders: (reply, path) => void reply.header('cache-control', cacheControlFor(path))
  });
}
