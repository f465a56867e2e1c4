/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { act, cleanup, screen } from '@testing-library/react';
import type { MailItem, SelectedMessage } from '../../src/addin/office/types.js';
import { fakeApi, fakeHost, lena, readItem, renderPane } from './pane-fakes.js';

/*
 * Outlook answers every read with new objects. The pane reads the open item again when it mounts (the entry read it
 * for the first frame) and the selection as it starts: an answer that holds the same data must not draw the pane
 * again, as it arrives while the history is on its way (issue 18: the pane's time after Office.onReady).
 */

/** React's commits after the history is on screen, once Outlook's answers to the item and selection arrive. */
async function commitsAfterHistory(item: () => MailItem, selection: () => SelectedMessage[]): Promise<number> {
  const host = fakeHost(readItem(lena), 'en-US', { multiSelect: true });
  // The API answers at once; Outlook's answers are held until the history is drawn.
  let answer = () => undefined as void;
  const outlookAnswers = new Promise<void>((resolve) => (answer = resolve));
  host.currentItem = () => outlookAnswers.then(item);
  if (host.selection) host.selection.read = () => outlookAnswers.then(selection);
  let commits = 0;
  renderPane(host, fakeApi(), undefined, undefined, {
    firstItem: readItem(lena),
    onRender: () => {
      commits += 1;
    }
  });
  expect(await screen.findByText('Subject 2')).toBeInTheDocument();
  const before = commits;
  await act(async () => answer());
  cleanup();
  return commits - before;
}

test('an item and a selection read again with the same data draw nothing again', async () => {
  expect(
    await commitsAfterHistory(
      () => readItem(lena),
      () => []
    )
  ).toBe(0);
});

test('an item or a selection that did change is drawn', async () => {
  const withCc = () => readItem(lena, { cc: [{ name: 'Ben Ek', email: 'ben.ek@northwind.example' }] });
  expect(await commitsAfterHistory(withCc, () => [])).toBe(1);
  expect(
    await commitsAfterHistory(
      () => readItem(lena),
      () => [{ ewsId: 'AAMk1', restId: null, subject: 'One' }]
    )
  ).toBe(1);
});
