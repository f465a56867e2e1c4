import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/*
 * Security headers, by helmet, in two sets:
 * - every response gets the API's: a Content Security Policy under which nothing renders or frames, nosniff,
 *   no referrer, same-origin resource policy (and HSTS in production);
 * - HTML (the pane, the sign-in pages) gets helmet's full set on top, with the pane's own policy: Outlook
 *   frames it, it runs Office.js from Microsoft's CDN and talks to this origin, Graph and Entra ID.
 * Helmet works out the header values once, at start; each response only copies them (@fastify/helmet would
 * rebuild helmet's middleware on every request, a tenth of a cached history read's time).
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

/*
 * What Microsoft documents for add-ins, and what its office.js does:
 * - Office.js must be loaded from Microsoft's CDN, https://appsforoffice.microsoft.com, and loads its host files
 *   and string tables from there too (learn.microsoft.com/office/dev/add-ins/develop/
 *   referencing-the-javascript-api-for-office-library-from-its-cdn): script-src, and frame-src for its pages.
 * - office.js frames Microsoft's telemetry proxy, https://telemetryservice.firstpartyapps.oaspapps.com/
 *   telemetryservice/telemetryproxy.html, as soon as it loads (seen with @microsoft/office-js 1.1.110, also
 *   outside Outlook). *.firstpartyapps.oaspapps.com is Office's own add-in service domain in Microsoft's network
 *   endpoint lists (learn.microsoft.com/microsoft-365/enterprise/urls-and-ip-address-ranges, Microsoft 365
 *   Common and Office; and learn.microsoft.com/microsoft-365-apps/mac/network-requests-in-office-2016-for-mac).
 *   Only that one host is allowed as a frame, not the whole domain.
 * - Outlook on the web and the new Outlook frame the pane (OFFICE_FRAME_ANCESTORS); Entra ID and Graph are
 *   what MSAL and the Graph client call.
 */
/** The frame office.js opens for Microsoft's telemetry. */
export const OFFICE_TELEMETRY_FRAME = 'https://telemetryservice.firstpartyapps.oaspapps.com';

export const PANE_CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  // Office.js, and the scripts it loads, come from Microsoft's CDN; nothing inline, nothing evaluated.
  'script-src': ["'self'", 'https://appsforoffice.microsoft.com'],
  // The pane's styles come from its stylesheet (extracted at build time); Fluent's provider writes the theme's
  // variables into a style element at run time, and the page has one small style block.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'blob:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'", 'https://graph.microsoft.com', 'https://login.microsoftonline.com'],
  // MSAL's silent sign-in uses a hidden frame on Entra ID; Office.js frames its own host pages and its telemetry.
  'frame-src': [
    "'self'",
    'https://login.microsoftonline.com',
    'https://appsforoffice.microsoft.com',
    OFFICE_TELEMETRY_FRAME
  ],
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

/** The headers helmet's middleware sets with these options, worked out once. */
export function helmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    }
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return headers;
}

export function securityHeaders(options: { production: boolean }): {
  api: Record<string, string>;
  html: Record<string, string>;
} {
  // HSTS only where HTTPS is the deployment's (a developer's localhost must not be pinned to HTTPS for a year).
  const strictTransportSecurity = options.production ? { maxAge: 31_536_000, includeSubDomains: true } : false;
  const common = {
    strictTransportSecurity,
    // frame-ancestors decides framing; X-Frame-Options cannot name Outlook's several origins.
    xFrameOptions: false,
    // MSAL's popup fallback needs its opener; an isolated opener would lose the sign-in result.
    crossOriginOpenerPolicy: false
  } as const;
  const api = helmetHeaders({
    ...common,
    contentSecurityPolicy: { useDefaults: false, directives: API_CSP },
    // What only a document uses (DNS prefetching, IE's download prompt, Flash policies, the XSS auditor,
    // agent clusters) means nothing on JSON.
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
    originAgentCluster: false
  });
  const html = helmetHeaders({ ...common, contentSecurityPolicy: { useDefaults: false, directives: PANE_CSP } });
  return { api, html };
}

export function registerSecurityHeaders(app: FastifyInstance, options: { production: boolean }): void {
  const { api, html } = securityHeaders(options);
  app.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(api);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type === 'string' && type.startsWith('text/html')) void reply.headers(html);
    done(null, payload);
  });
}
