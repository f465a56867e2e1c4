import AdmZip from 'adm-zip';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { v5 as uuidV5 } from 'uuid';
import { ManifestError, addinApplicationIdUri, readAddinId, readVersion } from './build-manifest.js';
import { BRAND_COLOUR_HEX, encodePng, renderIconPixels, renderOutlinePixels } from './icons.js';

/*
 * Microsoft's JSON unified manifest for Microsoft 365, made from the same source as the XML one: the built XML
 * manifest (manifest.xml moved to the public origin by buildManifest), whose names, strings, addresses, icons,
 * requirement set and permission it carries over. What the XML has no place for is here: the app package's
 * two icons, the short description, the developer block.
 *
 * The two are one add-in to an organization that deploys both (Outlook on Mac and mobile and the sovereign
 * clouds still need the XML one): the JSON app has its own id, derived from the XML <Id> so that it never
 * changes, and hides the XML add-in where it runs with its buttons (desktop form factors: Windows and the web;
 * it carries no mobile surface, so on phones the XML add-in stays), the link Microsoft documents for this
 * (extensions[].alternates[].hide.customOfficeAddin.officeAddinId; "Manage both a unified manifest and an add-in
 * only manifest version of your Office Add-in",
 * https://learn.microsoft.com/office/dev/add-ins/concepts/duplicate-legacy-metaos-add-ins). Two apps with one id
 * would collide in the admin center's catalogue instead.
 *
 * Version 1.24 of the schema: test/manifest/unified-manifest.test.ts validates against Microsoft's copy of it
 * (npm @microsoft/app-manifest).
 */

export const UNIFIED_MANIFEST_VERSION = '1.24';
export const UNIFIED_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${UNIFIED_MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** The app package's file names: what Integrated Apps takes for a unified manifest. */
export const APP_PACKAGE_FILES = { manifest: 'manifest.json', color: 'color.png', outline: 'outline.png' } as const;
/** The sizes Microsoft's schema asks of the package's icons. */
export const APP_PACKAGE_ICON_SIZES = { color: 192, outline: 32 } as const;

/** A fixed namespace for the JSON app's id: uuid v5 of the XML add-in's Id in it. Never change it. */
const UNIFIED_ID_NAMESPACE = 'a4f2b8a5-2d1e-4c77-9a34-6b0f3c5d9e21';

const SHORT_DESCRIPTION = 'Your team’s email history and open opportunities with the person you write to.';

/**
 * The XML's permission and its unified manifest name, from Microsoft's table in "Understanding Outlook add-in
 * permissions" (https://learn.microsoft.com/office/dev/add-ins/outlook/understanding-outlook-add-in-permissions).
 */
const PERMISSIONS: Record<string, string> = {
  Restricted: 'MailboxItem.Restricted.User',
  ReadItem: 'MailboxItem.Read.User',
  ReadWriteItem: 'MailboxItem.ReadWrite.User',
  ReadWriteMailbox: 'Mailbox.ReadWrite.User'
};

const stripComments = (xml: string) => xml.replace(/<!--[\s\S]*?-->/g, '');
const unescapeXml = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : name === 'gt' ? '>' : name === 'quot' ? '"' : "'"
  );

/** The values of the groups of one match the XML must have exactly once. */
function onlyGroups(xml: string, pattern: RegExp, what: string): string[] {
  const found = [...stripComments(xml).matchAll(pattern)];
  if (found.length !== 1)
    throw new ManifestError(`The manifest must contain exactly one ${what}; found ${found.length}.`);
  return (found[0] ?? []).slice(1).map((value) => unescapeXml(value ?? ''));
}

/** One value the XML must have exactly once. */
const only = (xml: string, pattern: RegExp, what: string): string => onlyGroups(xml, pattern, what)[0] ?? '';

const defaultValue = (xml: string, element: string) =>
  only(xml, new RegExp(`<${element}\\s+DefaultValue="([^"]*)"`, 'g'), `<${element} DefaultValue>`);
const resource = (xml: string, id: string) =>
  only(xml, new RegExp(`<bt:(?:String|Url|Image) id="${id}" DefaultValue="([^"]*)"`, 'g'), `resource "${id}"`);

/** The JSON app's id: stable, and distinct from the XML add-in's (see above). */
export const unifiedAppId = (xmlAddinId: string): string => uuidV5(xmlAddinId.toLowerCase(), UNIFIED_ID_NAMESPACE);

/** The unified manifest's semver from the XML's four-part version: 1.2.3.0 → 1.2.3. */
export function semverOf(xmlVersion: string): string {
  const [major = '0', minor = '0', patch = '0', build = '0', ...rest] = xmlVersion.split('.');
  if (rest.length > 0 || Number(build) !== 0) {
    throw new ManifestError(
      `The unified manifest's version has three parts; ${xmlVersion} has a fourth. Raise the patch part instead ` +
        `(npm run manifest:bump -- patch).`
    );
  }
  return [major, minor, patch].map((part) => String(Number(part))).join('.');
}

