/**
 * The key pairs that sign ESS deliveries (`Concur-Signature`, docs/EVENTS.md). RSA 2048 with
 * SHA-256, the kind of key Concur publishes for ESS, so that a receiver written for Concur's key
 * only swaps the key. The private key is a server secret (`ess-signing-key:<kid>`): shared by
 * every process, sealed at rest with SECRETS_KEY and re-encrypted with it like the other
 * secrets (oauth/keys/keys-at-rest.ts). Rotation: the newest key signs; a key older than the
 * rotation period is replaced by a new one on next use, and a replaced key stays published for
 * the overlap period, so receivers that cache keys by `kid` keep verifying, then is deleted.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
  randomBytes,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { Executor } from '../../../db/database.js';
import type { SecretBox } from '../../../security/secret-box.js';
import {
  deleteServerSecret,
  ensureServerSecret,
  listServerSecretsNamed,
} from '../../../security/server-secret.repository.js';
import { serverSecretPurpose } from '../../../security/server-secrets.js';

const generate = promisify(generateKeyPair);
const KEY_PREFIX = 'ess-signing-key:';
const DAY_MS = 86_400_000;
// Keys are re-read this often, so that a rotation by another process is seen.
const RELOAD_MS = 60_000;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  createdAt: number;
}

export interface SigningKeyOptions {
  /** A key older than this is replaced by a new one (default 90 days). */
  rotateAfterMs?: number;
  /** A replaced key stays published this long (default 7 days). */
  overlapMs?: number;
  now?: () => number;
}

/** The signing keys of one database, for this process. */
export class EssSigningKeys {
  private readonly rotateAfterMs: number;
  private readonly overlapMs: number;
  private readonly now: () => number;
  private loaded: { at: number; keys: Promise<SigningKey[]> } | undefined;

  constructor(
    private readonly db: Executor,
    private readonly box: SecretBox,
    options: SigningKeyOptions = {},
  ) {
    this.rotateAfterMs = options.rotateAfterMs ?? 90 * DAY_MS;
    this.overlapMs = options.overlapMs ?? 7 * DAY_MS;
    this.now = options.now ?? Date.now;
  }

  /** The key that signs now, created (or rotated) when there is none young enough. */
  async current(): Promise<SigningKey> {
    const keys = await this.keys();
    const newest = keys.at(-1);
    if (newest && this.now() - newest.createdAt < this.rotateAfterMs) return newest;
    await this.rotate();
    return (await this.keys()).at(-1) as SigningKey;
  }

  /** The keys receivers may meet: the current one and those replaced less than the overlap ago. */
  async published(): Promise<SigningKey[]> {
    await this.current();
    const keys = await this.keys();
    const now = this.now();
    return keys.filter((_key, i) => {
      const replacedAt = keys[i + 1]?.createdAt;
      return replacedAt === undefined || now - replacedAt < this.overlapMs;
    });
  }

  /** Creates a new key, which signs from now on, and deletes keys past their overlap. */
  async rotate(): Promise<void> {
    const now = this.now();
    const { privateKey } = await generate('rsa', { modulusLength: 2048 });
    const kid = `${now.toString(36)}-${randomBytes(4).toString('hex')}`;
    const name = `${KEY_PREFIX}${kid}`;
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await ensureServerSecret(this.db, name, this.box.seal(pem, serverSecretPurpose(name)), now);
    const keys = await this.load();
    for (const [i, key] of keys.entries()) {
      const replacedAt = keys[i + 1]?.createdAt;
      if (replacedAt !== undefined && now - replacedAt >= this.overlapMs) {
        await deleteServerSecret(this.db, `${KEY_PREFIX}${key.kid}`);
      }
    }
    this.loaded = undefined;
  }

  private keys(): Promise<SigningKey[]> {
    const now = this.now();
    if (!this.loaded || now - this.loaded.at >= RELOAD_MS) {
      const keys = this.load();
      keys.catch(() => {
        this.loaded = undefined;
      });
      this.loaded = { at: now, keys };
    }
    return this.loaded.keys;
  }

  private async load(): Promise<SigningKey[]> {
    const rows = await listServerSecretsNamed(this.db, KEY_PREFIX);
    return rows.map((row) => {
      const privateKey = createPrivateKey(this.box.open(row.secret, serverSecretPurpose(row.name)));
      return {
        kid: row.name.slice(KEY_PREFIX.length),
        privateKey,
        publicKey: createPublicKey(privateKey),
        createdAt: row.created_at,
      };
    });
  }
}
