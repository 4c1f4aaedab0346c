/**
 * The `Concur-Signature` header of ESS deliveries (docs/EVENTS.md "Verifying a delivery"):
 *
 *     Concur-Signature: t=<unix seconds>,kid=<key id>,alg=rsa-sha256,sig=<base64 signature>
 *
 * `sig` is RSASSA-PKCS1-v1_5 with SHA-256, by the key `kid`, over the ASCII bytes of `t`, a
 * full stop, then the exact bytes of the request body. The timestamp is signed so that a
 * receiver can refuse old deliveries replayed to it (we suggest 5 minutes); the key id lets it
 * pick the published key across a rotation.
 */
import { createSign } from 'node:crypto';
import type { SigningKey } from './ess-signing-keys.js';

export const ESS_SIGNATURE_HEADER = 'concur-signature';

/** The header value for `body` sent at `timestampSeconds`. */
export function essSignature(key: SigningKey, timestampSeconds: number, body: string): string {
  const signer = createSign('sha256');
  signer.update(`${timestampSeconds}.`);
  signer.update(body, 'utf8');
  const sig = signer.sign(key.privateKey, 'base64');
  return `t=${timestampSeconds},kid=${key.kid},alg=rsa-sha256,sig=${sig}`;
}
