import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  MANIFEST_ARGUMENTS,
  ManifestError,
  buildManifest,
  compareVersions,
  publicOrigin,
  readAddinId,
  manifestOptionsFrom,
  readVersion,
  registrationGuidance,
  type BuildManifestOptions
} from './build-manifest.js';
import { buildUnifiedManifest, writeUnifiedManifest } from './unified-manifest.js';

/*
 * The production build of the add-in for one public origin: the pane (webpack, production) and the manifest for
 * centralized deployment, together in one folder (dist/ unless --out says otherwise), which the server serves at
 * its root. The pane reads its Entra ids at run time from its page, where the server writes its ENTRA_* settings, so
 * the same bundle serves any registration; the manifest carries them for Office.
 *
 * Before anything is built, the new manifest is compared with the one deployed now (by default the one the
 * server serves at <url>/manifest.xml): same add-in Id, and a higher Version, or Office clients keep the old one.
 */

export interface ProductionBuildOptions extends BuildManifestOptions {
  /** The folder to write: the pane's files and manifest.xml. */
  outDir: string;
  /** The deployed manifest: a file, an http(s) URL, or null when there is none (the first release). */
  previous: string | null;
  /** The development manifest to start from. */
  devManifest?: string;
  /** The companion API's client id and scope, only to print the server's settings. */
  apiClientId?: string | undefined;
  apiScope?: string | undefined;
  log?: (line: string) => void;
}

