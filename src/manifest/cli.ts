import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  MANIFEST_ARGUMENTS,
  ManifestError,
  VERSION_PARTS,
  buildManifest,
  bumpVersion,
  manifestOptionsFrom,
  publicOrigin,
  readVersion,
  registrationGuidance,
  type VersionPart
} from './build-manifest.js';
import { ICON_SIZES, iconFileName, renderIcon } from './icons.js';
import { writeUnifiedManifest } from './unified-manifest.js';

/*
 * The manifest's commands:
 *   build  the production manifests from manifest.xml, for a public origin and an Entra registration: the XML one
 *          and, beside it, Microsoft's JSON unified manifest and its app package
 *   bump   raises manifest.xml's <Version> in place (do it for every change that is deployed)
 *   icons  draws assets/icon-<size>.png for every size the manifest references
 */

const USAGE = `Usage:
  tsx src/manifest/cli.ts build --url <https origin> --client-id <add-in client id GUID>
                                [--version 1.2.0.0] [--in manifest.xml] [--out <file>]
      Writes the production manifest to --out (standard output when absent) and, with --out, beside it the
      unified manifest (manifest.json) and its app package for the admin center (app-package.zip), one add-in
      with the XML one (docs/DEPLOYMENT.md says which goes where). The add-in's registration then
      needs the single-page application redirect URIs brk-multihub://<host> (nested app authentication),
      <origin>/auth-redirect.html and <origin>/auth-dialog.html, and the Application ID URI
      api://<host>/<client id>; the build prints them for the given origin (docs/DEPLOYMENT.md).
  tsx src/manifest/cli.ts bump [major|minor|patch|build] [--in manifest.xml]
      Raises the version in place; patch unless a part is given.
  tsx src/manifest/cli.ts icons [--dir assets]
      Draws the icons (${ICON_SIZES.join(', ')} pixels).`;

class UsageError extends Error {}

function run(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...MANIFEST_ARGUMENTS,
      out: { type: 'string' },
      dir: { type: 'string', default: 'assets' },
      help: { type: 'boolean', short: 'h' }
    }
  });
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return;
  }
  const input = values.in;
  const read = (): string => {
    try {
      return readFileSync(input, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the manifest ${input}: ${(error as Error).message}`);
    }
  };
  const noMore = () => {
    if (rest.length) throw new UsageError(`Unexpected argument "${rest.join(' ')}".`);
  };

  switch (command) {
    case 'build': {
      noMore();
      const options = manifestOptionsFrom(values);
      if ('missing' in options) throw new UsageError(`build needs ${options.missing.join(', ')}.`);
      const xml = buildManifest(read(), options);
      if (values.out) {
        mkdirSync(dirname(values.out), { recursive: true });
        writeFileSync(values.out, xml);
        const unified = writeUnifiedManifest(xml, dirname(values.out));
        console.error(
          `Wrote ${values.out} (version ${readVersion(xml)}), ${unified.manifest} and ${unified.appPackage}.`
        );
      } else {
        process.stdout.write(xml);
      }
      console.error(registrationGuidance(publicOrigin(options.publicUrl), options.addinClientId).join('\n'));
      return;
    }
    case 'bump': {
      const [part = 'patch', ...extra] = rest;
      if (extra.length) throw new UsageError(`Unexpected argument "${extra.join(' ')}".`);
      if (!(VERSION_PARTS as readonly string[]).includes(part)) {
        throw new UsageError(`bump takes one of ${VERSION_PARTS.join(', ')}; got "${part}".`);
      }
      const xml = read();
      const before = readVersion(xml);
      const bumped = bumpVersion(xml, part as VersionPart);
      writeFileSync(input, bumped);
      console.log(`${input}: version ${before} → ${readVersion(bumped)}.`);
      return;
    }
    case 'icons': {
      noMore();
      mkdirSync(values.dir, { recursive: true });
      for (const size of ICON_SIZES) writeFileSync(join(values.dir, iconFileName(size)), renderIcon(size));
      console.log(`Wrote ${ICON_SIZES.length} icons to ${values.dir}/.`);
      return;
    }
    case undefined:
      throw new UsageError('Say which command: build, bump or icons.');
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

try {
  run(process.argv.slice(2));
} catch (error) {
  if (error instanceof ManifestError) {
    console.error(`manifest: ${error.message}`);
    process.exitCode = 1;
  } else if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`manifest: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
