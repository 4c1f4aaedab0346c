/**
 * The sign-in form's anti-forgery token: an HMAC over the authorization request it was shown
 * for and an expiry, so that a POST is accepted only from a form this server rendered, for the
 * same client, redirect URI, scopes, state and PKCE challenge, within minutes. No cookie and no
 * server-side session: the key is shared by every process through the database.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** How long a rendered sign-in form may be submitted. */
const FORM_TTL_MS = 10 * 60_000;

export type FormTokenCheck = 'valid' | 'expired' | 'invalid';

export class FormTokens {
  constructor(
    private readonly key: Buffer,
    private readonly ttlMs = FORM_TTL_MS,
  ) {}

  private mac(expires: number, binding: readonly string[]): string {
    return createHmac('sha256', this.key)
      .update(JSON.stringify(['itinera-authorize-form-v1', expires, ...binding]))
      .digest('base64url');
  }

  /** A token for a form showing the request described by `binding`. */
  issue(binding: readonly string[], now = Date.now()): string {
    const expires = Math.floor((now + this.ttlMs) / 1000);
    return `${expires}.${this.mac(expires, binding)}`;
  }

  /** Checks a submitted token against the request it claims to be for. */
  check(token: string, binding: readonly string[], now = Date.now()): FormTokenCheck {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return 'invalid';
    const expires = Number(match[1]);
    const expected = Buffer.from(this.mac(expires, binding));
    const actual = Buffer.from(match[2] as string);
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'invalid';
    return expires * 1000 < now ? 'expired' : 'valid';
  }
}
