import { readFileSync, readdirSync } from 'node:fs';
import { ICON_SIZES, iconFileName } from '../../src/manifest/icons.js';
import {
  descendants,
  iconProblems,
  iconReferences,
  identityProblems,
  manifestProblems,
  parseManifest,
  pinningProblems,
  pngSize,
  requirementProblems,
  launchEventProblems,
  multiSelectProblems,
  sharedFoldersProblems,
  residProblems,
  urlProblems,
  validateWithXsd
} from '../helpers/manifest.js';
import { SEND_HANDLER_NAME } from '../../src/addin/office/send-event.js';

/* The development manifest, offline: Office's schemas first, then the rules the schemas cannot express. */

const xml = readFileSync('manifest.xml', 'utf8');
const root = parseManifest(xml);

test('is valid against the Office add-in manifest schemas (xmllint, no network)', () => {
  const { status, output } = validateWithXsd('manifest.xml');
  expect(output.trim()).toBe('manifest.xml validates');
  expect(status).toBe(0);
});

test('is a mail add-in shown on messages and meetings being read and written', () => {
  expect(root.attrs.type).toBe('MailApp');
  const children = (name: string) => root.children.filter((e) => e.name === name);
  // The least that covers the Office.js calls (test/addin/office-requirement-sets.test.ts): Log selected's
  // getSelectedItemsAsync needs read/write mailbox.
  expect(children('Permissions').map((e) => e.text)).toEqual(['ReadWriteMailbox']);
  expect(children('DisplayName').map((e) => e.attrs.DefaultValue)).toEqual(['Interaction log']);
  expect(children('DefaultLocale').map((e) => e.text)).toEqual(['en-US']);
  const rules = descendants(root).filter((e) => e.name === 'Rule' && e.attrs.type === 'ItemIs');
  expect(rules.map((rule) => `${rule.attrs.ItemType} ${rule.attrs.FormType}`).sort()).toEqual([
    'Appointment Edit',
    'Appointment Read',
    'Message Edit',
    'Message Read'
  ]);
  // Each form has its button that opens the pane (issue 21: the attendee's and the organizer's meeting too).
  const surfaces = descendants(root)
    .filter(
      (e) =>
        e.name === 'ExtensionPoint' &&
        descendants(e).some((c) => c.name === 'Action' && c.attrs.type === 'ShowTaskpane')
    )
    .filter((e) => !e.attrs.type?.startsWith('Mobile'))
    .map((e) => e.attrs.type);
  expect(surfaces).toEqual([
    'MessageReadCommandSurface',
    'MessageComposeCommandSurface',
    'AppointmentAttendeeCommandSurface',
    'AppointmentOrganizerCommandSurface'
  ]);
});

test('every address is https on the development origin, and the Entra resource on the same host', () => {
  expect(urlProblems(root, 'localhost:3000')).toEqual([]);
  const sourceLocations = descendants(root)
    .filter((e) => e.name === 'SourceLocation' || e.name === 'Url')
    .map((e) => e.attrs.DefaultValue)
    .filter((value) => value !== undefined);
  expect(new Set(sourceLocations)).toEqual(
    new Set([
      'https://localhost:3000/taskpane.html',
      'https://localhost:3000/launchevent.html',
      'https://localhost:3000/launchevent.js'
    ])
  );
});

test('every referenced icon is in assets/ at exactly the declared pixel size', () => {
  expect(iconProblems(root, 'assets')).toEqual([]);
  // The manifest and the icon generator agree on the sizes, and assets/ holds no stray icon.
  const referenced = new Set(iconReferences(root).map(({ pixels }) => pixels));
  expect([...referenced].sort((a, b) => a - b)).toEqual([...ICON_SIZES]);
  expect(
    readdirSync('assets')
      .filter((f) => f.endsWith('.png'))
      .sort()
  ).toEqual(ICON_SIZES.map(iconFileName).sort());
});

test('every resid resolves to a resource of its kind, and every resource is used', () => {
  expect(residProblems(root)).toEqual([]);
});

test('the Id is a GUID, the Version has four parts, control ids are unique', () => {
  expect(identityProblems(root)).toEqual([]);
});

test('the read-surface pane can be pinned', () => {
  expect(pinningProblems(root)).toEqual([]);
});

test('requires Mailbox 1.5 and nothing higher', () => {
  expect(requirementProblems(root)).toEqual([]);
});

