/*
 * The production manifest is made from the development one (manifest.xml at the repository root), never
 * edited by hand: the origin is replaced everywhere, WebApplicationInfo gets the add-in's real registration,
 * and the version can be set. Edits are textual, so comments and layout survive; every edit must find exactly
 * what it expects, or the build stops with a message that says what is wrong.
 */

import { isGuid } from '../shared/guid.js';

/** The origin every address of the development manifest uses (`npm start` with HTTPS). */
export const DEV_ORIGIN = 'https://localhost:3000';

/** The development manifest's stand-in for the add-in's Entra client id; a production build must replace it. */
export const DEV_ADDIN_CLIENT_ID = 'de000000-0000-4000-8000-000000000000';

export type VersionPart = 'major' | 'minor' | 'patch' | 'build';
export const VERSION_PARTS: readonly VersionPart[] = ['major', 'minor', 'patch', 'build'];

export interface BuildManifestOptions {
  /** The https origin that serves the built pane at its root, e.g. https://addin.contoso.com. */
  publicUrl: string;
  /** The add-in's application (client) id in Microsoft Entra ID. */
  addinClientId: string;
  /** The manifest version to set, four numbers: 1.2.0.0. Unchanged unless given. */
  version?: string | undefined;
}

/** The command-line options (node:util parseArgs) that say which organization a manifest is built for. */
export const MANIFEST_ARGUMENTS = {
  url: { type: 'string' },
  'client-id': { type: 'string' },
  version: { type: 'string' },
  in: { type: 'string', default: 'manifest.xml' }
} as const;

type ManifestArgumentValues = { [name in keyof typeof MANIFEST_ARGUMENTS]?: string | undefined };

/** Those options' values as build options, or the names of the required ones missing. */
export function manifestOptionsFrom(values: ManifestArgumentValues): BuildManifestOptions | { missing: string[] } {
  const missing = (['url', 'client-id'] as const).filter((name) => !values[name]);
  if (missing.length > 0) return { missing: missing.map((name) => `--${name}`) };
  return { publicUrl: values.url ?? '', addinClientId: values['client-id'] ?? '', version: values.version };
}

/** A build or bump refused: the message says what to fix. */
export class ManifestError extends Error {
  override name = 'ManifestError';
}

const VERSION = /^\d{1,5}(\.\d{1,5}){3}$/;
const MAX_VERSION_PART = 99_999; // the schema allows at most five digits per part

/** The origin of an https URL that names nothing but an origin (a trailing "/" is allowed). */
export function publicOrigin(publicUrl: string): string {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    throw new ManifestError(
      `The public URL "${publicUrl}" is not a URL; give an origin such as https://addin.contoso.com.`
    );
  }
  if (url.protocol !== 'https:') {
    throw new ManifestError(
      `The public URL must use https (Office loads add-ins only over HTTPS), not "${url.protocol}".`
    );
  }
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') {
    throw new ManifestError(
      `The public URL must be an origin only, such as https://addin.contoso.com: the server serves the pane at the ` +
        `site root. Got "${publicUrl}".`
    );
  }
  return url.origin;
}

function checkClientId(addinClientId: string): void {
  if (!isGuid(addinClientId)) {
    throw new ManifestError(
      `The add-in client id must be a GUID such as 11111111-2222-3333-4444-555555555555 (the "Application (client) ` +
        `ID" of its Entra registration). Got "${addinClientId}".`
    );
  }
  if (addinClientId.toLowerCase() === DEV_ADDIN_CLIENT_ID || /^[0-]+$/.test(addinClientId)) {
    throw new ManifestError(`The add-in client id ${addinClientId} is a placeholder; give the real registration's id.`);
  }
}

function checkVersion(version: string): void {
  if (!VERSION.test(version)) {
    throw new ManifestError(
      `The version must be four numbers of up to five digits, such as 1.2.0.0. Got "${version}".`
    );
  }
}

const escapeXml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** Replaces the only match of the global `pattern` in `text`, or says what is missing or repeated. */
function replaceOnce(text: string, pattern: RegExp, replace: (match: string) => string, what: string): string {
  const count = [...text.matchAll(pattern)].length;
  if (count !== 1) throw new ManifestError(`The manifest must contain exactly one ${what}; found ${count}.`);
  return text.replace(pattern, (match: string) => replace(match));
}

/** The manifest's version (the top-level Version element). */
export function readVersion(xml: string): string {
  const versions = [...xml.matchAll(/<Version>\s*([^<]*?)\s*<\/Version>/g)];
  if (versions.length !== 1)
    throw new ManifestError(`The manifest must contain exactly one <Version>; found ${versions.length}.`);
  return versions[0]?.[1] ?? '';
}

/** The add-in's own Id (the top-level Id element, not WebApplicationInfo's). */
export function readAddinId(xml: string): string {
  // The first Id inside OfficeApp, comments aside: WebApplicationInfo's comes last.
  const id = /<OfficeApp\b[\s\S]*?<Id>\s*([^<]*?)\s*<\/Id>/.exec(xml.replace(/<!--[\s\S]*?-->/g, ''))?.[1];
  if (!id) throw new ManifestError('The manifest has no <Id>.');
  return id;
}