/** The unified manifest for the built XML manifest `xml` (addresses already on the public origin). */
export function buildUnifiedManifest(xml: string): Record<string, unknown> {
  const xmlId = readAddinId(xml);
  const pane = resource(xml, 'taskpaneUrl');
  const origin = new URL(pane).origin;
  const clientId = only(xml, /<WebApplicationInfo>\s*<Id>\s*([^<]*?)\s*<\/Id>/g, 'WebApplicationInfo <Id>');
  const mailbox = only(xml, /<Sets>\s*<Set Name="Mailbox" MinVersion="([^"]+)"\s*\/>/g, '<Set Name="Mailbox">');
  const permission = only(xml, /<Permissions>\s*([^<]*?)\s*<\/Permissions>/g, '<Permissions>');
  const rsc = PERMISSIONS[permission];
  if (!rsc) throw new ManifestError(`The permission ${permission} has no unified manifest equivalent here.`);
  const name = defaultValue(xml, 'DisplayName');
  const support = defaultValue(xml, 'SupportUrl');
  return {
    $schema: UNIFIED_SCHEMA_URL,
    manifestVersion: UNIFIED_MANIFEST_VERSION,
    id: unifiedAppId(xmlId),
    version: semverOf(readVersion(xml)),
    name: { short: name, full: name },
    description: { short: SHORT_DESCRIPTION, full: defaultValue(xml, 'Description') },
    developer: {
      name: only(xml, /<ProviderName>\s*([^<]*?)\s*<\/ProviderName>/g, '<ProviderName>'),
      websiteUrl: support,
      privacyUrl: support,
      termsOfUseUrl: support
    },
    icons: { color: APP_PACKAGE_FILES.color, outline: APP_PACKAGE_FILES.outline },
    accentColor: BRAND_COLOUR_HEX,
    localizationInfo: {
      defaultLanguageTag: only(xml, /<DefaultLocale>\s*([^<]*?)\s*<\/DefaultLocale>/g, '<DefaultLocale>')
    },
    validDomains: [new URL(origin).host],
    webApplicationInfo: { id: clientId, resource: addinApplicationIdUri(origin, clientId) },
    authorization: { permissions: { resourceSpecific: [{ name: rsc, type: 'Delegated' }] } },
    extensions: [mailExtension(xml, xmlId, pane, mailbox)]
  };
}

/**
 * The XML's send events and their unified manifest names, from Microsoft's table of supported events
 * (https://learn.microsoft.com/office/dev/add-ins/outlook/autolaunch#supported-events): the event, and the Mailbox
 * requirement set that introduced it (Smart Alerts, 1.12).
 */
const SEND_EVENTS: Record<string, { type: string; mailboxVersion: string }> = {
  OnMessageSend: { type: 'messageSending', mailboxVersion: '1.12' }
};
/** The XML's SendMode and its unified manifest spelling (extensions[].autoRunEvents[].events[].options.sendMode). */
const SEND_MODES: Record<string, string> = { PromptUser: 'promptUser', SoftBlock: 'softBlock', Block: 'block' };

/**
 * The XML's LaunchEvent as the unified manifest has it ("Automatically check for an attachment before a message is
 * sent", unified manifest tab, https://learn.microsoft.com/office/dev/add-ins/outlook/smart-alerts-onmessagesend-walkthrough):
 * a short-lived runtime whose code is the HTML page (Outlook on the web, new Outlook) and the JavaScript file (classic
 * Outlook on Windows), an executeFunction action named as the function the handler registers with
 * Office.actions.associate, and the event in autoRunEvents with its send mode. Both require the set that introduced
 * the event, and desktop only, as the XML's LaunchEvent sits in DesktopFormFactor.
 */
function sendEvent(xml: string) {
  const [eventType = '', functionName = '', sendMode = ''] = onlyGroups(
    xml,
    /<LaunchEvent\s+Type="([^"]*)"\s+FunctionName="([^"]*)"\s+SendMode="([^"]*)"\s*\/>/g,
    '<LaunchEvent Type FunctionName SendMode>'
  );
  const event = SEND_EVENTS[eventType];
  const mode = SEND_MODES[sendMode];
  if (!event || !mode) {
    throw new ManifestError(
      `The LaunchEvent ${eventType} in SendMode ${sendMode} has no unified manifest equivalent here ` +
        `(known: ${Object.keys(SEND_EVENTS).join(', ')} in ${Object.keys(SEND_MODES).join(', ')}).`
    );
  }
  const page = resource(xml, only(xml, /<Runtime\s+resid="([^"]+)"/g, '<Runtime resid>'));
  const script = resource(
    xml,
    only(xml, /<Override\s+type="javascript"\s+resid="([^"]+)"/g, '<Override type="javascript">')
  );
  const capabilities = [{ name: 'Mailbox', minVersion: event.mailboxVersion }];
  return {
    runtime: {
      requirements: { capabilities },
      id: 'SendEventRuntime',
      type: 'general',
      code: { page, script },
      lifetime: 'short',
      actions: [{ id: functionName, type: 'executeFunction' }]
    },
    autoRunEvent: {
      requirements: { capabilities, formFactors: ['desktop'] },
      events: [{ type: event.type, actionId: functionName, options: { sendMode: mode } }]
    }
  };
}

