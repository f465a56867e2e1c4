import { isExternal, participantsOf, pickCorrespondent } from '../../src/addin/domain/correspondent.js';
import type { MailItem, Participant } from '../../src/addin/office/types.js';

const me: Participant = { name: 'Ana López', email: 'Ana.Lopez@northwind.example' };
const colleague = { name: 'Mikko', email: 'mikko@northwind.example' };
const lena = { name: 'Lena Berg', email: 'lena.berg@fabrikam.example' };
const tomas = { name: 'Tomás', email: 'tomas@contoso.example' };

const read = (from: Participant | null, to: Participant[], cc: Participant[] = []): MailItem => ({
  mode: 'read',
  ewsId: 'AAMk/1+x',
  restId: 'AAMk-1_x',
  officeConversationId: 'conv',
  internetMessageId: '<m@x>',
  subject: 'Hello',
  from,
  to,
  cc
});

test('read mode: an external sender is the correspondent', () => {
  expect(pickCorrespondent(read(lena, [me, tomas]), me)).toEqual(lena);
});

test('read mode: an internal sender makes the first external To/Cc the correspondent', () => {
  expect(pickCorrespondent(read(colleague, [me, colleague], [tomas, lena]), me)).toEqual(tomas);
  expect(pickCorrespondent(read(me, [colleague, lena]), me)).toEqual(lena);
});

test('compose mode: the first external recipient', () => {
  const compose: MailItem = { ...read(null, [colleague, lena], [tomas]), mode: 'compose', internetMessageId: null };
  expect(pickCorrespondent(compose, me)).toEqual(lena);
});

test('no external participant: no correspondent, but the others can still be picked', () => {
  const item = read(colleague, [me]);
  expect(pickCorrespondent(item, me)).toBeNull();
  expect(participantsOf(item, me)).toEqual([colleague]);
});

test('participants: the user left out, each person once (case-insensitively), sender first', () => {
  const item = read(
    lena,
    [{ name: 'ANA', email: 'ana.lopez@NORTHWIND.example' }, tomas],
    [{ name: 'L', email: 'LENA.BERG@fabrikam.example ' }, colleague]
  );
  expect(participantsOf(item, me).map((p) => p.email)).toEqual([lena.email, tomas.email, colleague.email]);
});

test('external means another domain than the user', () => {
  expect(isExternal(lena, me)).toBe(true);
  expect(isExternal({ name: 'x', email: 'X@NorthWind.example' }, me)).toBe(false);
  expect(isExternal({ name: 'x', email: 'not-an-address' }, me)).toBe(false);
});

describe('a message in a shared folder or shared mailbox: our side is its owner (issue 21)', () => {
  const sales = { name: 'Sales', email: 'sales@northwind-group.example' };
  const kari = { name: 'Kari', email: 'kari@northwind-group.example' };
  const shared = (item: MailItem): MailItem => ({ ...item, sharedOwner: 'Sales@Northwind-Group.example' });

  test("the owner's colleagues are internal, whatever the user's own domain", () => {
    const item = read(kari, [sales, tomas]);
    expect(pickCorrespondent(item, me)).toEqual(kari);
    expect(pickCorrespondent(shared(item), me)).toEqual(tomas);
  });

  test('the owner is no participant to pick, nor is the user', () => {
    expect(participantsOf(shared(read(lena, [sales], [me])), me)).toEqual([lena]);
    expect(pickCorrespondent(shared(read(sales, [lena])), me)).toEqual(lena);
  });
});
