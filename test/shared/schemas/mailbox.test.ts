import { fieldErrorsFrom } from '../../../src/server/http/problems.js';
import { validatorCompiler } from '../../../src/server/http/validation.js';
import { MailboxSettingsUpdate } from '../../../src/shared/schemas/mailbox.js';

/*
 * The mailbox settings are checked by their schema before they reach the store, which stores what it is given
 * (normalized): every invalid field is named, as the API's 400 names it.
 */

function pointersOf(body: unknown): string[] {
  const validate = validatorCompiler({
    schema: MailboxSettingsUpdate,
    method: 'PATCH',
    url: '/',
    httpPart: 'body'
  }) as {
    (value: unknown): boolean;
    errors?: Parameters<typeof fieldErrorsFrom>[0] | null;
  };
  if (validate(body)) return [];
  return fieldErrorsFrom(validate.errors ?? [], 'body')
    .map((error) => error.pointer)
    .sort();
}

test('invalid values are refused naming each field', () => {
  expect(
    pointersOf({
      enabled: true,
      mailboxAddress: 'not an address',
      archiveFolder: '   ',
      intervalSeconds: 0,
      batchSize: 2.5,
      neverLogDomains: ['ok.example', 'user@bad.example'],
      neverLogAddresses: ['fine@ok.example', 'nope']
    })
  ).toEqual([
    '/archiveFolder',
    '/batchSize',
    '/intervalSeconds',
    '/mailboxAddress',
    '/neverLogAddresses/1',
    '/neverLogDomains/1'
  ]);
});

test('valid values, and a cleared address, pass', () => {
  expect(
    pointersOf({
      mailboxAddress: null,
      archiveFolder: ' Logged ',
      intervalSeconds: 120,
      batchSize: 25,
      neverLogDomains: ['@fabrikam.example', 'Contoso.COM'],
      neverLogAddresses: ['Boss@Northwind.example']
    })
  ).toEqual([]);
});
