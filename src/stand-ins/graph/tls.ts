import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';

/*
 * A throwaway TLS identity for the stand-in's sign-in endpoint: an ECDSA P-256 key and a self-signed
 * certificate for 127.0.0.1 and localhost, valid for two days around now. MSAL refuses an authority that is
 * not https, so the token endpoint needs one; a client trusts it by taking `cert` as its only CA.
 *
 * Node has no API that writes certificates, so the few DER structures of an X.509 v3 certificate are
 * written here by hand (RFC 5280): small, dependency-free and milliseconds to run.
 */

export interface TlsIdentity {
  /** PEM certificate: serve it, and trust it as the CA. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

const der = (tag: number, ...parts: Buffer[]): Buffer => {
  const content = Buffer.concat(parts);
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else if (length < 0x100) header = Buffer.from([tag, 0x81, length]);
  else if (length < 0x10000) header = Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  else throw new Error('DER value too long for this writer');
  return Buffer.concat([header, content]);
};

const sequence = (...parts: Buffer[]) => der(0x30, ...parts);
const set = (...parts: Buffer[]) => der(0x31, ...parts);
const integer = (bytes: Buffer) =>
  der(0x02, bytes[0] !== undefined && bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
const bitString = (bytes: Buffer) => der(0x03, Buffer.from([0]), bytes);
const octetString = (bytes: Buffer) => der(0x04, bytes);
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const bool = (value: boolean) => der(0x01, Buffer.from([value ? 0xff : 0x00]));

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes = [first * 40 + second];
  for (const value of rest) {
    const chunk = [value & 0x7f];
    for (let v = value >>> 7; v > 0; v >>>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return der(0x06, Buffer.from(bytes));
}

/** UTCTime (years before 2050), as RFC 5280 asks. */
function utcTime(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  return der(0x17, Buffer.from(text, 'ascii'));
}

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';
const BASIC_CONSTRAINTS = '2.5.29.19';
const SUBJECT_ALT_NAME = '2.5.29.17';
const EXT_KEY_USAGE = '2.5.29.37';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export function createTlsIdentity(commonName = 'graph-mailbox stand-in'): TlsIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const name = sequence(set(sequence(oid(COMMON_NAME), utf8(commonName))));
  const algorithm = sequence(oid(ECDSA_WITH_SHA256));
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x40; // positive, and no leading zero byte (DER is minimal)
  const now = Date.now();
  const altNames = sequence(
    der(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    der(0x82, Buffer.from('localhost', 'ascii')) // dNSName
  );
  const extensions = der(
    0xa3,
    sequence(
      // A self-signed certificate that clients take as their CA: mark it as one.
      sequence(oid(BASIC_CONSTRAINTS), bool(true), octetString(sequence(bool(true)))),
      sequence(oid(SUBJECT_ALT_NAME), octetString(altNames)),
      sequence(oid(EXT_KEY_USAGE), octetString(sequence(oid(SERVER_AUTH))))
    )
  );
  const tbs = sequence(
    der(0xa0, integer(Buffer.from([2]))), // v3
    integer(serial),
    algorithm,
    name,
    sequence(utcTime(new Date(now - 86_400_000)), utcTime(new Date(now + 86_400_000))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    extensions
  );
  const signature = sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' });
  const certificate = sequence(tbs, algorithm, bitString(signature));
  const body = certificate.toString('base64').replace(/(.{64})/g, '$1\n');
  const cert = `-----BEGIN CERTIFICATE-----\n${body.replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`;
  const key = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Fail here, not in a TLS handshake, if the encoding were ever wrong.
  const parsed = new X509Certificate(cert);
  if (!parsed.verify(publicKey) || parsed.checkIP('127.0.0.1') === undefined) {
    throw new Error('The generated TLS certificate does not verify');
  }
  return { cert, key };
}
