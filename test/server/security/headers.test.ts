import { OFFICE_FRAME_ANCESTORS, registerSecurityHeaders } from '../../../src/server/http/security-headers.js';
import { usePaneSite } from '../../helpers/pane-site.js';

/*
 * Two sets of security headers: JSON gets the API's (nothing renders, nothing frames it), HTML gets helmet's
 * full set with the pane's policy, which lets Outlook frame it. Checked on real responses of each kind,
 * in development and in production (HSTS).
 */

const directives = (policy: string | null) =>
  Object.fromEntries(
    (policy ?? '').split(/;\s*/).map((directive) => [directive.split(' ')[0], directive.split(' ').slice(1)])
  );

describe.each([false, true])('production %s', (production) => {
  const site = usePaneSite({ 'taskpane.html': '<!doctype html><title>pane</title>' }, (app) => {
    registerSecurityHeaders(app, { production });
    app.get('/api/v1/thing', async () => ({ ok: true }));
  });

  test('JSON, and a 404, carry the API policy and no document-only headers', async () => {
    for (const path of ['/api/v1/thing', '/api/v1/missing']) {
      const { headers } = await fetch(`${site.origin}${path}`);
      expect(directives(headers.get('content-security-policy'))).toEqual({
        'default-src': ["'none'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'none'"]
      });
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('referrer-policy')).toBe('no-referrer');
      expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
      for (const name of ['x-xss-protection', 'x-dns-prefetch-control', 'x-download-options', 'origin-agent-cluster']) {
        expect(headers.get(name)).toBeNull();
      }
      expect(headers.get('strict-transport-security')).toBe(production ? 'max-age=31536000; includeSubDomains' : null);
    }
  });

  test('the pane, as built and with the Office stand-in, gets the pane policy and helmet’s full set', async () => {
    for (const path of ['/taskpane.html', '/taskpane.html?standIn=1']) {
      const { headers } = await fetch(`${site.origin}${path}`);
      expect(headers.get('content-type')).toMatch(/^text\/html/);
      const policy = directives(headers.get('content-security-policy'));
      expect(policy['frame-ancestors']).toEqual(["'self'", ...OFFICE_FRAME_ANCESTORS]);
      expect(policy['script-src']).toEqual(["'self'", 'https://appsforoffice.microsoft.com']);
      expect(headers.get('x-content-type-options')).toBe('nosniff');
      expect(headers.get('x-dns-prefetch-control')).toBe('off');
      expect(headers.get('origin-agent-cluster')).toBe('?1');
      // Outlook's several origins frame the pane: X-Frame-Options could name none of them.
      expect(headers.get('x-frame-options')).toBeNull();
      // MSAL's popup needs its opener.
      expect(headers.get('cross-origin-opener-policy')).toBeNull();
      expect(headers.get('strict-transport-security')).toBe(production ? 'max-age=31536000; includeSubDomains' : null);
    }
  });
});
