import { readFileSync } from 'node:fs';
import {
  compareSetVersions,
  declaredMailboxMinimum,
  declaredPermission,
  officeMemberUses,
  permissionRank,
  typeScriptFilesIn,
  type MemberUse
} from '../helpers/office-requirements.js';

/*
 * The manifest promises Outlook clients that the add-in runs with the Mailbox requirement set it declares;
 * anything newer that src/addin/office/ uses must be checked for first. The oracle is Microsoft's type
 * definitions (@types/office-js), whose JSDoc names each member's requirement set; the TypeScript checker
 * says which declaration each access refers to. The rules are in test/helpers/office-requirements.ts.
 */

const MANIFEST = readFileSync('manifest.xml', 'utf8');
const MINIMUM = declaredMailboxMinimum(MANIFEST);
const OFFICE_ROOM = typeScriptFilesIn('src/addin/office');
const describeUse = (use: MemberUse) =>
  `${use.file.replace(/^.*\/src\//, 'src/')}:${use.line} ${use.text} (${use.member}) needs Mailbox ${use.requires}`;

let uses: MemberUse[];
beforeAll(() => {
  uses = officeMemberUses(OFFICE_ROOM);
});

test('the manifest declares Mailbox 1.5 (the pinnable pane and ItemChanged)', () => {
  expect(MINIMUM).toBe('1.5');
});

test('requirement sets come from the type definitions as Microsoft documents them', () => {
  const needs = (member: string) => uses.find((use) => use.member === member)?.requires;
  expect(needs('Office.MessageCompose.getItemIdAsync')).toBe('1.8');
  expect(needs('Office.MessageCompose.internetHeaders')).toBe('1.8');
  expect(needs('Office.AppointmentCompose.organizer')).toBe('1.7');
  expect(needs('Office.Context.officeTheme')).toBe('1.14');
  expect(needs('Office.EventType.OfficeThemeChanged')).toBe('1.14');
  expect(needs('Office.Mailbox.addHandlerAsync')).toBe('1.5');
  expect(needs('Office.Mailbox.convertToRestId')).toBe('1.3');
  expect(needs('Office.UI.displayDialogAsync')).toBe('1.4');
  // A property of an object literal given to Office.js: event.completed's options (Smart Alerts).
  expect(needs('Office.SmartAlertsEventCompletedOptions.errorMessage')).toBe('1.12');
  // "[Api set: Mailbox 1.8 for shared folder support, Mailbox 1.13 for shared mailbox support]": the higher one.
  expect(needs('Office.MessageRead.getSharedPropertiesAsync')).toBe('1.13');
});

test('every Office.js member above the declared Mailbox minimum is used only after isSetSupported', () => {
  const unguarded = uses
    .filter((use) => compareSetVersions(use.requires, MINIMUM) > 0 && !use.guarded)
    .map(describeUse);
  expect(unguarded).toEqual([]);
});

test('permission levels come from the type definitions as Microsoft documents them', () => {
  const needs = (member: string) => uses.find((use) => use.member === member)?.permission;
  expect(needs('Office.InternetHeaders.setAsync')).toBe('read/write item');
  expect(needs('Office.InternetHeaders.getAsync')).toBe('read item');
  expect(needs('Office.Mailbox.getSelectedItemsAsync')).toBe('read/write mailbox');
  expect(needs('Office.Mailbox.convertToRestId')).toBe('restricted');
});

test("the manifest's <Permissions> covers every Office.js member src/addin/office uses", () => {
  // Outlook refuses a call that needs more than the manifest asked for, whatever the requirement set says.
  const declared = declaredPermission(MANIFEST);
  const beyond = uses
    .filter((use) => use.permission !== null && permissionRank(use.permission) > permissionRank(declared))
    .map((use) => `${describeUse(use)}, permission ${use.permission}`);
  expect(beyond).toEqual([]);
});

describe('the guard rule', () => {
  // Each example is a file of its own in src/addin/office/, checked in one program (one parse of office-js).
  const EXAMPLES: Record<string, string> = {
    unguarded: `export const theme = () => Office.context.officeTheme;`,
    featureTest: `export const theme = () => ('officeTheme' in Office.context ? Office.context.officeTheme : null);`,
    guardAfterUse: `export function theme() {
      const t = Office.context.officeTheme;
      return Office.context.requirements.isSetSupported('Mailbox', '1.14') ? t : null;
    }`,
    olderSet: `export const theme = () =>
      Office.context.requirements.isSetSupported('Mailbox', '1.8') ? Office.context.officeTheme : null;`,
    notOffice: `const requirements = { isSetSupported: (_n: string, _v: string) => true };
      export const theme = () => (requirements.isSetSupported('Mailbox', '1.14') ? Office.context.officeTheme : null);`,
    sameFunction: `export const theme = () =>
      Office.context.requirements.isSetSupported('Mailbox', '1.14') ? Office.context.officeTheme : null;`,
    enclosingFunctionNewerSet: `const THEMES = '1.15';
      export function onTheme(listener: (t: Office.OfficeTheme) => void) {
        if (!Office.context.requirements.isSetSupported('mailbox', THEMES)) return;
        setTimeout(() => listener(Office.context.officeTheme), 0);
      }`
  };
  const path = (name: string) => `src/addin/office/guard-rule-${name}.ts`;
  let guarded: Record<string, boolean[]>;
  beforeAll(() => {
    const found = officeMemberUses(
      [],
      Object.fromEntries(Object.entries(EXAMPLES).map(([name, body]) => [path(name), body]))
    ).filter((use) => use.member === 'Office.Context.officeTheme');
    guarded = Object.fromEntries(
      Object.keys(EXAMPLES).map((name) => [
        name,
        found.filter((use) => use.file.endsWith(path(name))).map((use) => use.guarded)
      ])
    );
  });

  test('an unguarded use, a feature test, a guard after the use, for an older set or not Office’s: not guarded', () => {
    for (const name of ['unguarded', 'featureTest', 'guardAfterUse', 'olderSet', 'notOffice']) {
      expect([name, guarded[name]]).toEqual([name, [false]]);
    }
  });

  test('a check for the set or a newer one, before the use, in the function or one around it: guarded', () => {
    for (const name of ['sameFunction', 'enclosingFunctionNewerSet']) {
      expect([name, guarded[name]]).toEqual([name, [true]]);
    }
  });
});
