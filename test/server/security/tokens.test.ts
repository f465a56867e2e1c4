import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload
} from 'jose';
import { createTokenVerifier, entraKeys, issuerFor } from '../../../src/server/auth/tokens.js';
import { TOKEN_REJECTED, UnauthorizedError } from '../../../src/server/errors.js';
import { startServer, type RunningServer } from '../../../src/server/server.js';
import { testConfig } from '../../helpers/config.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';

/*
 * Entra ID mode against a local JWKS server (loopback HTTP, keys made here): every forged or broken token
 * is a 401 with WWW-Authenticate and one generic detail; key rotation works, and unknown key ids cannot
 * make us hammer the key set.
 */

const TENANT = '6f0c2a4e-1b3d-4c5e-8f70-9a1b2c3d4e5f';
const OTHER_TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const AUDIENCE = 'api://interaction-log-test';
const CLIENT_ID = '11111111-2222-4333-8444-555555555555';
const SCOPE = 'access_as_user';

interface KeyPair {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
}

async function keyPair(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, publicKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A JWKS endpoint like Microsoft's discovery keys: what it publishes can change; it counts its requests. */
async function startJwksServer(): Promise<{
  url: string;
  publish(keys: JWK[]): void;
  fetches(): number;
  close(): Promise<void>;
}> {
  let keys: JWK[] = [];
  let fetches = 0;
  const server: Server = createServer((_request, response) => {
    fetches += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/common/discovery/v2.0/keys`,
    publish: (next) => {
      keys = next;
    },
    fetches: () => fetches,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}

const now = () => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: issuerFor(TENANT),
    aud: AUDIENCE,
    tid: TENANT,
    oid: '0a1b2c3d-0000-4000-8000-00000000a11a',
    scp: `${SCOPE} other.scope`,
    azp: CLIENT_ID,
    preferred_username: 'ana@northwind.example',
    name: 'Ana López',
    roles: ['Manager', 'Not.A.Role'],
    ver: '2.0',
    iat: now() - 60,
    nbf: now() - 60,
    exp: now() + 3600,
    ...overrides
  };
}

const sign = (key: KeyPair, payload: JWTPayload, header: Record<string, unknown> = {}) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT', ...header }).sign(key.privateKey);

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('Entra ID tokens over HTTP', () => {
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let testStore: TestStore;
  let server: RunningServer;
  let current: KeyPair;
  let unpublished: KeyPair;

  beforeAll(async () => {
    [current, unpublished] = await Promise.all([keyPair('key-1'), keyPair('key-unpublished')]);
    jwks = await startJwksServer();
    jwks.publish([current.jwk]);
    testStore = await createTestStore('sqlite');
    server = await startServer(
      testConfig({
        DATABASE_URL: testStore.url,
        AUTH_MODE: 'entra',
        ENTRA_API_AUDIENCE: AUDIENCE,
        ENTRA_ADDIN_CLIENT_ID: CLIENT_ID,
        ENTRA_ALLOWED_TENANTS: `${TENANT}, 99999999-9999-4999-8999-999999999999`,
        ENTRA_JWKS_URL: jwks.url
      })
    );
  });
  afterAll(async () => {
    await server.close();
    await testStore.dispose();
    await jwks.close();
  });

  const me = (token: string | null, scheme = 'Bearer') =>
    fetch(`${server.url}/api/v1/me`, token === null ? {} : { headers: { authorization: `${scheme} ${token}` } });

  test('a well-formed token is accepted: identity and app roles from its claims, salesperson created', async () => {
    const response = await me(await sign(current, claims()));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      tenantId: TENANT,
      userId: '0a1b2c3d-0000-4000-8000-00000000a11a',
      email: 'ana@northwind.example',
      name: 'Ana López',
      roles: ['Manager'],
      salesperson: { email: 'ana@northwind.example', name: 'Ana López' }
    });
    const admin = await me(
      await sign(current, claims({ oid: 'admin-oid', roles: ['Admin'], email: 'ada@northwind.example' }))
    );
    expect((await admin.json()) as { roles: string[]; email: string }).toMatchObject({
      roles: ['Admin'],
      email: 'ada@northwind.example'
    });
  });

  const forgeries: Array<[string, () => Promise<string>]> = [
    ['wrong audience', () => sign(current, claims({ aud: 'api://someone-else' }))],
    ['wrong issuer (v1 endpoint)', () => sign(current, claims({ iss: `https://sts.windows.net/${TENANT}/` }))],
    ['issuer of another tenant than tid', () => sign(current, claims({ iss: issuerFor(OTHER_TENANT) }))],
    ['tenant not allowed', () => sign(current, claims({ tid: OTHER_TENANT, iss: issuerFor(OTHER_TENANT) }))],
    ['expired', () => sign(current, claims({ iat: now() - 7200, nbf: now() - 7200, exp: now() - 3600 }))],
    ['not yet valid', () => sign(current, claims({ nbf: now() + 3600 }))],
    ['no expiry', () => sign(current, claims({ exp: undefined }))],
    ['unknown kid', () => sign(unpublished, claims())],
    ['known kid, signed by another key', () => sign({ ...unpublished, kid: current.kid }, claims())],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims())}.`],
    [
      'HS256 signed with the public key',
      async () => {
        const secret = await exportSPKI(current.publicKey);
        const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: current.kid })}.${b64(claims())}`;
        return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
      }
    ],
    [
      'its own key embedded in the header',
      async () => sign(unpublished, claims(), { jwk: unpublished.jwk, jku: 'http://127.0.0.1:9/keys' })
    ],
    ['missing scope', () => sign(current, claims({ scp: 'other.scope' }))],
    ['scope only as a prefix', () => sign(current, claims({ scp: `${SCOPE}x` }))],
    ['wrong azp', () => sign(current, claims({ azp: '99999999-2222-4333-8444-555555555555' }))],
    ['no oid', () => sign(current, claims({ oid: undefined }))],
    [
      'payload changed after signing',
      async () => {
        const [header, , signature] = (await sign(current, claims())).split('.');
        return `${header}.${b64(claims({ tid: OTHER_TENANT }))}.${signature}`;
      }
    ],
    ['not a JWT', async () => 'not-a-token']
  ];

  test.each(forgeries)('%s: 401, WWW-Authenticate invalid_token, the generic detail', async (_name, forge) => {
    const response = await me(await forge());
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await response.json()) as { detail: string; status: number };
    expect(body).toMatchObject({ status: 401, detail: TOKEN_REJECTED });
  });

  test('no token, or another scheme: 401 with a bare Bearer challenge', async () => {
    for (const response of [await me(null), await me('abc', 'Basic')]) {
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  test('forged tokens never reach the store and cost the key set at most one fetch per cooldown', async () => {
    const before = jwks.fetches();
    for (let i = 0; i < 20; i += 1) {
      expect((await me(await sign({ ...unpublished, kid: `forged-${i}` }, claims()))).status).toBe(401);
    }
    expect(jwks.fetches() - before).toBeLessThanOrEqual(1);
    // Only the two accepted users exist.
    const people = await server.store.directory.listSalespeople(TENANT, { limit: 100 });
    expect(people.items.map((p) => p.email).sort()).toEqual(['ada@northwind.example', 'ana@northwind.example']);
    expect(await server.store.directory.listSalespeople(OTHER_TENANT, { limit: 100 })).toEqual({
      items: [],
      nextCursor: null
    });
  });

  test('the dev token endpoint does not exist in entra mode', async () => {
    const response = await fetch(`${server.url}/api/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@northwind.example', roles: ['Admin'] })
    });
    expect(response.status).toBe(404);
  });
});

describe('key rotation', () => {
  test('a rotated key works once published; unknown kids refetch at most once per cooldown', async () => {
    const jwks = await startJwksServer();
    const [first, second] = await Promise.all([keyPair('first'), keyPair('second')]);
    jwks.publish([first.jwk]);
    const cooldownMs = 400;
    const verify = createTokenVerifier({
      keys: entraKeys(jwks.url, { cooldownMs }),
      audience: AUDIENCE,
      scope: SCOPE,
      addinClientId: CLIENT_ID,
      allowedTenants: [TENANT]
    });
    try {
      expect((await verify(await sign(first, claims()))).tenantId).toBe(TENANT);
      expect(jwks.fetches()).toBe(1);

      // The new key is used before it is published: refused, and a burst costs at most one fetch.
      const early = await sign(second, claims({ oid: 'early' }));
      await expect(verify(early)).rejects.toBeInstanceOf(UnauthorizedError);
      await Promise.all(
        Array.from({ length: 10 }, async (_, i) =>
          expect(verify(await sign(second, claims({ oid: `burst-${i}` })))).rejects.toBeInstanceOf(UnauthorizedError)
        )
      );
      expect(jwks.fetches()).toBeLessThanOrEqual(2);

      // Microsoft publishes it next to the old one; after the cooldown the first token with it refetches and passes.
      jwks.publish([first.jwk, second.jwk]);
      await new Promise((resolve) => setTimeout(resolve, cooldownMs + 100));
      const fetchesBefore = jwks.fetches();
      expect((await verify(await sign(second, claims({ oid: 'rotated' })))).userId).toBe('rotated');
      expect(jwks.fetches()).toBe(fetchesBefore + 1);
      // The old key still works from the same fetch; no further requests.
      expect((await verify(await sign(first, claims({ oid: 'old-key' })))).userId).toBe('old-key');
      expect(jwks.fetches()).toBe(fetchesBefore + 1);
    } finally {
      await jwks.close();
    }
  });
});

describe('remembered tokens', () => {
  test('only the exact token verified before, and only until its expiry', async () => {
    const key = await keyPair('remembered');
    const verify = createTokenVerifier({
      keys: createLocalJWKSet({ keys: [key.jwk] }),
      audience: AUDIENCE,
      scope: SCOPE,
      addinClientId: CLIENT_ID,
      allowedTenants: [TENANT]
    });
    const token = await sign(key, claims());
    expect(verify.remembered(token)).toBeUndefined();
    const principal = await verify(token);
    expect(verify.remembered(token)).toBe(principal);

    // Another payload under the same signature: the same last characters, not the same token.
    const [, , signature] = token.split('.');
    const swapped = [b64({ alg: 'RS256', kid: key.kid, typ: 'JWT' }), b64(claims({ oid: 'intruder' })), signature].join(
      '.'
    );
    expect(swapped.slice(-43)).toBe(token.slice(-43));
    expect(verify.remembered(swapped)).toBeUndefined();
    await expect(verify(swapped)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(verify.remembered(token)).toBe(principal);

    // Expired a second ago: still inside the clock tolerance, so it verifies, but it is not kept past its expiry.
    const lapsed = await sign(key, claims({ oid: 'lapsed', exp: now() - 1 }));
    expect((await verify(lapsed)).userId).toBe('lapsed');
    expect(verify.remembered(lapsed)).toBeUndefined();
  });
});