/**
 * The mail extension: the pane's runtime, its buttons (message read and compose, meeting attendee and organizer),
 * the send-time prompt's runtime and event, and the XML add-in hidden where they show.
 */
function mailExtension(xml: string, xmlId: string, pane: string, mailboxVersion: string) {
  const capabilities = [{ name: 'Mailbox', minVersion: mailboxVersion }];
  const send = sendEvent(xml);
  const commandIcons = [16, 32, 80].map((size) => ({ size, url: resource(xml, `icon${size}`) }));
  const button = (id: string, description: string, actionId: string) => ({
    id,
    type: 'button',
    label: resource(xml, 'showPaneLabel'),
    icons: commandIcons,
    supertip: { title: resource(xml, 'showPaneTitle'), description: resource(xml, description) },
    actionId
  });
  const ribbon = (context: string, groupId: string, control: ReturnType<typeof button>) => ({
    requirements: { formFactors: ['desktop'] },
    contexts: [context],
    tabs: [
      {
        builtInTabId: 'TabDefault',
        groups: [{ id: groupId, label: resource(xml, 'groupLabel'), icons: commandIcons, controls: [control] }]
      }
    ]
  });

  return {
    requirements: { scopes: ['mail'], capabilities },
    runtimes: [
      {
        requirements: { capabilities },
        id: 'TaskPaneRuntime',
        type: 'general',
        code: { page: pane },
        lifetime: 'short',
        actions: [
          // Pinnable and Log selected, as the XML's SupportsPinning and SupportsMultiSelect. The XML's
          // SupportsSharedFolders has no counterpart in @microsoft/app-manifest's schemas (none names shared folders):
          // the unified manifest leaves it out, so there the pane opens on the user's own mailbox only.
          { id: 'ShowPaneRead', type: 'openPage', pinnable: true, multiselect: true },
          { id: 'ShowPaneCompose', type: 'openPage' },
          { id: 'ShowPaneMeeting', type: 'openPage' }
        ]
      },
      send.runtime
    ],
    ribbons: [
      ribbon('mailRead', 'msgReadGroup', button('msgReadShowPane', 'showPaneDescription', 'ShowPaneRead')),
      ribbon(
        'mailCompose',
        'msgComposeGroup',
        button('msgComposeShowPane', 'showPaneComposeDescription', 'ShowPaneCompose')
      ),
      // A meeting, as the attendee and as the organizer see it: the XML's two appointment surfaces.
      ribbon(
        'meetingDetailsAttendee',
        'apptAttendeeGroup',
        button('apptAttendeeShowPane', 'showPaneMeetingDescription', 'ShowPaneMeeting')
      ),
      ribbon(
        'meetingDetailsOrganizer',
        'apptOrganizerGroup',
        button('apptOrganizerShowPane', 'showPaneMeetingDescription', 'ShowPaneMeeting')
      )
    ],
    // The send-time prompt; whether it asks anything is the tenant's setting, which the handler reads from the API.
    autoRunEvents: [send.autoRunEvent],
    // Only where this app has its buttons (desktop: Windows and the web); on phones the XML add-in stays.
    alternates: [{ requirements: { formFactors: ['desktop'] }, hide: { customOfficeAddin: { officeAddinId: xmlId } } }]
  };
}

/** The files written beside the XML manifest: the unified manifest, and the app package to upload. */
export const UNIFIED_OUTPUT_FILES = { manifest: 'manifest.json', appPackage: 'app-package.zip' } as const;

/** The app package Integrated Apps takes for a unified manifest: manifest.json and its two icons, zipped. */
export function buildAppPackage(manifest: Record<string, unknown>): Buffer {
  const zip = new AdmZip();
  zip.addFile(APP_PACKAGE_FILES.manifest, Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  const { color, outline } = APP_PACKAGE_ICON_SIZES;
  zip.addFile(APP_PACKAGE_FILES.color, encodePng(color, color, renderIconPixels(color)));
  zip.addFile(APP_PACKAGE_FILES.outline, encodePng(outline, outline, renderOutlinePixels(outline)));
  return zip.toBuffer();
}

/** Writes the unified manifest and its app package for the built XML manifest into `dir`; returns their paths. */
export function writeUnifiedManifest(xml: string, dir: string): { manifest: string; appPackage: string } {
  const manifest = buildUnifiedManifest(xml);
  const paths = {
    manifest: join(dir, UNIFIED_OUTPUT_FILES.manifest),
    appPackage: join(dir, UNIFIED_OUTPUT_FILES.appPackage)
  };
  writeFileSync(paths.manifest, `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(paths.appPackage, buildAppPackage(manifest));
  return paths;
}