/** Negative, zero or positive as version `a` is lower than, equal to or higher than `b` (missing parts are 0). */
export function compareVersions(a: string, b: string): number {
  const [left, right] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

const setVersion = (xml: string, version: string): string =>
  replaceOnce(xml, /<Version>[^<]*<\/Version>/g, () => `<Version>${version}</Version>`, '<Version>');

/** Raises one part of the version and resets the parts after it: bump 1.2.3.4 by minor gives 1.3.0.0. */
export function bumpVersion(xml: string, part: VersionPart): string {
  const index = VERSION_PARTS.indexOf(part);
  if (index < 0) throw new ManifestError(`The part to bump must be one of ${VERSION_PARTS.join(', ')}; got "${part}".`);
  const current = readVersion(xml);
  if (!/^\d{1,5}(\.\d{1,5}){0,3}$/.test(current)) {
    throw new ManifestError(`The manifest's version "${current}" is not one to four numbers, such as 1.0.0.0.`);
  }
  const parts = current.split('.').map(Number);
  while (parts.length < 4) parts.push(0);
  const next = parts.map((value, i) => (i < index ? value : i === index ? value + 1 : 0));
  if ((next[index] ?? 0) > MAX_VERSION_PART) {
    throw new ManifestError(`The ${part} part of ${current} cannot go above ${MAX_VERSION_PART}; bump a larger part.`);
  }
  return setVersion(xml, next.join('.'));
}

/** The first comment, which describes the development manifest, gives way to one that says where this came from. */
function replaceHeaderComment(xml: string, origin: string): string {
  const header = `<!--
  Generated from manifest.xml by src/manifest/cli.ts build, for ${escapeXml(origin)}: do not edit; change
  manifest.xml and build again.
-->`;
  const root = xml.indexOf('<OfficeApp');
  const start = xml.indexOf('<!--');
  if (start >= 0 && start < root) return xml.slice(0, start) + header + xml.slice(xml.indexOf('-->', start) + 3);
  return xml.slice(0, root) + header + '\n' + xml.slice(root);
}

/**
 * The Application ID URI that WebApplicationInfo's Resource names: the add-in's own registration's, on the
 * add-in's host, ending with its client id, as Microsoft's reference has it
 * (https://learn.microsoft.com/javascript/api/manifest/webapplicationinfo: Resource "specifies the Application ID
 * URI of the add-in", and Office proves ownership by the add-in being served from that URI's domain).
 */
export const addinApplicationIdUri = (origin: string, addinClientId: string): string =>
  `api://${new URL(origin).host}/${addinClientId}`;

/**
 * What the add-in's Entra registration needs for a public origin, as the build commands print it: the
 * redirect URIs of its three ways to sign in, nested app authentication's brk-multihub:// first (Outlook
 * brokers the sign-in for that origin; it names the origin only), and the Application ID URI above.
 */
export function registrationGuidance(origin: string, addinClientId: string): string[] {
  return [
    `The add-in's app registration (${addinClientId}) needs, as a single-page application, the redirect URIs`,
    `  brk-multihub://${new URL(origin).host}   (nested app authentication: Outlook brokers the sign-in)`,
    `  ${origin}/auth-redirect.html   (the sign-in popup, where nested app authentication is not available)`,
    `  ${origin}/auth-dialog.html   (the sign-in in an Office dialog, the last fallback)`,
    `and, in Expose an API, the Application ID URI ${addinApplicationIdUri(origin, addinClientId)}, which the ` +
      `manifest's WebApplicationInfo names (docs/DEPLOYMENT.md).`
  ];
}

/** WebApplicationInfo's Scopes are Microsoft Graph permission names (openid, Mail.Read), never another app's URI. */
function checkGraphScopes(block: string): void {
  const notGraph = [...block.matchAll(/<Scope>\s*([^<]*?)\s*<\/Scope>/g)]
    .map((match) => match[1] ?? '')
    .filter((scope) => !/^[A-Za-z][A-Za-z0-9._-]*$/.test(scope));
  if (notGraph.length > 0) {
    throw new ManifestError(
      `WebApplicationInfo's Scopes must be Microsoft Graph permission names such as Mail.Read; ` +
        `${notGraph.join(', ')} is not one (the companion API's scope is asked for at run time, not in the manifest).`
    );
  }
}

/**
 * The production manifest: `devManifestXml` with https://localhost:3000 replaced by the public origin everywhere,
 * WebApplicationInfo's Id and Resource set to the add-in's registration (its Graph scopes are kept), and the
 * version set when one is given.
 */
export function buildManifest(devManifestXml: string, options: BuildManifestOptions): string {
  const origin = publicOrigin(options.publicUrl);
  checkClientId(options.addinClientId);
  if (options.version !== undefined) checkVersion(options.version);

  if (!devManifestXml.includes(DEV_ORIGIN)) {
    throw new ManifestError(`The development manifest must use ${DEV_ORIGIN}; it does not mention it.`);
  }
  let xml = replaceHeaderComment(devManifestXml, origin);
  xml = xml.replace(/https:\/\/localhost:3000(?![0-9])/g, escapeXml(origin));

  xml = replaceOnce(
    xml,
    /<WebApplicationInfo>[\s\S]*?<\/WebApplicationInfo>/g,
    (block) => {
      checkGraphScopes(block);
      const info = replaceOnce(
        block,
        /<Id>[^<]*<\/Id>/g,
        () => `<Id>${options.addinClientId}</Id>`,
        'WebApplicationInfo <Id>'
      );
      return replaceOnce(
        info,
        /<Resource>[^<]*<\/Resource>/g,
        () => `<Resource>${escapeXml(addinApplicationIdUri(origin, options.addinClientId))}</Resource>`,
        'WebApplicationInfo <Resource>'
      );
    },
    '<WebApplicationInfo>'
  );

  if (options.version !== undefined) xml = setVersion(xml, options.version);

  if (xml.toLowerCase().includes(DEV_ADDIN_CLIENT_ID)) {
    throw new ManifestError(
      `The development client id ${DEV_ADDIN_CLIENT_ID} is still in the manifest outside WebApplicationInfo.`
    );
  }
  return xml;
}