/** The deployed manifest's text, or null when `source` is the default address and nothing is deployed there yet. */
export async function readPreviousManifest(source: string, optional: boolean): Promise<string | null> {
  if (!/^https?:\/\//i.test(source)) {
    if (!existsSync(source)) throw new ManifestError(`The previous manifest ${source} does not exist.`);
    return readFileSync(source, 'utf8');
  }
  let response: Response;
  try {
    response = await fetch(source, { signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    if (optional) return null;
    throw new ManifestError(`The previous manifest could not be fetched from ${source}: ${(error as Error).message}.`);
  }
  if (response.status === 404 && optional) return null;
  if (!response.ok) throw new ManifestError(`The previous manifest at ${source} answered HTTP ${response.status}.`);
  return response.text();
}

/** The new manifest must be the same add-in as the deployed one, at a higher version. */
export function checkAgainstPrevious(previousXml: string, nextXml: string): void {
  const [previousId, nextId] = [readAddinId(previousXml), readAddinId(nextXml)];
  if (previousId.toLowerCase() !== nextId.toLowerCase()) {
    throw new ManifestError(
      `The add-in Id ${nextId} differs from the deployed one, ${previousId}: Office would treat it as another add-in. ` +
        `Keep the Id of manifest.xml.`
    );
  }
  const [previous, next] = [readVersion(previousXml), readVersion(nextXml)];
  if (compareVersions(next, previous) <= 0) {
    throw new ManifestError(
      `The version ${next} is not higher than the deployed ${previous}: Office clients would keep the old manifest. ` +
        `Raise it with "npm run manifest:bump -- patch" (or minor, major) and commit manifest.xml.`
    );
  }
}

/** The files under `origin` that the manifest points at, as paths relative to the site root. */
export function referencedFiles(xml: string, origin: string): string[] {
  const paths = new Set<string>();
  for (const [address] of xml.matchAll(/https:\/\/[^\s"'<>]+/g)) {
    if (!address.startsWith(`${origin}/`)) continue;
    const path = decodeURIComponent(new URL(address).pathname).replace(/^\/+/, '');
    if (path) paths.add(path);
  }
  return [...paths].sort();
}

export async function buildProduction(options: ProductionBuildOptions): Promise<{ manifest: string; files: string[] }> {
  const log = options.log ?? ((line: string) => console.error(line));
  const origin = publicOrigin(options.publicUrl);
  const devManifest = options.devManifest ?? 'manifest.xml';
  // Everything that can be refused is refused before the minute the pane takes to build.
  const xml = buildManifest(readFileSync(devManifest, 'utf8'), options);
  buildUnifiedManifest(xml); // refuses what the unified manifest cannot take (a four-part version)
  if (options.previous !== null) {
    const deployedByDefault = options.previous === `${origin}/manifest.xml`;
    const previous = await readPreviousManifest(options.previous, deployedByDefault);
    if (previous === null) {
      log(`No manifest is deployed at ${options.previous} yet: building the first release, ${readVersion(xml)}.`);
    } else {
      checkAgainstPrevious(previous, xml);
      log(`Version ${readVersion(previous)} (deployed) → ${readVersion(xml)}.`);
    }
  }

  const outDir = resolve(options.outDir);
  mkdirSync(outDir, { recursive: true });
  const webpack = spawnSync(
    join('node_modules', '.bin', 'webpack'),
    ['--mode', 'production', '--output-path', outDir, '--no-stats'],
    { stdio: ['ignore', 'inherit', 'inherit'] }
  );
  if (webpack.status !== 0) throw new ManifestError(`The pane's build failed (webpack exited ${webpack.status}).`);

  const manifest = join(outDir, 'manifest.xml');
  writeFileSync(manifest, xml);
  const unified = writeUnifiedManifest(xml, outDir);
  const files = referencedFiles(xml, origin);
  const missing = files.filter((file) => !existsSync(join(outDir, file)));
  if (missing.length > 0) {
    throw new ManifestError(`The manifest points at files the build did not write: ${missing.join(', ')}.`);
  }
  log(
    `Wrote ${outDir}: the pane, manifest.xml (version ${readVersion(xml)}) and the unified manifest with its app ` +
      `package (${unified.appPackage}) for ${origin}.`
  );
  log(
    [
      'Serve it with NODE_ENV=production npm run serve, with at least:',
      `  ENTRA_ADDIN_CLIENT_ID=${options.addinClientId}`,
      // Entra's v2 access tokens carry the API's client id as `aud`, whatever App ID URI the scope was asked by.
      `  ENTRA_API_AUDIENCE=${options.apiClientId ?? '<API client id>'}`,
      ...(options.apiScope ? [`  ENTRA_API_SCOPE=${options.apiScope}`] : []),
      '  ENTRA_ALLOWED_TENANTS=<your tenant id>',
      ...registrationGuidance(origin, options.addinClientId),
      `Then upload ${manifest} or ${unified.appPackage} in the Microsoft 365 admin center (docs/DEPLOYMENT.md says ` +
        'which).'
    ].join('\n')
  );
  return { manifest, files };
}

const USAGE = `Usage: npm run build:production -- --url <https origin> --client-id <add-in client id GUID>
         [--api-client-id <GUID>] [--api-scope access_as_user] [--version 1.2.0.0] [--out dist]
         [--previous <file | URL | none>]
  Builds the pane and its manifest into --out (dist/). --previous is the manifest deployed now, to check that
  the new version is higher; by default <url>/manifest.xml, where the running server serves it. --api-client-id and
  --api-scope only fill in the server settings it prints. It also prints what the add-in's registration needs: the
  redirect URIs brk-multihub://<host> (nested app authentication), <origin>/auth-redirect.html and
  <origin>/auth-dialog.html, and the Application ID URI api://<host>/<client id>.`;

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      ...MANIFEST_ARGUMENTS,
      'api-client-id': { type: 'string' },
      'api-scope': { type: 'string' },
      out: { type: 'string', default: 'dist' },
      previous: { type: 'string' },
      help: { type: 'boolean', short: 'h' }
    }
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const options = manifestOptionsFrom(values);
  if ('missing' in options) {
    console.error(`build:production needs ${options.missing.join(', ')}.\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  await buildProduction({
    ...options,
    apiClientId: values['api-client-id'],
    apiScope: values['api-scope'],
    outDir: values.out,
    devManifest: values.in,
    previous: values.previous === 'none' ? null : (values.previous ?? `${publicOrigin(options.publicUrl)}/manifest.xml`)
  });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve('src/manifest/build-production.ts')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    if (error instanceof ManifestError) {
      console.error(`build:production: ${error.message}`);
      process.exitCode = 1;
    } else if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`build:production: ${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      throw error;
    }
  });
}
