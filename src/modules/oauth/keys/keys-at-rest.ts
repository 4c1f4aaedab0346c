/**
 * The start-up step that loads the token keys (buildApp, and the cluster primary's database
 * preparation): it first checks that every stored secret (signing keys' private parts, server
 * secrets) can be decrypted with SECRETS_KEY or SECRETS_KEY_PREVIOUS, refusing to start
 * otherwise (never failing later, never silently making new keys), then re-encrypts with
 * SECRETS_KEY, in one transaction, the rows stored clear or with the previous key: this is how an
 * operator turns encryption on and rotates its key.
 */
import type { DatabaseHandle } from '../../../db/connect.js';
import type { Executor } from '../../../db/database.js';
import { SecretBox, sealedKeyId } from '../../../security/secret-box.js';
import {
  listServerSecrets,
  updateServerSecret,
} from '../../../security/server-secret.repository.js';
import { serverSecretPurpose } from '../../../security/server-secrets.js';
import { privateJwkPurpose, TokenKeys } from './access-token.js';
import { listSigningKeys, updateSigningKeyPrivateJwk } from './signing-key.repository.js';

/** The settings the keys need (a subset of Config). */
export interface KeysConfig {
  tokenIssuer?: string;
  /** The `aud` of access tokens (TOKEN_AUDIENCE); `itinera` when absent. */
  tokenAudience?: string;
  secretsKey?: Buffer;
  secretsKeyPrevious?: Buffer;
}

interface StoredSecret {
  kind: 'signing keys' | 'server secrets';
  /** The row's key (a kid or a secret's name): not secret, safe in messages. */
  id: string;
  stored: string;
  purpose: string;
  update(db: Executor, value: string): Promise<void>;
}

async function storedSecrets(db: Executor): Promise<StoredSecret[]> {
  const keys = (await listSigningKeys(db)).map(
    (key): StoredSecret => ({
      kind: 'signing keys',
      id: key.kid,
      stored: key.privateJwk,
      purpose: privateJwkPurpose(key.kid),
      update: (trx, value) => updateSigningKeyPrivateJwk(trx, key.kid, value),
    }),
  );
  const secrets = (await listServerSecrets(db)).map(
    (secret): StoredSecret => ({
      kind: 'server secrets',
      id: secret.name,
      stored: secret.secret,
      purpose: serverSecretPurpose(secret.name),
      update: (trx, value) => updateServerSecret(trx, secret.name, value),
    }),
  );
  return [...keys, ...secrets];
}

/** Throws, naming the missing key ids, unless every row opens with `box`. */
function assertReadable(rows: readonly StoredSecret[], box: SecretBox): void {
  for (const kind of ['signing keys', 'server secrets'] as const) {
    const missing = new Set<string>();
    for (const row of rows) {
      if (row.kind === kind && !box.canOpen(row.stored)) missing.add(sealedKeyId(row.stored) ?? '');
    }
    if (missing.size > 0) {
      throw new Error(
        `${kind} are encrypted with key ${[...missing].join(', ')}; ` +
          'set SECRETS_KEY (or SECRETS_KEY_PREVIOUS) to it',
      );
    }
  }
  // Every row once, so that an altered or moved value stops the start, not a request later.
  for (const row of rows) box.open(row.stored, row.purpose);
}

/**
 * Re-encrypts every stored secret not yet in the form `box` writes (with its current key, or
 * clear when it has none), in one transaction; returns how many rows changed. Throws, changing
 * nothing, when a row cannot be decrypted with the box's keys.
 */
export async function resealSecretsAtRest(
  database: DatabaseHandle,
  box: SecretBox,
): Promise<number> {
  const before = await storedSecrets(database.db);
  assertReadable(before, box);
  // Usually nothing to do: no write, so cluster workers starting together never contend.
  if (!before.some((row) => box.needsResealing(row.stored))) return 0;
  return database.write('secrets-at-rest', async (trx) => {
    const rows = await storedSecrets(trx);
    assertReadable(rows, box);
    let changed = 0;
    for (const row of rows) {
      if (!box.needsResealing(row.stored)) continue;
      await row.update(trx, box.seal(box.open(row.stored, row.purpose), row.purpose));
      changed += 1;
    }
    return changed;
  });
}

/**
 * Turns encryption at rest off: decrypts every row sealed with `key` (the SECRETS_KEY in use)
 * back to clear. An explicit operator step; servers must then run without SECRETS_KEY.
 */
export function decryptSecretsAtRest(database: DatabaseHandle, key: Buffer): Promise<number> {
  return resealSecretsAtRest(database, new SecretBox(undefined, [key]));
}

/**
 * Checks and re-encrypts the stored secrets (see the top of this file), then loads the token
 * keys (creating the first one). Returns them with the box every other secret goes through.
 */
export async function prepareTokenKeys(
  database: DatabaseHandle,
  config: Readonly<KeysConfig>,
): Promise<{ keys: TokenKeys; secrets: SecretBox }> {
  if (config.secretsKeyPrevious && !config.secretsKey) {
    // Reading with the old key only would leave new rows clear beside old encrypted ones.
    throw new Error(
      'SECRETS_KEY_PREVIOUS is set without SECRETS_KEY: set SECRETS_KEY to the key to encrypt with',
    );
  }
  const secrets = SecretBox.fromConfig(config);
  await resealSecretsAtRest(database, secrets);
  const keys = await TokenKeys.load(database.db, config.tokenIssuer, secrets, config.tokenAudience);
  return { keys, secrets };
}
