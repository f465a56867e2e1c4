import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/*
 * HTTPS for development (HTTPS=true): Outlook only loads add-ins over HTTPS. office-addin-dev-certs makes
 * a local CA and a localhost certificate and, where it can, trusts the CA (it asks for admin rights).
 * Where trusting fails (no sudo, a container), the certificates are still made and used, and the log
 * says how to trust the CA by hand.
 */

export interface DevCertificates {
  key: string;
  cert: string;
  trusted: boolean;
  caPath: string;
}

export async function devCertificates(warn: (message: string) => void): Promise<DevCertificates> {
  const devCerts = await import('office-addin-dev-certs');
  const directory = join(homedir(), '.office-addin-dev-certs');
  const caPath = join(directory, 'ca.crt');
  try {
    const { key, cert } = await devCerts.getHttpsServerOptions();
    return { key: String(key), cert: String(cert), trusted: true, caPath };
  } catch (error) {
    warn(
      `Could not trust the development CA automatically (${error instanceof Error ? error.message : String(error)}). ` +
        `Trust ${caPath} in your browser or system to load the pane without warnings.`
    );
  }
  const keyPath = join(directory, 'localhost.key');
  const certPath = join(directory, 'localhost.crt');
  const existing = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]).catch(() => null);
  if (existing) return { key: existing[0], cert: existing[1], trusted: false, caPath };
  await devCerts.generateCertificates(caPath, certPath, keyPath);
  return { key: await readFile(keyPath, 'utf8'), cert: await readFile(certPath, 'utf8'), trusted: false, caPath };
}
