import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, SecretBox, sealedKeyId } from '../../src/security/secret-box.js';

const KEY = randomBytes(32);
const OTHER = randomBytes(32);

describe('SecretBox', () => {
  it('seals into a versioned envelope naming the key, and opens it again', () => {
    const box = new SecretBox(KEY);
    const sealed = box.seal('{"d":"private"}', 'signing_keys.private_jwk:k1');
    expect(sealed).toMatch(/^enc:v1:[0-9a-f]{8}:[\w-]+$/);
    expect(sealed).not.toContain('private');
    expect(sealedKeyId(sealed)).toBe(box.currentKeyId);
    expect(box.open(sealed, 'signing_keys.private_jwk:k1')).toBe('{"d":"private"}');
  });

  it('uses a fresh nonce for every value', () => {
    const box = new SecretBox(KEY);
    expect(box.seal('same', 'p')).not.toBe(box.seal('same', 'p'));
  });

  it('names a key the same way every time, and different keys differently', () => {
    expect(new SecretBox(KEY).currentKeyId).toBe(new SecretBox(KEY).currentKeyId);
    expect(new SecretBox(KEY).currentKeyId).not.toBe(new SecretBox(OTHER).currentKeyId);
    // The id is derived, not a prefix of the key.
    expect(KEY.toString('hex')).not.toContain(new SecretBox(KEY).currentKeyId);
  });

  it('rejects a tampered ciphertext', () => {
    const box = new SecretBox(KEY);
    const sealed = box.seal('secret value', 'server_secrets.secret:a');
    const body = Buffer.from(sealed.split(':')[3] as string, 'base64url');
    body[14] = (body[14] as number) ^ 1;
    const tampered = `${sealed.split(':').slice(0, 3).join(':')}:${body.toString('base64url')}`;
    expect(() => box.open(tampered, 'server_secrets.secret:a')).toThrow(/cannot be decrypted/);
    expect(() => box.open(`${sealed.slice(0, -4)}`, 'server_secrets.secret:a')).toThrow();
  });

  it('rejects a value moved to another purpose (row or column)', () => {
    const box = new SecretBox(KEY);
    const sealed = box.seal('secret value', 'server_secrets.secret:a');
    expect(() => box.open(sealed, 'server_secrets.secret:b')).toThrow(/cannot be decrypted/);
    expect(() => box.open(sealed, 'signing_keys.private_jwk:a')).toThrow(/cannot be decrypted/);
  });

  it('opens with the previous key, and says which key is missing otherwise', () => {
    const old = new SecretBox(OTHER);
    const sealed = old.seal('v', 'p');
    const rotated = new SecretBox(KEY, [OTHER]);
    expect(rotated.canOpen(sealed)).toBe(true);
    expect(rotated.needsResealing(sealed)).toBe(true);
    expect(rotated.open(sealed, 'p')).toBe('v');
    const without = new SecretBox(KEY);
    expect(without.canOpen(sealed)).toBe(false);
    expect(() => without.open(sealed, 'p')).toThrow(`key ${old.currentKeyId}`);
  });

  it('reads clear values as they are, and stores clear without a current key', () => {
    const none = new SecretBox();
    expect(none.seal('clear', 'p')).toBe('clear');
    expect(none.open('clear', 'p')).toBe('clear');
    expect(none.needsResealing('clear')).toBe(false);
    const box = new SecretBox(KEY);
    expect(isSealed('clear')).toBe(false);
    expect(box.open('clear', 'p')).toBe('clear');
    expect(box.needsResealing('clear')).toBe(true);
    expect(box.needsResealing(box.seal('x', 'p'))).toBe(false);
  });
});
