import negotiate from '@fastify/accept-negotiator';

/** The first of `offered` that an Accept-Encoding header takes (a q of 0 refuses one), or null. */
export function chooseEncoding<Offered extends string>(
  acceptEncoding: string | undefined,
  offered: Offered[]
): Offered | null {
  // Names are case-insensitive (RFC 9110 §8.4.1); the negotiator compares them as written.
  return negotiate((acceptEncoding ?? '').toLowerCase(), offered) as Offered | null;
}
