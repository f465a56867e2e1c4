import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { XMLParser } from 'fast-xml-parser';

/*
 * Offline checks of an add-in manifest: the official schemas through xmllint, then what the schemas cannot
 * say. Each check returns the problems it found, as sentences, so a failing test names every offender.
 */

/** Microsoft's manifest schemas, kept in the repository as fixtures (see test/fixtures/manifest-xsd/). */
export const MANIFEST_XSD = resolve('test', 'fixtures', 'manifest-xsd', 'OfficeAppManifestV1_1.xsd');

/**
 * Elements newer than the schemas (see the fixtures' README): the event-based runtime and its launch event, the
 * read pane's SupportsMultiSelect and SupportsSharedFolders. They are taken out before xmllint sees the manifest;
 * `launchEventProblems`, `multiSelectProblems` and `sharedFoldersProblems` check them instead.
 */
const NEWER_THAN_SCHEMAS = [
  /<Runtimes>[\s\S]*?<\/Runtimes>/g,
  /<ExtensionPoint xsi:type="LaunchEvent">[\s\S]*?<\/ExtensionPoint>/g,
  /<SupportsMultiSelect>[^<]*<\/SupportsMultiSelect>/g,
  /<SupportsSharedFolders>[^<]*<\/SupportsSharedFolders>/g
];

