import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  DEV_ADDIN_CLIENT_ID,
  ManifestError,
  buildManifest,
  bumpVersion,
  readVersion,
  registrationGuidance,
  type BuildManifestOptions
} from '../../src/manifest/build-manifest.js';
import { ICON_SIZES } from '../../src/manifest/icons.js';
import { descendants, manifestProblems, parseManifest, pngSize, validateWithXsd } from '../helpers/manifest.js';

/* The production manifest is the development one moved to a public origin and a real Entra registration. */

const dev = readFileSync('manifest.xml', 'utf8');
const CLIENT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const options: BuildManifestOptions = {
  publicUrl: 'https://addin.contoso.com',
  addinClientId: CLIENT_ID
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'manifest-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const xsdCheck = (xml: string) => {
  const file = join(dir, 'manifest.xml');
  writeFileSync(file, xml);
  return validateWithXsd(file).status;
};

const webApplicationInfo = (xml: string) => {
  const info = descendants(parseManifest(xml)).find((e) => e.name === 'WebApplicationInfo');
  const text = (name: string) => info?.children.find((e) => e.name === name)?.text;
  const scopes = info?.children.find((e) => e.name === 'Scopes')?.children.map((e) => e.text);
  return { id: text('Id'), resource: text('Resource'), scopes };
};

describe('buildManifest', () => {
  test('moves every address to the public origin and stays valid', () => {
    const built = buildManifest(dev, options);
    expect(xsdCheck(built)).toBe(0);
    expect(manifestProblems(built, 'addin.contoso.com')).toEqual([]);
    expect(built).not.toMatch(/localhost/i);
    expect(built).toContain('<SourceLocation DefaultValue="https://addin.contoso.com/taskpane.html"/>');
    expect(built).toContain('<AppDomain>https://addin.contoso.com</AppDomain>');
  });

  test('WebApplicationInfo as Microsoft’s reference has it: the add-in’s id, its Application ID URI, Graph scopes', () => {
    const built = buildManifest(dev, options);
    expect(webApplicationInfo(built)).toEqual({
      id: CLIENT_ID,
      resource: `api://addin.contoso.com/${CLIENT_ID}`,
      scopes: ['openid', 'profile', 'Mail.Read', 'Mail.Read.Shared', 'Calendars.ReadBasic']
    });
    expect(built.toLowerCase()).not.toContain(DEV_ADDIN_CLIENT_ID);
  });

  test('refuses a development manifest whose WebApplicationInfo asks for another app’s scope', () => {
    const withApiScope = dev.replace(
      '<Scope>Mail.Read</Scope>',
      '<Scope>Mail.Read</Scope><Scope>api://localhost:3000/9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a/access_as_user</Scope>'
    );
    expect(() => buildManifest(withApiScope, options)).toThrow(/must be Microsoft Graph permission names/);
  });

  test('the registration guidance names the brk-multihub redirect of nested app authentication', () => {
    const guidance = registrationGuidance('https://addin.contoso.com', CLIENT_ID).join('\n');
    expect(guidance).toContain('brk-multihub://addin.contoso.com ');
    expect(guidance).toContain('https://addin.contoso.com/auth-redirect.html');
    expect(guidance).toContain('https://addin.contoso.com/auth-dialog.html');
    expect(guidance).toContain(`api://addin.contoso.com/${CLIENT_ID}`);
  });

  test('keeps the add-in Id, and the version unless one is given', () => {
    const id = (xml: string) => parseManifest(xml).children.find((e) => e.name === 'Id')?.text;
    expect(id(buildManifest(dev, options))).toBe(id(dev));
    expect(readVersion(buildManifest(dev, options))).toBe(readVersion(dev));
    expect(readVersion(buildManifest(dev, { ...options, version: '2.3.0.7' }))).toBe('2.3.0.7');
  });

  test('takes an origin with a port and a trailing slash, and says where the result came from', () => {
    const built = buildManifest(dev, {
      ...options,
      publicUrl: 'https://Addin.Contoso.com:8443/'
    });
    expect(webApplicationInfo(built).resource).toBe(`api://addin.contoso.com:8443/${CLIENT_ID}`);
    expect(xsdCheck(built)).toBe(0);
    expect(manifestProblems(built, 'addin.contoso.com:8443')).toEqual([]);
    expect(built).toMatch(/<!--\s+Generated from manifest.xml by src\/manifest\/cli.ts build/);
  });

  test.each([
    [{ publicUrl: 'http://addin.contoso.com' }, /must use https/],
    [{ publicUrl: 'addin.contoso.com' }, /is not a URL/],
    [{ publicUrl: 'https://addin.contoso.com/pane' }, /origin only/],
    [{ publicUrl: 'https://addin.contoso.com/?x=1' }, /origin only/],
    [{ addinClientId: 'not-a-guid' }, /client id must be a GUID/],
    [{ addinClientId: DEV_ADDIN_CLIENT_ID }, /placeholder/],
    [{ addinClientId: '00000000-0000-0000-0000-000000000000' }, /placeholder/],
    [{ version: '1.2.3' }, /four numbers/],
    [{ version: '1.2.3.123456' }, /four numbers/]
  ])('refuses %o', (change, message) => {
    expect(() => buildManifest(dev, { ...options, ...change })).toThrow(ManifestError);
    expect(() => buildManifest(dev, { ...options, ...change })).toThrow(message);
  });

  test('refuses a development manifest it does not recognise', () => {
    expect(() => buildManifest(dev.replaceAll('https://localhost:3000', 'https://dev.example'), options)).toThrow(
      /must use https:\/\/localhost:3000/
    );
    const noInfo = dev.replace(/<WebApplicationInfo>[\s\S]*<\/WebApplicationInfo>/, '');
    expect(() => buildManifest(noInfo, options)).toThrow('exactly one <WebApplicationInfo>; found 0');
    const noResource = dev.replace(/<Resource>[^<]*<\/Resource>/, '');
    expect(() => buildManifest(noResource, options)).toThrow('exactly one WebApplicationInfo <Resource>; found 0');
  });
});

