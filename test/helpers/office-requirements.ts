import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

/*
 * Which Outlook requirement set (Mailbox 1.x) each Office.js member needs, read from Microsoft's own type
 * definitions (@types/office-js, generated from Office.js's reference docs), and which members code uses
 * above the manifest's declared minimum without checking for them first.
 *
 * A member's requirement comes from the JSDoc of the declaration the TypeScript checker resolves the access
 * to (so `item.getItemIdAsync` on a MessageCompose is MessageCompose's member, whatever the variable is
 * called; a property of an object literal given to Office.js, such as `allowEvent` in `event.completed({…})`, is
 * the member of the type Office.js expects there), in this order:
 *   1. `[Api set: Mailbox 1.x]`, the annotation on nearly every Outlook member; where it names several sets for
 *      several uses or clients (`[Api set: Mailbox 1.8 for shared folder support, Mailbox 1.13 for shared mailbox
 *      support]`), the highest, with which the member does all it is documented to do;
 *   2. `… | Mailbox 1.x}` in a "Requirement sets" list (the dialog API, shared with other hosts);
 *   3. "In Outlook, `name` is supported starting in … Mailbox requirement set 1.x" (common members such as
 *      Office.context.officeTheme, which carry no Api set line of their own).
 * Members without any of these (Office.onReady, the requirements object itself) need nothing.
 *
 * The guard rule: an access to a member above the minimum is guarded when a function around it (the
 * innermost one or any enclosing it) calls `Office.context.requirements.isSetSupported('Mailbox', v)` (the
 * checker must resolve the call to Office.RequirementSetSupport's isSetSupported) with a version v, a string
 * literal or constant, at least the member's, and that call comes before the access in the source. This
 * covers `if (!isSetSupported(…)) return fallback;` and `isSetSupported(…) ? use : fallback`; feature
 * tests such as `typeof x.y === 'function'` are not guards (Office may define members it does not support).
 */

export const OFFICE_TYPES = resolve('node_modules/@types/office-js/index.d.ts');

export interface MemberUse {
  file: string;
  line: number;
  /** The member as written, e.g. `Office.context.officeTheme`. */
  text: string;
  /** The declaring interface or enum and member, e.g. `Office.Context.officeTheme`. */
  member: string;
  requires: string;
  guarded: boolean;
  /** The member's minimum permission level as its JSDoc names it (`read item`, `read/write mailbox`…), or null. */
  permission: Permission | null;
}

/**
 * Outlook's permission levels, least first, as the manifest's <Permissions> names them and as the type definitions'
 * "Minimum permission level" lines spell them
 * (https://learn.microsoft.com/office/dev/add-ins/outlook/understanding-outlook-add-in-permissions).
 */
export const PERMISSIONS = [
  { manifest: 'Restricted', documented: 'restricted' },
  { manifest: 'ReadItem', documented: 'read item' },
  { manifest: 'ReadWriteItem', documented: 'read/write item' },
  { manifest: 'ReadWriteMailbox', documented: 'read/write mailbox' }
] as const;
export type Permission = (typeof PERMISSIONS)[number]['documented'];
const MINIMUM_PERMISSION = /Minimum permission level[^*]*\*\*:\s*\*\*([a-z/ ]+)\*\*/i;

/** The level's place in PERMISSIONS: a larger number asks for more. */
export const permissionRank = (level: Permission): number => PERMISSIONS.findIndex((p) => p.documented === level);

/** The permission a manifest declares in <Permissions>, as the documentation spells it. */
export function declaredPermission(manifestXml: string): Permission {
  const named = /<Permissions>\s*([A-Za-z]+)\s*<\/Permissions>/.exec(manifestXml.replace(/<!--[\s\S]*?-->/g, ''))?.[1];
  const level = PERMISSIONS.find((p) => p.manifest === named);
  if (!level) throw new Error(`The manifest's <Permissions> "${named}" is not one of Outlook's levels.`);
  return level.documented;
}

