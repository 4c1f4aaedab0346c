/**
 * The clear value of a server secret (src/security/server-secret.repository.ts), created on first
 * use and sealed at rest with SECRETS_KEY when one is set. The repository keeps to SQL; sealing
 * and opening happen here so that every caller goes through the same box.
 */
import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { SecretBox } from './secret-box.js';
import { ensureServerSecret } from './server-secret.repository.js';

/** What a server secret is bound to when sealed: its table, column and name. */
export function serverSecretPurpose(name: string): string {
  return `server_secrets.secret:${name}`;
}

// A server secret never changes once created (only its sealed form does, on re-encryption): each
// process decrypts it once per database, off the request path, and keeps working when another
// process re-encrypts it under a key this one was not given yet (a rolling key rotation).
const opened = new WeakMap<Executor, Map<string, Promise<string>>>();

/** The secret called `name` (256 random bits, base64url), created if there is none yet. */
export function serverSecret(db: Executor, box: SecretBox, name: string): Promise<string> {
  let byName = opened.get(db);
  if (!byName) {
    byName = new Map();
    opened.set(db, byName);
  }
  let secret = byName.get(name);
  if (!secret) {
    secret = openServerSecret(db, box, name);
    const cache = byName;
    secret.catch(() => cache.delete(name));
    byName.set(name, secret);
  }
  return secret;
}

async function openServerSecret(db: Executor, box: SecretBox, name: string): Promise<string> {
  const purpose = serverSecretPurpose(name);
  const fresh = box.seal(randomBytes(32).toString('base64url'), purpose);
  return box.open(await ensureServerSecret(db, name, fresh, Date.now()), purpose);
}