describe('bumpVersion', () => {
  const at = (version: string) => dev.replace(/<Version>[^<]*<\/Version>/, `<Version>${version}</Version>`);

  test.each([
    ['major', '2.0.0.0'],
    ['minor', '1.3.0.0'],
    ['patch', '1.2.4.0'],
    ['build', '1.2.3.5']
  ] as const)('%s of 1.2.3.4 gives %s', (part, expected) => {
    const bumped = bumpVersion(at('1.2.3.4'), part);
    expect(readVersion(bumped)).toBe(expected);
    expect(bumped.replace(expected, '1.2.3.4')).toBe(at('1.2.3.4')); // nothing else changes
  });

  test('completes a short version to four parts, and the result is valid', () => {
    const bumped = bumpVersion(at('1.0'), 'build');
    expect(readVersion(bumped)).toBe('1.0.0.1');
    expect(xsdCheck(bumped)).toBe(0);
  });

  test('refuses to overflow a part or to bump an unknown one', () => {
    expect(() => bumpVersion(at('1.2.99999.0'), 'patch')).toThrow(/cannot go above 99999/);
    expect(() => bumpVersion(at('1.2.3.4'), 'micro' as 'patch')).toThrow(/one of major, minor, patch, build/);
    expect(() => bumpVersion(at('one'), 'patch')).toThrow(/not one to four numbers/);
  });
});

describe('the command line (src/manifest/cli.ts)', () => {
  const run = promisify(execFile);
  const cli = (...args: string[]) =>
    run(join('node_modules', '.bin', 'tsx'), ['src/manifest/cli.ts', ...args]).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error
    );

  test('build writes a valid production manifest', async () => {
    const out = join(dir, 'dist', 'manifest.xml');
    const result = await cli(
      'build',
      ...['--url', 'https://addin.contoso.com', '--client-id', CLIENT_ID],
      ...['--version', '1.4.0.0', '--out', out]
    );
    expect(result).toMatchObject({ code: 0, stderr: expect.stringContaining(`Wrote ${out} (version 1.4.0.0), `) });
    expect(result.stderr).toContain('brk-multihub://addin.contoso.com ');
    const built = readFileSync(out, 'utf8');
    expect(validateWithXsd(out).status).toBe(0);
    expect(manifestProblems(built, 'addin.contoso.com')).toEqual([]);
  });

  test('build explains what is wrong', async () => {
    const missing = await cli('build', '--url', 'https://addin.contoso.com');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('build needs --client-id.');
    expect(missing.stderr).toContain('brk-multihub://'); // the usage says what the registration needs
    const insecure = await cli('build', ...['--url', 'http://addin.contoso.com', '--client-id', CLIENT_ID]);
    expect(insecure.code).toBe(1);
    expect(insecure.stderr).toContain('manifest: The public URL must use https');
    const unknown = await cli('publish');
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('Unknown command "publish"') });
  });

  test('bump rewrites the manifest in place', async () => {
    const file = join(dir, 'manifest.xml');
    copyFileSync('manifest.xml', file);
    const version = readVersion(dev).split('.').map(Number);
    const result = await cli('bump', 'minor', '--in', file);
    expect(result.code).toBe(0);
    expect(readVersion(readFileSync(file, 'utf8'))).toBe(`${version[0]}.${(version[1] ?? 0) + 1}.0.0`);
    expect((await cli('bump', 'tiny', '--in', file)).code).toBe(2);
  });

  test('icons draws every size at its exact pixel size', async () => {
    expect((await cli('icons', '--dir', dir)).code).toBe(0);
    expect(readdirSync(dir).length).toBe(ICON_SIZES.length);
    for (const size of ICON_SIZES) {
      expect(pngSize(readFileSync(join(dir, `icon-${size}.png`)))).toEqual({ width: size, height: size });
    }
  });
});
