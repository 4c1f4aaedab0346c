/**
 * Encryption at rest of the secrets Itinera must read back (token signing keys, server secrets),
 * with the key operators give in SECRETS_KEY. AES-256-GCM, a random 12-byte nonce per value,
 * and a text envelope `enc:v1:<key id>:<base64url nonce|ciphertext|tag>` so that a reader knows
 * which key a row needs, and a clear value (no `enc:` prefix, as stored before encryption was
 * turned on) is still read as it is. Each value is bound to its purpose (table, column and row)
 * as additional authenticated data: a value copied to another row or column does not open.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

const PREFIX = 'enc:v1:';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[0-9a-f]{8}$/;

interface BoxKey {
  id: string;
  key: Buffer;
}

// The operator's key is never used directly: one HKDF output encrypts, another names the key,
// so the stored key id tells nothing about the encryption key.
function deriveKey(secretsKey: Buffer): BoxKey {
  const derive = (info: string) =>
    Buffer.from(hkdfSync('sha256', secretsKey, Buffer.alloc(0), info, 32));
  const id = createHash('sha256')
    .update(derive('itinera secrets-at-rest v1 key id'))
    .digest('hex')
    .slice(0, 8);
  return { id, key: derive('itinera secrets-at-rest v1 aes-256-gcm') };
}

/** Whether a stored value is an encryption envelope (rather than a clear value). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The id of the key that sealed `stored`; undefined for a clear value. */
export function sealedKeyId(stored: string): string | undefined {
  if (!isSealed(stored)) return undefined;
  const id = stored.slice(PREFIX.length).split(':', 1)[0] ?? '';
  return KEY_ID.test(id) ? id : '(malformed)';
}

/**
 * The keys of one process: the current one (SECRETS_KEY) seals new values; it and the previous
 * one (SECRETS_KEY_PREVIOUS) open stored values. Without a current key values are stored clear.
 */
export class SecretBox {
  private readonly current: BoxKey | undefined;
  private readonly readable: Map<string, Buffer>;

  /** `current` seals and opens; `previous` keys only open (a rotation, or turning encryption off). */
  constructor(current?: Buffer, previous: readonly Buffer[] = []) {
    this.current = current ? deriveKey(current) : undefined;
    this.readable = new Map();
    for (const key of [...previous, ...(current ? [current] : [])]) {
      const derived = deriveKey(key);
      this.readable.set(derived.id, derived.key);
    }
  }

  /** The box of the configuration's SECRETS_KEY and SECRETS_KEY_PREVIOUS. */
  static fromConfig(config: { secretsKey?: Buffer; secretsKeyPrevious?: Buffer }): SecretBox {
    return new SecretBox(
      config.secretsKey,
      config.secretsKeyPrevious ? [config.secretsKeyPrevious] : [],
    );
  }

  /** The id new values are sealed with; undefined when they are stored clear. */
  get currentKeyId(): string | undefined {
    return this.current?.id;
  }

  /** Whether `stored` is clear or sealed with a key this box has, i.e. can be opened. */
  canOpen(stored: string): boolean {
    const id = sealedKeyId(stored);
    return id === undefined || this.readable.has(id);
  }

  /** Whether `stored` is not in the form new values take (clear, or sealed with another key). */
  needsResealing(stored: string): boolean {
    return sealedKeyId(stored) !== this.currentKeyId;
  }

  /** Seals `plain` for `purpose` with the current key; returns it unchanged without one. */
  seal(plain: string, purpose: string): string {
    if (!this.current) return plain;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, nonce);
    cipher.setAAD(Buffer.from(purpose, 'utf8'));
    const body = Buffer.concat([nonce, cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${this.current.id}:${Buffer.concat([body, cipher.getAuthTag()]).toString('base64url')}`;
  }

  /**
   * The clear value of `stored` (returned as it is when it was stored clear). Throws when the
   * key is missing, or the value was altered or sealed for another purpose; the message names
   * the key id only, never any part of the value.
   */
  open(stored: string, purpose: string): string {
    const id = sealedKeyId(stored);
    if (id === undefined) return stored;
    const key = this.readable.get(id);
    if (!key) throw new Error(`value sealed with key ${id}, which is not configured`);
    const raw = Buffer.from(stored.slice(PREFIX.length + id.length + 1), 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES) throw new Error(`${purpose}: malformed envelope`);
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, NONCE_BYTES));
    decipher.setAAD(Buffer.from(purpose, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    try {
      const plain = Buffer.concat([
        decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return plain.toString('utf8');
    } catch {
      // GCM's tag check: the ciphertext, the key id or the purpose does not match.
      throw new Error(`${purpose}: cannot be decrypted (altered, or sealed for another row)`);
    }
  }
}
