import type { FastifyInstance } from 'fastify';
import { graphStandIn } from '../stand-ins/graph/dev-mode.js';
import { addOfficeStandInPages } from '../stand-ins/office/pages.js';
import type { TokenVerifier } from './auth/tokens.js';

/*
 * Dev mode's stand-ins for Microsoft's cloud: Graph for the demo mailbox, and the pane over a fake Outlook.
 * The one place the server reaches into src/stand-ins/ (the linter allows no other), and only in dev mode.
 */
export async function registerDevStandIns(
  app: FastifyInstance,
  options: { verifyToken: TokenVerifier; staticRoot?: string | undefined; panePage?: (html: string) => string }
): Promise<void> {
  await app.register(graphStandIn, { prefix: '/graph/v1.0', verifyToken: options.verifyToken });
  if (options.staticRoot) {
    addOfficeStandInPages(app, {
      root: options.staticRoot,
      ...(options.panePage ? { transform: options.panePage } : {})
    });
  }
}
