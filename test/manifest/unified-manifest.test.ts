import AdmZip from 'adm-zip';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildManifest, ManifestError, readAddinId, readVersion } from '../../src/manifest/build-manifest.js';
import {
  APP_PACKAGE_FILES,
  APP_PACKAGE_ICON_SIZES,
  UNIFIED_MANIFEST_VERSION,
  UNIFIED_OUTPUT_FILES,
  buildUnifiedManifest,
  semverOf,
  unifiedAppId
} from '../../src/manifest/unified-manifest.js';
import { SEND_HANDLER_NAME } from '../../src/addin/office/send-event.js';
import { pngSize } from '../helpers/manifest.js';
import { compareSetVersions, officeMemberUses } from '../helpers/office-requirements.js';

/*
 * The JSON unified manifest, checked offline against Microsoft's own schema for the version it declares (the copy
 * the npm package @microsoft/app-manifest ships, MIT, the same files as developer.microsoft.com/json-schemas), and
 * against the XML manifest it is made from: one add-in, the same strings, addresses and requirements.
 */

const SCHEMA = `node_modules/@microsoft/app-manifest/build/json-schemas/teams/v${UNIFIED_MANIFEST_VERSION}/MicrosoftTeams.schema.json`;
const CLIENT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const dev = readFileSync('manifest.xml', 'utf8');
const xml = buildManifest(dev, { publicUrl: 'https://addin.contoso.com', addinClientId: CLIENT_ID });

// The schema is draft-04 (Ajv 8's default is draft-07): Ajv's draft-04 class, with the formats it uses.
// (Both are CommonJS modules whose export is also their `default`, as src/server/http/validation.ts uses ajv-formats.)
const ajv = new AjvDraft04.default({ allErrors: true, strict: false });
addFormats.default(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA, 'utf8')) as object);
const problems = (manifest: unknown) =>
  validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- walking parsed JSON
const manifest = buildUnifiedManifest(xml) as Json;

test('is valid against Microsoft’s schema for the version it declares', () => {
  expect(manifest.manifestVersion).toBe(UNIFIED_MANIFEST_VERSION);
  expect(manifest.$schema).toBe(
    `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_MANIFEST_VERSION}/MicrosoftTeams.schema.json`
  );
  expect(problems(manifest)).toEqual([]);
});

test('the schema check itself catches what the schema forbids', () => {
  expect(problems({ ...manifest, id: 'not-a-guid' })).toEqual([expect.stringMatching(/^\/id /)]);
  expect(problems({ ...manifest, description: { short: 'x'.repeat(81), full: 'x' } })).not.toEqual([]);
  const { developer: _developer, ...withoutDeveloper } = manifest;
  expect(problems(withoutDeveloper)).toEqual([expect.stringContaining("must have required property 'developer'")]);
  // The send event's options: the XML's spelling of the send mode is not the unified manifest's.
  const [extension] = manifest.extensions;
  const [{ events }] = extension.autoRunEvents;
  const xmlSpelling = { ...events[0], options: { sendMode: 'PromptUser' } };
  const withXmlSpelling = { ...extension, autoRunEvents: [{ ...extension.autoRunEvents[0], events: [xmlSpelling] }] };
  expect(problems({ ...manifest, extensions: [withXmlSpelling] })).toEqual([
    expect.stringMatching(/^\/extensions\/0\/autoRunEvents\/0\/events\/0\/options\/sendMode must be equal to one of/)
  ]);
});

test('one add-in with the XML one: its own stable id, and it hides the XML add-in where it has its buttons', () => {
  const xmlId = readAddinId(xml);
  expect(manifest.id).toBe(unifiedAppId(xmlId));
  expect(manifest.id).not.toBe(xmlId);
  expect(unifiedAppId(xmlId.toUpperCase())).toBe(manifest.id);
  // Only on desktop, where it has its buttons: on phones the XML add-in must stay.
  expect(manifest.extensions[0].alternates).toEqual([
    { requirements: { formFactors: ['desktop'] }, hide: { customOfficeAddin: { officeAddinId: xmlId } } }
  ]);
  expect(manifest.extensions[0].ribbons.map((r: Json) => r.requirements)).toEqual(
    Array(4).fill({ formFactors: ['desktop'] })
  );
  // The send event too, as the XML's LaunchEvent sits in DesktopFormFactor.
  expect(manifest.extensions[0].autoRunEvents.map((e: Json) => e.requirements.formFactors)).toEqual([['desktop']]);
});

