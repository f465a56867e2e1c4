/** @jest-environment jsdom */
import { decideAtSend, type SendLookup } from '../../src/addin/domain/send-prompt.js';
import { createTranslator } from '../../src/addin/i18n/catalogues.js';
import { registerMessageSend } from '../../src/addin/office/send-event.js';
import type { SendCheck } from '../../src/shared/schemas/compose.js';
import { installOfficeStandIn, type OfficeStandInControl } from '../stand-ins/office/stand-in.js';

/*
 * The send-time prompt (issue 21) in the Office stand-in: Outlook raises OnMessageSend on Send and waits for
 * event.completed. A recipient with an open opportunity gets one prompt, in prompt-user mode (never a block), and
 * the link is stamped; the next Send goes without asking; any error or a slow lookup lets the message go
 * unchanged. No Send is held up by more than 1 s.
 */

const NOW = Date.parse('2026-11-22T10:37:00Z');
const i18n = createTranslator('en-US');
const RENEWAL: SendCheck = {
  prompt: true,
  opportunities: [{ id: 'opp-renewal', description: 'Renewal 2027', contactName: 'Lena Berg', company: 'Fabrikam' }]
};

let control: OfficeStandInControl;
let lookup: jest.Mock<ReturnType<SendLookup>, Parameters<SendLookup>>;

async function composing(answer: () => Promise<SendCheck>, mailboxVersion?: string, budgetMs?: number) {
  control = installOfficeStandIn(window, {
    now: NOW,
    storage: null,
    navigate: jest.fn(),
    initial: { mode: 'compose' },
    ...(mailboxVersion ? { mailboxVersion } : {})
  });
  await Office.onReady();
  lookup = jest.fn<ReturnType<SendLookup>, Parameters<SendLookup>>(() => answer());
  const user = { name: control.user.displayName, email: control.user.emailAddress };
  registerMessageSend((message) =>
    decideAtSend(
      message,
      lookup,
      user,
      (o) => i18n.t('sendPrompt', { company: o.company, name: o.description }),
      budgetMs
    )
  );
}

test('a recipient with an open opportunity: one prompt (prompt user, never block), the link stamped', async () => {
  await composing(async () => RENEWAL);
  const first = await control.send();
  expect(first.completed).toEqual({
    allowEvent: false,
    errorMessage: expect.stringContaining(
      'This goes to Fabrikam, which has an open opportunity ‘Renewal 2027’. Link it?'
    )
  });
  expect(first.completed?.sendModeOverride).toBeUndefined(); // the manifest's PromptUser stands: Send Anyway is offered
  expect(first.elapsedMs).toBeLessThan(1000);
  expect(control.composeHeaders()).toEqual({ 'X-Interaction-Log-Opportunity': 'opp-renewal' });
  // Asked once: the mark is there, the next Send goes at once and makes no request.
  const second = await control.send();
  expect(second.completed).toEqual({ allowEvent: true });
  expect(second.elapsedMs).toBeLessThan(1000);
  expect(lookup).toHaveBeenCalledTimes(1);
  expect(lookup.mock.calls[0]?.[0].every((address) => !address.endsWith('@northwind.example'))).toBe(true);
});

test('prompt switched off, no opportunity, or a lookup error: the message goes unchanged', async () => {
  for (const answer of [
    async () => ({ prompt: false, opportunities: [] }),
    async () => ({ prompt: true, opportunities: [] }),
    async () => Promise.reject(new Error('offline'))
  ]) {
    await composing(answer);
    const sent = await control.send();
    expect(sent.completed).toEqual({ allowEvent: true });
    expect(sent.elapsedMs).toBeLessThan(1000);
    expect(control.composeHeaders()).toEqual({});
  }
});

test('a lookup that never answers does not hold the Send past its budget', async () => {
  await composing(() => new Promise<SendCheck>(() => undefined));
  const sent = await control.send();
  expect(sent.completed).toEqual({ allowEvent: true });
  expect(sent.elapsedMs).toBeLessThan(1000);
});

test('a message already marked private in compose is sent without asking', async () => {
  await composing(async () => RENEWAL);
  await new Promise<void>((resolve) =>
    (Office.context.mailbox.item as unknown as Office.MessageCompose).internetHeaders.setAsync(
      { 'X-Interaction-Log': 'private' },
      () => resolve()
    )
  );
  expect((await control.send()).completed).toEqual({ allowEvent: true });
  expect(lookup).not.toHaveBeenCalled();
});
