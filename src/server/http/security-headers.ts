import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/*
 * Security headers for every response (helmet's defaults: nosniff, no referrer, no DNS prefetch, ...), with two
 * Content Security Policies: the API's (JSON that must never render or be framed) and the pane's (HTML that
 * Outlook frames, which runs Office.js from Microsoft's CDN and talks to this origin, Graph and Entra ID).
 */

/** Where Outlook on the web and the new Outlook frame add-in panes. Desktop hosts load the pane top-level. */
export const OFFICE_FRAME_ANCESTORS = [
  'https://*.office.com',
  'https://*.office365.com',
  'https://*.officeapps.live.com',
  'https://*.outlook.com',
  'https://outlook.live.com',
  'https://*.cloud.microsoft',
  'https://*.microsoft.com'
];

export const PANE_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  // Office.js, and the scripts it loads, come from Microsoft's CDN; nothing inline, nothing evaluated.
  'script-src': ["'self'", 'https://appsforoffice.microsoft.com'],
  // Fluent UI (Griffel) inserts its style rules at run time, and the page has one small style block.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
  // MSAL's silent sign-in uses a hidden frame on Entra ID; Office.js frames its own host pages.
  'frame-src': ["'self'", 'https://login.microsoftonline.com', 'https://appsforoffice.microsoft.com'],
  'frame-ancestors': ["'self'", ...OFFICE_FRAME_ANCESTORS],
  'form-action': ["'self'"],
  'base-uri': ["'self'"],
  'object-src': ["'none'"]
};

export const API_CSP: Record<string, string[]> = {
  'default-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"]
};

export const cspHeader = (directives: Record<string, string[]>): string =>
  Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');

const PANE_CSP_HEADER = cspHeader(PANE_CSP);

export async function registerSecurityHeaders(app: FastifyInstance, options: { production: boolean }): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    // frame-ancestors decides framing; X-Frame-Options cannot name Outlook's several origins.
    frameguard: false,
    // MSAL's popup fallback needs its opener; an isolated opener would lose the sign-in result.
    crossOriginOpenerPolicy: false,
    // HSTS only where HTTPS is the deployment's (a developer's localhost must not be pinned to HTTPS for a year).
    strictTransportSecurity: options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false
  });
  // HTML is the pane (or the sign-in pages): its own policy replaces the API's.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) {
      reply.raw.setHeader('content-security-policy', PANE_CSP_HEADER);
    }
    return payload;
  });
}