test('carries the XML’s version, names, addresses, requirement set, permission and registration', () => {
  expect(manifest.version).toBe(semverOf(readVersion(xml)));
  expect(manifest.name.short).toBe('Interaction log');
  expect(manifest.validDomains).toEqual(['addin.contoso.com']);
  expect(manifest.webApplicationInfo).toEqual({ id: CLIENT_ID, resource: `api://addin.contoso.com/${CLIENT_ID}` });
  expect(manifest.authorization.permissions.resourceSpecific).toEqual([
    { name: 'Mailbox.ReadWrite.User', type: 'Delegated' }
  ]);
  const [extension] = manifest.extensions;
  expect(extension.requirements).toEqual({ scopes: ['mail'], capabilities: [{ name: 'Mailbox', minVersion: '1.5' }] });
  expect(extension.runtimes[0].code.page).toBe('https://addin.contoso.com/taskpane.html');
  expect(extension.ribbons.map((r: Json) => r.contexts)).toEqual([
    ['mailRead'],
    ['mailCompose'],
    ['meetingDetailsAttendee'],
    ['meetingDetailsOrganizer']
  ]);
  const actions = new Map(extension.runtimes[0].actions.map((a: Json) => [a.id, a]));
  for (const ribbon of extension.ribbons) {
    for (const control of ribbon.tabs[0].groups[0].controls) expect(actions.has(control.actionId)).toBe(true);
  }
  // The pinnable read pane that takes several messages, as in the XML.
  expect(actions.get('ShowPaneRead')).toMatchObject({ pinnable: true, multiselect: true });
  const addresses = JSON.stringify(manifest).match(/https:\/\/[^"]+/g) ?? [];
  expect(
    addresses.filter(
      (a) =>
        !a.startsWith('https://addin.contoso.com/') && !a.startsWith('https://developer.microsoft.com/json-schemas/')
    )
  ).toEqual([]);
});

describe('the send-time prompt (issue 21), as the XML’s LaunchEvent', () => {
  const [extension] = manifest.extensions;
  const runtimeOf = (actionId: string) =>
    extension.runtimes.find((r: Json) => r.actions.some((a: Json) => a.id === actionId));

  test('messageSending in promptUser mode runs the registered handler in a short runtime: page and script', () => {
    expect(extension.autoRunEvents).toHaveLength(1);
    expect(extension.autoRunEvents[0].events).toEqual([
      { type: 'messageSending', actionId: SEND_HANDLER_NAME, options: { sendMode: 'promptUser' } }
    ]);
    expect(runtimeOf(SEND_HANDLER_NAME)).toMatchObject({
      type: 'general',
      lifetime: 'short',
      // The page for Outlook on the web and new Outlook, the script for classic Outlook on Windows: the XML's pair.
      code: { page: 'https://addin.contoso.com/launchevent.html', script: 'https://addin.contoso.com/launchevent.js' },
      actions: [{ id: SEND_HANDLER_NAME, type: 'executeFunction' }]
    });
    expect(runtimeOf('ShowPaneRead')).not.toBe(runtimeOf(SEND_HANDLER_NAME));
  });

  test('the event and its runtime require the Mailbox set the handler’s Office.js members need', () => {
    // The oracle is @types/office-js (test/helpers/office-requirements.ts): the least set that has every member
    // the handler uses, event.completed's SmartAlertsEventCompletedOptions among them.
    const needed = officeMemberUses(['src/addin/office/send-event.ts'])
      .map((use) => use.requires)
      .sort(compareSetVersions)
      .at(-1);
    expect(needed).toBe('1.12');
    const requirement = [{ name: 'Mailbox', minVersion: needed }];
    expect(extension.autoRunEvents[0].requirements.capabilities).toEqual(requirement);
    expect(runtimeOf(SEND_HANDLER_NAME).requirements).toEqual({ capabilities: requirement });
    // The pane keeps the XML's 1.5: a client without Smart Alerts still has the pane.
    expect(extension.requirements.capabilities).toEqual([{ name: 'Mailbox', minVersion: '1.5' }]);
  }, 120_000);

  test('a launch event or send mode the unified manifest cannot carry stops the build, saying which', () => {
    expect(() => buildUnifiedManifest(xml.replace('SendMode="PromptUser"', 'SendMode="Later"'))).toThrow(
      /LaunchEvent OnMessageSend in SendMode Later has no unified manifest equivalent/
    );
    expect(() => buildUnifiedManifest(xml.replace('Type="OnMessageSend"', 'Type="OnNewMessageCompose"'))).toThrow(
      ManifestError
    );
  });
});

test('the unified manifest takes three-part versions: a fourth part is refused, not dropped', () => {
  expect(semverOf('1.2.3.0')).toBe('1.2.3');
  expect(() => semverOf('1.2.3.4')).toThrow(ManifestError);
  expect(() => semverOf('1.2.3.4')).toThrow(/manifest:bump -- patch/);
});

describe('npm run manifest:build (src/manifest/cli.ts build) writes both manifests', () => {
  // The command draws the package's icons (under tsx); inside Jest's module wrapper that is some 40 times slower.
  let dir: string;
  let result: { code: number; stderr: string };
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'unified-'));
    const args = ['build', '--url', 'https://addin.contoso.com', '--client-id', CLIENT_ID];
    result = await promisify(execFile)(join('node_modules', '.bin', 'tsx'), [
      'src/manifest/cli.ts',
      ...args,
      '--out',
      join(dir, 'manifest.xml')
    ]).then(
      ({ stderr }) => ({ code: 0, stderr }),
      (error: { code: number; stderr: string }) => error
    );
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the XML manifest, manifest.json and the app package, from the same source', () => {
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'manifest.xml'), 'utf8')).toBe(xml);
    expect(JSON.parse(readFileSync(join(dir, UNIFIED_OUTPUT_FILES.manifest), 'utf8'))).toEqual(manifest);
    expect(result.stderr).toContain(UNIFIED_OUTPUT_FILES.appPackage);
  });

  test('the app package holds manifest.json and the two icons at the sizes the schema names', () => {
    const zip = new AdmZip(join(dir, UNIFIED_OUTPUT_FILES.appPackage));
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort()
    ).toEqual(Object.values(APP_PACKAGE_FILES).sort());
    expect(JSON.parse(zip.readAsText(APP_PACKAGE_FILES.manifest))).toEqual(manifest);
    const size = (file: string) => pngSize(zip.readFile(file) ?? Buffer.alloc(0));
    const { color, outline } = APP_PACKAGE_ICON_SIZES;
    expect(size(manifest.icons.color)).toEqual({ width: color, height: color });
    expect(size(manifest.icons.outline)).toEqual({ width: outline, height: outline });
  });
});
