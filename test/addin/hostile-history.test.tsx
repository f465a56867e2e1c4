/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, within } from '@testing-library/react';
import type * as ThreadModule from '../../src/addin/taskpane/thread.js';
import { HOSTILE_STRINGS } from '../helpers/hostile.js';
import { entry, fakeApi, fakeHost, lena, readItem, renderPane } from './pane-fakes.js';

jest.mock('../../src/addin/taskpane/thread.js', () => ({ readOpenThread: jest.fn(), logMessages: jest.fn() }));
jest.requireMock<typeof ThreadModule>('../../src/addin/taskpane/thread.js');

/*
 * Hostile text in the log (markup, script, SQL-like text, control characters, long unicode) renders as text in
 * the History: nothing it contains becomes an element, an attribute or a script, and a planted javascript: link
 * is not a link.
 */

test('hostile subjects, names and links render inert in the History', async () => {
  const items = HOSTILE_STRINGS.map((subject, index) =>
    entry(index + 1, {
      subject,
      salesperson: { id: `s-${index}`, name: subject.slice(0, 200), email: 'x@northwind.example' },
      webLink:
        index % 2 === 0 ? 'javascript:alert(document.domain)' : `https://outlook.office365.com/owa/?ItemID=${index}`
    })
  );
  const api = fakeApi({
    history: async () => ({ items, nextCursor: null }),
    me: async () => ({
      tenantId: 't',
      userId: 'u',
      email: 'ana@northwind.example',
      name: 'Ana',
      roles: [],
      salesperson: null as never
    })
  });
  const alerts = jest.spyOn(window, 'alert').mockImplementation(() => undefined);
  renderPane(fakeHost(readItem(lena)), api);
  const history = await screen.findByRole('region', { name: 'History' });
  await within(history).findAllByRole('listitem');

  const rows = within(history).getAllByRole('listitem');
  expect(rows).toHaveLength(HOSTILE_STRINGS.length);
  for (const [index, subject] of HOSTILE_STRINGS.entries()) {
    const row = rows[index] as HTMLElement;
    // The subject is there as text, character for character (the DOM keeps control characters in text).
    expect(row.textContent).toContain(subject);
  }
  // No element, attribute or handler came from the data.
  expect(history.querySelectorAll('script, img, iframe, object, embed, style, form, input')).toHaveLength(0);
  for (const element of Array.from(history.querySelectorAll('*'))) {
    for (const attribute of Array.from(element.attributes)) {
      expect(attribute.name.startsWith('on')).toBe(false);
    }
  }
  // Only web links are links; javascript: ones are plain text.
  for (const link of within(history).queryAllByRole('link')) {
    expect(link.getAttribute('href')).toMatch(/^https:\/\//);
  }
  expect(within(history).queryAllByRole('link')).toHaveLength(Math.floor(HOSTILE_STRINGS.length / 2));
  expect(document.body.innerHTML).not.toContain('<script>alert');
  expect(alerts).not.toHaveBeenCalled();
});

/** Every bidirectional control in `root`'s text sits in an isolate: an element with `dir`, or FSI … PDI. */
function unisolatedControls(root: HTMLElement): string[] {
  const found: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent ?? '';
    if (!/[\u202A-\u202E\u2066-\u2067]/.test(text)) continue;
    if (node.parentElement?.closest('[dir], bdi')) continue;
    // Outside every FSI … PDI pair of this text, no control may remain.
    const outside = text.replace(/\u2068[^\u2069]*\u2069/g, '');
    if (/[\u202A-\u202E\u2066-\u2067]/.test(outside)) found.push(text);
  }
  return found;
}

test('names and subjects with bidirectional controls are isolated, so they cannot reorder the text around them', async () => {
  const spoofName = 'Ana \u202Eeilmalik';
  const hebrew = 'דנה כהן';
  const items = [
    entry(1, { subject: 'Invoice \u202Efdp.exe', salesperson: { id: 's-1', name: spoofName, email: 'x@n.example' } }),
    entry(2, {
      subject: '\u2067overridden',
      salesperson: { id: 's-2', name: hebrew, email: 'y@n.example' },
      webLink: null
    })
  ];
  const api = fakeApi({ history: async () => ({ items, nextCursor: null }) });
  renderPane(fakeHost(readItem({ name: 'Lena \u202EgreB', email: lena.email })), api);
  const history = await screen.findByRole('region', { name: 'History' });
  const rows = await within(history).findAllByRole('listitem');

  expect(rows[0]?.textContent).toContain(`with \u2068${spoofName}\u2069`);
  expect(rows[1]?.textContent).toContain(`with \u2068${hebrew}\u2069`);
  expect(within(rows[0] as HTMLElement).getByRole('link')).toHaveAttribute('dir', 'auto');
  expect(
    within(rows[0] as HTMLElement)
      .getByRole('link')
      .getAttribute('title')
  ).toContain('\u2068Invoice \u202Efdp.exe\u2069');
  expect(unisolatedControls(document.body)).toEqual([]);
  // The correspondent's name heads the pane in an isolate of its own.
  expect(screen.getByRole('heading', { level: 1 })).toHaveAttribute('dir', 'auto');
  // Left-to-right text needs no isolate and gets none: the sentences around it stay as they were.
  expect(rows[0]?.textContent).not.toContain('\u2068Subject');
});
