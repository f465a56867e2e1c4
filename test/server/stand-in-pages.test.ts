import { withOfficeStandIn } from '../../src/stand-ins/office/pages.js';
import { usePaneSite } from '../helpers/pane-site.js';

/* /taskpane.html?standIn=1 is the pane with the Office stand-in in place of Office.js; without it, the pane as built. */

const PANE = `<!doctype html>
<html lang="en">
  <head>
    <script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script>
    <script defer src="taskpane.js"></script>
  </head>
  <body><div id="root"></div></body>
</html>`;

const site = usePaneSite({ 'taskpane.html': PANE, 'taskpane.js': '/* pane */' });

async function get(path: string) {
  const response = await fetch(`${site.origin}${path}`);
  return { statusCode: response.status, headers: response.headers, body: await response.text() };
}

test('the CDN script becomes the stand-in, and nothing else changes', () => {
  expect(withOfficeStandIn(PANE)).toBe(
    PANE.replace('https://appsforoffice.microsoft.com/lib/1/hosted/office.js', '/office-stand-in.js')
  );
  expect(withOfficeStandIn('<script src="https://appsforoffice.microsoft.com/lib/beta/hosted/office.debug.js">')).toBe(
    '<script src="/office-stand-in.js">'
  );
});

test('/taskpane.html?standIn=1 serves the pane with the stand-in, uncached', async () => {
  const response = await get('/taskpane.html?standIn=1&message=none');
  expect(response.statusCode).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.body).toContain('<script src="/office-stand-in.js"></script>');
  expect(response.body).not.toContain('appsforoffice.microsoft.com');
  expect(response.body).toContain('<script defer src="taskpane.js"></script>');
});

test('without standIn=1, and for other files, the built files as they are', async () => {
  const plain = await get('/taskpane.html');
  expect(plain.statusCode).toBe(200);
  expect(plain.body).toBe(PANE);
  const off = await get('/taskpane.html?standIn=0');
  expect(off.body).toBe(PANE);
  const script = await get('/taskpane.js?standIn=1');
  expect(script.body).toBe('/* pane */');
});
