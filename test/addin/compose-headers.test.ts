/** @jest-environment jsdom */
import { connectOffice } from '../../src/addin/office/mailbox.js';
import { installOfficeStandIn } from '../stand-ins/office/stand-in.js';

/*
 * The Office adapter stamps the compose marks as internet headers (item.internetHeaders, Mailbox 1.8) in the
 * Office stand-in, which keeps them as Outlook would send them; before Mailbox 1.8 the adapter says it cannot.
 */

const NOW = Date.parse('2026-11-22T10:37:00Z');

async function composing(mailboxVersion?: string) {
  const control = installOfficeStandIn(window, {
    now: NOW,
    storage: null,
    navigate: jest.fn(),
    initial: { mode: 'compose' },
    ...(mailboxVersion ? { mailboxVersion } : {})
  });
  const host = await connectOffice();
  return { control, host };
}

test('marks are stamped as X-Interaction-Log headers, read back, and taken back', async () => {
  const { control, host } = await composing();
  const marks = host.composeMarks();
  expect(marks.supported).toBe(true);
  expect(await marks.read()).toEqual({ private: false, opportunityId: null });
  await marks.write({ private: false, opportunityId: 'opp-1' });
  expect(control.composeHeaders()).toEqual({ 'X-Interaction-Log-Opportunity': 'opp-1' });
  await marks.write({ private: true, opportunityId: null });
  expect(control.composeHeaders()).toEqual({ 'X-Interaction-Log': 'private' });
  expect(await host.composeMarks().read()).toEqual({ private: true, opportunityId: null });
});

test('a Mailbox 1.7 client has no internetHeaders: the adapter reports the marks unsupported', async () => {
  const { host } = await composing('1.7');
  expect((Office.context.mailbox.item as unknown as Record<string, unknown>).internetHeaders).toBeUndefined();
  const marks = host.composeMarks();
  expect(marks.supported).toBe(false);
  await expect(marks.write({ private: true, opportunityId: null })).rejects.toThrow(/Mailbox 1.8/);
});

test('in reading mode there is nothing to mark', async () => {
  installOfficeStandIn(window, { now: NOW, storage: null, navigate: jest.fn() });
  const host = await connectOffice();
  expect(host.composeMarks().supported).toBe(false);
});