const API_SET = /\[Api set: (Mailbox \d+\.\d+[^\]]*)\]/;
const EACH_MAILBOX_SET = /Mailbox (\d+\.\d+)/g;
const REQUIREMENT_LIST = /\|\s*Mailbox (\d+\.\d+)\s*\}/;
const SUPPORTED_STARTING = /In Outlook, `[^`]+` is supported starting in[^\n]*?Mailbox requirement set (\d+\.\d+)/;

/** Negative, zero or positive as `a` is below, equal to or above `b` ("1.14" is above "1.8"). */
export function compareSetVersions(a: string, b: string): number {
  const [left, right] = [a.split('.').map(Number), b.split('.').map(Number)];
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function jsDocOf(declaration: ts.Declaration): string {
  const source = declaration.getSourceFile();
  const comments = ts.getLeadingCommentRanges(source.text, declaration.getFullStart()) ?? [];
  return comments.map((range) => source.text.slice(range.pos, range.end)).join('\n');
}

/** The minimum permission a declaration's JSDoc names; null when it names none. */
export function permissionOf(declaration: ts.Declaration): Permission | null {
  const named = MINIMUM_PERMISSION.exec(jsDocOf(declaration))?.[1]?.toLowerCase();
  return PERMISSIONS.find((p) => p.documented === named)?.documented ?? null;
}

/** The Mailbox version a declaration's JSDoc names, by the rules above; null when it names none. */
export function mailboxRequirementOf(declaration: ts.Declaration): string | null {
  const doc = jsDocOf(declaration);
  const apiSet = API_SET.exec(doc)?.[1];
  if (apiSet) {
    const versions = [...apiSet.matchAll(EACH_MAILBOX_SET)].map((match) => match[1] as string);
    return versions.sort(compareSetVersions).at(-1) ?? null;
  }
  for (const pattern of [REQUIREMENT_LIST, SUPPORTED_STARTING]) {
    const version = pattern.exec(doc)?.[1];
    if (version) return version;
  }
  return null;
}

/** The minimum Mailbox version a manifest declares in <Requirements><Sets><Set Name="Mailbox" MinVersion>. */
export function declaredMailboxMinimum(manifestXml: string): string {
  const sets = /<Requirements>\s*<Sets[^>]*>([\s\S]*?)<\/Sets>/.exec(manifestXml.replace(/<!--[\s\S]*?-->/g, ''));
  const version = /<Set\s+Name="Mailbox"\s+MinVersion="([^"]+)"/.exec(sets?.[1] ?? '')?.[1];
  if (!version) throw new Error('The manifest declares no <Set Name="Mailbox" MinVersion="…"> in <Requirements>.');
  return version;
}

const isOfficeTypes = (node: ts.Node) => resolve(node.getSourceFile().fileName) === OFFICE_TYPES;

function qualifiedName(declaration: ts.Declaration): string {
  const names: string[] = [];
  for (let node: ts.Node | undefined = declaration; node; node = node.parent) {
    const name = (node as { name?: ts.Node }).name;
    if (name && (ts.isIdentifier(name) || ts.isStringLiteral(name))) names.unshift(name.text);
  }
  return names.join('.');
}

/** The Mailbox version an isSetSupported('Mailbox', v) call checks for, when `call` is one. */
function guardVersion(call: ts.CallExpression, checker: ts.TypeChecker): string | null {
  const declaration = checker.getResolvedSignature(call)?.getDeclaration();
  if (
    !declaration ||
    !isOfficeTypes(declaration) ||
    qualifiedName(declaration) !== 'Office.RequirementSetSupport.isSetSupported'
  ) {
    return null;
  }
  const [name, version] = call.arguments.map((argument) => checker.getTypeAtLocation(argument));
  if (!name?.isStringLiteral() || name.value.toLowerCase() !== 'mailbox') return null;
  return version?.isStringLiteral() ? version.value : null;
}

/** Every use, in `files`, of an Office.js member that names a Mailbox requirement set. */
export function officeMemberUses(files: string[], extraSources: Record<string, string> = {}): MemberUse[] {
  const configPath = resolve('tsconfig.json');
  const config = ts.parseJsonConfigFileContent(
    ts.readConfigFile(configPath, (path) => readFileSync(path, 'utf8')).config,
    ts.sys,
    dirname(configPath)
  );
  const host = ts.createCompilerHost(config.options);
  const virtual = new Map(Object.entries(extraSources).map(([path, text]) => [resolve(path), text]));
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (path) => virtual.has(resolve(path)) || fileExists.call(host, path);
  host.readFile = (path) => virtual.get(resolve(path)) ?? readFile.call(host, path);
  host.getSourceFile = (path, language, ...rest) => {
    const text = virtual.get(resolve(path));
    return text !== undefined
      ? ts.createSourceFile(path, text, language, true)
      : getSourceFile.call(host, path, language, ...rest);
  };
  const roots = [...files, ...virtual.keys()].map((file) => resolve(file));
  const program = ts.createProgram(roots, config.options, host);
  const checker = program.getTypeChecker();

  const uses: MemberUse[] = [];
  for (const root of roots) {
    const source = program.getSourceFile(root);
    if (!source) throw new Error(`${root} is not in the program.`);
    const guards: Array<{ at: number; version: string; scope: ts.Node }> = [];
    const accesses: ts.Node[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isCallExpression(node)) {
        const version = guardVersion(node, checker);
        const scope = enclosingFunction(node);
        if (version && scope) guards.push({ at: node.getEnd(), version, scope });
      }
      if (ts.isPropertyAccessExpression(node) || isObjectLiteralProperty(node)) accesses.push(node);
      ts.forEachChild(node, visit);
    };
    visit(source);

    for (const access of accesses) {
      const declarations = officeDeclarationsOf(access, checker);
      const versions = declarations.map(mailboxRequirementOf).filter((v): v is string => v !== null);
      if (versions.length === 0) continue;
      // Overloads may be annotated apart too: the least is what the member needs.
      const permissions = declarations.map(permissionOf).filter((p): p is Permission => p !== null);
      const permission = permissions.sort((a, b) => permissionRank(a) - permissionRank(b))[0] ?? null;
      // Overloads may be annotated apart: the lowest is what the member needs at the least.
      const requires = versions.sort(compareSetVersions)[0] ?? '';
      const around = enclosingFunctions(access);
      const guarded = guards.some(
        (guard) =>
          around.includes(guard.scope) &&
          guard.at <= access.getStart() &&
          compareSetVersions(guard.version, requires) >= 0
      );
      uses.push({
        file: root,
        line: source.getLineAndCharacterOfPosition(access.getStart()).line + 1,
        text: access.getText(),
        member: qualifiedName(declarations[0] as ts.Declaration),
        requires,
        guarded,
        permission
      });
    }
  }
  return uses;
}

const isObjectLiteralProperty = (node: ts.Node): node is ts.PropertyAssignment | ts.ShorthandPropertyAssignment =>
  (ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) &&
  ts.isObjectLiteralExpression(node.parent) &&
  ts.isIdentifier(node.name);

/**
 * The Office.js declarations a member access or an object literal's property refers to. A property of a literal
 * handed to Office.js (`event.completed({ allowEvent, errorMessage })`) is the member of the type Office.js expects
 * there; where that type is a union, of each of its members that declares the property.
 */
function officeDeclarationsOf(node: ts.Node, checker: ts.TypeChecker): ts.Declaration[] {
  if (ts.isPropertyAccessExpression(node)) {
    return (checker.getSymbolAtLocation(node.name)?.getDeclarations() ?? []).filter(isOfficeTypes);
  }
  if (!isObjectLiteralProperty(node)) return [];
  const expected = checker.getContextualType(node.parent as ts.ObjectLiteralExpression);
  const types = expected?.isUnion() ? expected.types : expected ? [expected] : [];
  const name = (node.name as ts.Identifier).text;
  return types.flatMap((type) => type.getProperty(name)?.getDeclarations() ?? []).filter(isOfficeTypes);
}

function enclosingFunction(node: ts.Node): ts.Node | undefined {
  for (let parent = node.parent; parent; parent = parent.parent) if (ts.isFunctionLike(parent)) return parent;
  return undefined;
}

function enclosingFunctions(node: ts.Node): ts.Node[] {
  const found: ts.Node[] = [];
  for (let scope = enclosingFunction(node); scope; scope = enclosingFunction(scope)) found.push(scope);
  return found;
}

/** The TypeScript files of a folder (not recursive). */
export function typeScriptFilesIn(folder: string): string[] {
  return ts.sys
    .readDirectory(resolve(folder), ['.ts', '.tsx'], undefined, undefined, 1)
    .filter((file) => !file.endsWith('.d.ts'))
    .map((file) => join(file));
}