// Microsoft's reference (https://learn.microsoft.com/javascript/api/manifest/webapplicationinfo): Resource is the
// Application ID URI of the app whose id is in Id, on the add-in's domain; Scopes are Microsoft Graph permissions.
test('WebApplicationInfo: the add-in’s registration, its own Application ID URI, Graph permission names only', () => {
  const info = descendants(root).find((e) => e.name === 'WebApplicationInfo');
  const text = (name: string) => info?.children.find((e) => e.name === name)?.text;
  expect(text('Resource')).toBe(`api://localhost:3000/${text('Id')}`);
  const scopes = info?.children.find((e) => e.name === 'Scopes')?.children.map((e) => e.text);
  expect(scopes).toEqual(['openid', 'profile', 'Mail.Read', 'Mail.Read.Shared', 'Calendars.ReadBasic']);
});

test('the send-time prompt: OnMessageSend in prompt-user mode, handled by the function the runtime registers', () => {
  expect(launchEventProblems(root, SEND_HANDLER_NAME)).toEqual([]);
  const blocking = xml.replace('SendMode="PromptUser"', 'SendMode="Block"');
  expect(launchEventProblems(parseManifest(blocking), SEND_HANDLER_NAME)).toEqual([
    'LaunchEvent SendMode="Block" is not PromptUser'
  ]);
});

test('Log selected: SupportsMultiSelect last in the read pane’s action, with the permission it needs', () => {
  expect(multiSelectProblems(root)).toEqual([]);
  expect(descendants(root).filter((e) => e.name === 'SupportsMultiSelect')).toHaveLength(1);
  const narrower = xml.replace(
    '<Permissions>ReadWriteMailbox</Permissions>',
    '<Permissions>ReadWriteItem</Permissions>'
  );
  expect(multiSelectProblems(parseManifest(narrower))).toEqual([
    'SupportsMultiSelect needs ReadWriteMailbox, not ReadWriteItem'
  ]);
  const first = xml.replace(
    /(<SupportsPinning>true<\/SupportsPinning>)(\s*<!--[^>]*-->)?(\s*)(<SupportsMultiSelect>true<\/SupportsMultiSelect>)/,
    '$4$3$1'
  );
  expect(multiSelectProblems(parseManifest(first))).toEqual(['SupportsMultiSelect is not last']);
});

test('shared folders and shared mailboxes: SupportsSharedFolders first in the desktop form factor (issue 21)', () => {
  expect(sharedFoldersProblems(root)).toEqual([]);
  const last = xml.replace(
    /(<SupportsSharedFolders>true<\/SupportsSharedFolders>)([\s\S]*?)(<\/DesktopFormFactor>)/,
    '$2$1$3'
  );
  expect(sharedFoldersProblems(parseManifest(last))).toEqual([
    'SupportsSharedFolders is not first in DesktopFormFactor'
  ]);
  const none = xml.replace(/<SupportsSharedFolders>true<\/SupportsSharedFolders>/, '');
  expect(sharedFoldersProblems(parseManifest(none))).toEqual(['0 SupportsSharedFolders elements, not one']);
});

describe('the checks themselves', () => {
  test('read PNG sizes from the IHDR chunk', () => {
    expect(pngSize(readFileSync('assets/icon-80.png'))).toEqual({ width: 80, height: 80 });
    expect(() => pngSize(Buffer.from('GIF89a'))).toThrow('not a PNG');
  });

  test('catch what the schema lets through', () => {
    const broken = xml
      .replace('https://localhost:3000/support.html', 'http://localhost:3000/support.html')
      .replace('<AppDomain>https://localhost:3000</AppDomain>', '<AppDomain>https://elsewhere.example</AppDomain>')
      .replace('resid="icon80"/>', 'resid="icon64"/>')
      .replace('<Label resid="groupLabel"/>', '<Label resid="missingLabel"/>')
      .replace('<Version>1.0.0.0</Version>', '<Version>1.0</Version>')
      .replace('<SupportsPinning>true</SupportsPinning>', '')
      .replace('<Set Name="Mailbox" MinVersion="1.5"/>', '<Set Name="Mailbox" MinVersion="1.3"/>');
    const problems = manifestProblems(broken, 'localhost:3000');
    const expected = [
      /SupportUrl DefaultValue: "http:\/\/localhost:3000\/support.html" is not https:/,
      /AppDomain \(text\): "https:\/\/elsewhere.example" is not on localhost:3000/,
      /size=80: assets\/icon-64.png is 64×64, the manifest declares 80×80/,
      /resid="missingLabel" is not among the ShortStrings resources/,
      /Version "1.0" does not have four parts/,
      /lacks <SupportsPinning>/,
      /the add-in requires Mailbox 1.3, not 1.5/
    ];
    for (const pattern of expected) expect(problems.some((problem) => pattern.test(problem))).toBe(true);
    expect(problems).toHaveLength(expected.length + 1); // the 1.3 <Set> is also reported on its own
  });
});
