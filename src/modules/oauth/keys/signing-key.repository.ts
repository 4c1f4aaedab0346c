/**
 * RS256 signing keys, kept in the database so that every Itinera process sharing it signs
 * and verifies with the same keys.
 */
import type { Executor } from '../../../db/database.js';

export interface StoredKey {
  kid: string;
  privateJwk: string;
  publicJwk: string;
  createdAt: number;
}

/** All keys, newest first. */
export async function listSigningKeys(db: Executor): Promise<StoredKey[]> {
  const rows = await db
    .selectFrom('signing_keys')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('kid', 'desc')
    .execute();
  return rows.map((r) => ({
    kid: r.kid,
    privateJwk: r.private_jwk,
    publicJwk: r.public_jwk,
    createdAt: r.created_at,
  }));
}

/** Stores a new key. */
export async function insertSigningKey(db: Executor, key: StoredKey): Promise<void> {
  await db
    .insertInto('signing_keys')
    .values({
      kid: key.kid,
      private_jwk: key.privateJwk,
      public_jwk: key.publicJwk,
      created_at: key.createdAt,
    })
    .execute();
}

/** Replaces the stored form of a key's private JWK (re-encrypted; the key stays the same). */
export async function updateSigningKeyPrivateJwk(
  db: Executor,
  kid: string,
  privateJwk: string,
): Promise<void> {
  await db
    .updateTable('signing_keys')
    .set({ private_jwk: privateJwk })
    .where('kid', '=', kid)
    .execute();
}