/** Validates a manifest file against the schemas without the network; status 0 means valid. */
export function validateWithXsd(file: string): { status: number; output: string } {
  const xml = readFileSync(file, 'utf8');
  const known = NEWER_THAN_SCHEMAS.reduce((text, pattern) => text.replace(pattern, ''), xml);
  const result = spawnSync('xmllint', ['--noout', '--nonet', '--schema', MANIFEST_XSD, '-'], {
    encoding: 'utf8',
    input: known
  });
  if (result.error) {
    throw new Error(`xmllint could not run (${result.error.message}); install it: apt-get install -y libxml2-utils`);
  }
  // xmllint names standard input "-": name the file instead.
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}`.replace(/^-(?= )/gm, file) };
}

/** An element, without namespace prefixes (bt:Image is Image; xsi:type is the attribute "type"). */
export interface Element {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Element[];
  parent: Element | undefined;
}

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

/** Parses a manifest into elements (comments and the XML declaration left out); returns the root. */
export function parseManifest(xml: string): Element {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true
  });
  const build = (node: Ordered, parent: Element | undefined): Element | undefined => {
    const name = Object.keys(node).find((key) => key !== ':@');
    if (!name || name.startsWith('?') || name === '#text') return undefined;
    const element: Element = { name, attrs: { ...node[':@'] }, text: '', children: [], parent };
    for (const child of node[name] as Ordered[]) {
      if ('#text' in child) element.text += String(child['#text']);
      else {
        const built = build(child, element);
        if (built) element.children.push(built);
      }
    }
    return element;
  };
  const roots = (parser.parse(xml) as Ordered[]).map((node) => build(node, undefined)).filter((e) => e !== undefined);
  if (roots.length !== 1 || roots[0]?.name !== 'OfficeApp')
    throw new Error('The manifest has no single <OfficeApp> root');
  return roots[0];
}

/** Every element under `root` (itself included), document order. */
export function descendants(root: Element): Element[] {
  return [root, ...root.children.flatMap(descendants)];
}

const ancestors = (element: Element): Element[] =>
  element.parent ? [element.parent, ...ancestors(element.parent)] : [];
const where = (element: Element): string => [...ancestors(element).reverse(), element].map((e) => e.name).join('/');
const child = (element: Element, name: string) => element.children.find((c) => c.name === name);

/**
 * Every address is https on `host` (host[:port]); the Entra resource and scopes of WebApplicationInfo are
 * api:// URIs on the same host. Namespace declarations are not addresses and the parser drops them.
 */
export function urlProblems(root: Element, host: string): string[] {
  const problems: string[] = [];
  let addresses = 0;
  for (const element of descendants(root)) {
    const values = [...Object.entries(element.attrs).map(([name, value]) => ({ name, value }))];
    if (element.text) values.push({ name: '(text)', value: element.text });
    for (const { name, value } of values) {
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) continue;
      addresses++;
      const entra = ancestors(element).some((a) => a.name === 'WebApplicationInfo');
      const scheme = entra ? 'api:' : 'https:';
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        problems.push(`${where(element)} ${name}: "${value}" is not a URL`);
        continue;
      }
      if (url.protocol !== scheme) problems.push(`${where(element)} ${name}: "${value}" is not ${scheme}`);
      else if (url.host !== host) problems.push(`${where(element)} ${name}: "${value}" is not on ${host}`);
    }
  }
  if (addresses < 5) problems.push(`only ${addresses} addresses found: the check is not seeing the manifest`);
  return problems;
}

/** The resources of each VersionOverrides, by kind and id, merged over those of the enclosing one. */
type ResourceKind = 'Images' | 'Urls' | 'ShortStrings' | 'LongStrings';
type Resources = Record<ResourceKind, Map<string, Element>>;
const RESID_KIND: Record<string, ResourceKind> = {
  Image: 'Images',
  SourceLocation: 'Urls',
  FunctionFile: 'Urls',
  // The event-based runtime: its page, and the JavaScript file that overrides it in classic Outlook.
  Runtime: 'Urls',
  Override: 'Urls',
  Label: 'ShortStrings',
  Title: 'ShortStrings',
  Tooltip: 'ShortStrings',
  Description: 'LongStrings'
};

interface ResidUse {
  element: Element;
  kind: ResourceKind;
  resource: Element | undefined;
}

/** Every resid, with the resource it resolves to in its own VersionOverrides (or an enclosing one). */
function residUses(root: Element): { uses: ResidUse[]; declared: Element[]; problems: string[] } {
  const uses: ResidUse[] = [];
  const declared: Element[] = [];
  const problems: string[] = [];
  const visit = (element: Element, scope: Resources) => {
    let inner = scope;
    if (element.name === 'VersionOverrides') {
      inner = {
        Images: new Map(scope.Images),
        Urls: new Map(scope.Urls),
        ShortStrings: new Map(scope.ShortStrings),
        LongStrings: new Map(scope.LongStrings)
      };
      for (const group of child(element, 'Resources')?.children ?? []) {
        const kind = group.name as ResourceKind;
        if (!(kind in inner)) {
          problems.push(`${where(group)} is not a known kind of resource`);
          continue;
        }
        const seen = new Set<string>();
        for (const resource of group.children) {
          const id = resource.attrs.id ?? '';
          if (seen.has(id)) problems.push(`${where(resource)} id="${id}" is declared twice`);
          seen.add(id);
          inner[kind].set(id, resource);
          declared.push(resource);
        }
      }
    }
    const resid = element.attrs.resid;
    if (resid !== undefined) {
      const kind = RESID_KIND[element.name];
      if (!kind) problems.push(`${where(element)} has a resid, but no kind of resource is known for <${element.name}>`);
      else uses.push({ element, kind, resource: inner[kind].get(resid) });
    }
    for (const c of element.children) visit(c, inner);
  };
  visit(root, { Images: new Map(), Urls: new Map(), ShortStrings: new Map(), LongStrings: new Map() });
  return { uses, declared, problems };
}

/**
 * The send-time prompt's launch event, which the schemas do not know: OnMessageSend handled by the function the
 * runtime registers, in prompt-user mode (never Block), with a runtime whose page and JavaScript file both exist
 * on the add-in's origin.
 */
export function launchEventProblems(root: Element, handlerName: string): string[] {
  const all = descendants(root);
  const events = all.filter((e) => e.name === 'LaunchEvent');
  if (events.length === 0) return ['no <LaunchEvent>'];
  const problems: string[] = [];
  for (const event of events) {
    if (event.attrs.Type !== 'OnMessageSend')
      problems.push(`LaunchEvent Type="${event.attrs.Type}" is not OnMessageSend`);
    if (event.attrs.FunctionName !== handlerName) {
      problems.push(`LaunchEvent FunctionName="${event.attrs.FunctionName}" is not the registered ${handlerName}`);
    }
    if (event.attrs.SendMode !== 'PromptUser')
      problems.push(`LaunchEvent SendMode="${event.attrs.SendMode}" is not PromptUser`);
  }
  const runtime = all.find((e) => e.name === 'Runtime');
  const override = runtime?.children.find((e) => e.name === 'Override');
  if (!runtime) problems.push('no <Runtime> for the launch event');
  if (override?.attrs.type !== 'javascript')
    problems.push('the <Runtime> has no JavaScript <Override> for classic Outlook');
  return problems;
}

/** Every resid resolves to a resource of the right kind, and every resource is used. */
/**
 * SupportsMultiSelect, as Microsoft documents it (https://learn.microsoft.com/office/dev/add-ins/outlook/item-multi-select):
 * `true`, last in the read surface's ShowTaskpane action (after SupportsPinning), nowhere else; it needs
 * <Permissions>ReadWriteMailbox</Permissions>.
 */
export function multiSelectProblems(root: Element): string[] {
  const problems: string[] = [];
  const all = descendants(root);
  for (const point of all.filter((e) => e.name === 'ExtensionPoint')) {
    for (const action of descendants(point).filter((e) => e.name === 'Action')) {
      const flags = action.children.filter((e) => e.name === 'SupportsMultiSelect');
      if (flags.length === 0) continue;
      if (point.attrs.type !== 'MessageReadCommandSurface') problems.push(`SupportsMultiSelect in ${point.attrs.type}`);
      if (action.attrs.type !== 'ShowTaskpane') problems.push(`SupportsMultiSelect in an ${action.attrs.type} action`);
      if (flags.length > 1 || flags[0]?.text !== 'true') problems.push('SupportsMultiSelect is not one "true"');
      if (action.children.at(-1)?.name !== 'SupportsMultiSelect') problems.push('SupportsMultiSelect is not last');
    }
  }
  const permission = all.find((e) => e.name === 'Permissions')?.text;
  if (all.some((e) => e.name === 'SupportsMultiSelect') && permission !== 'ReadWriteMailbox') {
    problems.push(`SupportsMultiSelect needs ReadWriteMailbox, not ${permission}`);
  }
  return problems;
}

/**
 * SupportsSharedFolders as Microsoft's reference places it (https://learn.microsoft.com/javascript/api/manifest/
 * supportssharedfolders): one "true", a child of DesktopFormFactor in VersionOverrides V1_1 (valid only there), and,
 * as the reference's example has it, DesktopFormFactor's first child.
 */
export function sharedFoldersProblems(root: Element): string[] {
  const problems: string[] = [];
  const flags = descendants(root).filter((e) => e.name === 'SupportsSharedFolders');
  if (flags.length !== 1) problems.push(`${flags.length} SupportsSharedFolders elements, not one`);
  for (const flag of flags) {
    const formFactor = flag.parent;
    const overrides = ancestors(flag).find((e) => e.name === 'VersionOverrides');
    if (flag.text !== 'true') problems.push(`SupportsSharedFolders is "${flag.text}", not "true"`);
    if (formFactor?.name !== 'DesktopFormFactor') problems.push(`SupportsSharedFolders in ${where(flag)}`);
    else if (formFactor.children[0] !== flag) problems.push('SupportsSharedFolders is not first in DesktopFormFactor');
    if (overrides?.attrs.type !== 'VersionOverridesV1_1')
      problems.push(`SupportsSharedFolders in ${overrides?.attrs.type}`);
  }
  return problems;
}

export function residProblems(root: Element): string[] {
  const { uses, declared, problems } = residUses(root);
  for (const use of uses) {
    if (!use.resource) {
      problems.push(`${where(use.element)} resid="${use.element.attrs.resid}" is not among the ${use.kind} resources`);
    }
  }
  const used = new Set(uses.map((use) => use.resource));
  for (const resource of declared) {
    if (!used.has(resource)) problems.push(`${where(resource)} id="${resource.attrs.id}" is never used`);
  }
  return problems;
}

/** Width and height from a PNG's bytes: the signature, then IHDR with the width at byte 16 and the height at 20. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b) || bytes.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * Every icon the manifest references, with the pixel size its reference declares: IconUrl 64 and
 * HighResolutionIconUrl 128 (what Office asks for), a command's Image `size`, a mobile Image `size` × `scale`.
 */
export function iconReferences(root: Element): { url: string; pixels: number; from: string }[] {
  const references: { url: string; pixels: number; from: string }[] = [];
  for (const [name, pixels] of [
    ['IconUrl', 64],
    ['HighResolutionIconUrl', 128]
  ] as const) {
    const element = child(root, name);
    if (element) references.push({ url: element.attrs.DefaultValue ?? '', pixels, from: name });
  }
  for (const use of residUses(root).uses) {
    if (use.kind !== 'Images' || !use.resource) continue;
    const size = Number(use.element.attrs.size);
    const scale = use.element.attrs.scale === undefined ? 1 : Number(use.element.attrs.scale);
    references.push({
      url: use.resource.attrs.DefaultValue ?? '',
      pixels: size * scale,
      from: `${where(use.element)} size=${use.element.attrs.size}${use.element.attrs.scale ? ` scale=${scale}` : ''}`
    });
  }
  return references;
}

/** Every referenced icon is a PNG in `assetsDir` (served at /assets/) of exactly the declared size. */
export function iconProblems(root: Element, assetsDir: string): string[] {
  const problems: string[] = [];
  const references = iconReferences(root);
  if (references.length === 0) problems.push('no icon references found');
  for (const { url, pixels, from } of references) {
    const path = /^\/assets\/([\w.-]+\.png)$/.exec(URL.canParse(url) ? new URL(url).pathname : '')?.[1];
    if (!path) {
      problems.push(`${from}: "${url}" is not a PNG under /assets/`);
      continue;
    }
    const file = join(assetsDir, path);
    if (!existsSync(file)) {
      problems.push(`${from}: ${file} does not exist`);
      continue;
    }
    try {
      const { width, height } = pngSize(readFileSync(file));
      if (width !== pixels || height !== pixels) {
        problems.push(`${from}: ${file} is ${width}×${height}, the manifest declares ${pixels}×${pixels}`);
      }
    } catch (error) {
      problems.push(`${from}: ${file} is ${(error as Error).message}`);
    }
  }
  return problems;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The add-in Id is a GUID (not the nil one), the Version has four parts, control ids are unique. */
export function identityProblems(root: Element): string[] {
  const problems: string[] = [];
  const id = child(root, 'Id')?.text ?? '';
  if (!GUID.test(id) || /^[0-]+$/.test(id)) problems.push(`Id "${id}" is not a GUID`);
  const version = child(root, 'Version')?.text ?? '';
  if (!/^\d{1,5}(\.\d{1,5}){3}$/.test(version)) problems.push(`Version "${version}" does not have four parts`);
  for (const info of descendants(root).filter((e) => e.name === 'WebApplicationInfo')) {
    const clientId = child(info, 'Id')?.text ?? '';
    if (!GUID.test(clientId)) problems.push(`WebApplicationInfo Id "${clientId}" is not a GUID`);
  }
  const controls = descendants(root)
    .filter((e) => e.name === 'Control')
    .map((e) => e.attrs.id ?? '');
  for (const duplicate of new Set(controls.filter((c, i) => controls.indexOf(c) !== i))) {
    problems.push(`Control id "${duplicate}" is used twice`);
  }
  return problems;
}

/** Every ShowTaskpane on the read surface can be pinned. */
export function pinningProblems(root: Element): string[] {
  const actions = descendants(root).filter(
    (e) =>
      e.name === 'Action' &&
      e.attrs.type === 'ShowTaskpane' &&
      ancestors(e).some((a) => a.name === 'ExtensionPoint' && a.attrs.type === 'MessageReadCommandSurface')
  );
  if (actions.length === 0) return ['no ShowTaskpane action on MessageReadCommandSurface'];
  return actions
    .filter((action) => child(action, 'SupportsPinning')?.text !== 'true')
    .map((action) => `${where(action)} lacks <SupportsPinning>true</SupportsPinning>`);
}

/** The add-in and its VersionOverrides 1.1 both require Mailbox 1.5, and no requirement asks for more. */
export function requirementProblems(root: Element): string[] {
  const problems: string[] = [];
  const mailbox = (requirements: Element | undefined) =>
    requirements && child(requirements, 'Sets')?.children.find((set) => set.attrs.Name === 'Mailbox');
  const top = mailbox(child(root, 'Requirements'));
  if (top?.attrs.MinVersion !== '1.5') problems.push(`the add-in requires Mailbox ${top?.attrs.MinVersion}, not 1.5`);
  const overrides = descendants(root).filter(
    (e) => e.name === 'VersionOverrides' && e.attrs.type === 'VersionOverridesV1_1'
  );
  if (overrides.length !== 1) problems.push(`expected one VersionOverridesV1_1, found ${overrides.length}`);
  for (const override of overrides) {
    const set = mailbox(child(override, 'Requirements'));
    if (set?.attrs.MinVersion !== '1.5')
      problems.push(`VersionOverridesV1_1 requires Mailbox ${set?.attrs.MinVersion}, not 1.5`);
  }
  for (const set of descendants(root).filter((e) => e.name === 'Set')) {
    if (set.attrs.MinVersion !== '1.5')
      problems.push(`${where(set)} ${set.attrs.Name} ${set.attrs.MinVersion} is not 1.5`);
  }
  return problems;
}

/** Everything above, for a manifest whose addresses are on `host`. */
export function manifestProblems(xml: string, host: string, assetsDir = 'assets'): string[] {
  const root = parseManifest(xml);
  return [
    ...urlProblems(root, host),
    ...iconProblems(root, assetsDir),
    ...residProblems(root),
    ...identityProblems(root),
    ...pinningProblems(root),
    ...requirementProblems(root)
  ];
}
