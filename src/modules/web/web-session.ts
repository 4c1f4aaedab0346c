/**
 * The web app's cookies: the sign-in in progress (PKCE verifier and state) and the session
 * (the access token the code grant gave). Both are sealed with AES-256-GCM under a key derived
 * from a server secret, bound to their cookie's name as additional data, and carry their own
 * expiry: the browser holds them but can neither read nor change them. The session's random
 * id also keys its CSRF tokens (HMAC, compared in constant time).
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Longest sealed cookie value read: anything longer is not ours. */
const MAX_SEALED_LENGTH = 3000;

/** The session cookie's content. */
export interface WebSession {
  /** Random id: what CSRF tokens are bound to. */
  sid: string;
  /** The access token of the signed-in user (verified on every request). */
  token: string;
  /** Expiry, epoch ms (the access token's). */
  exp: number;
}

/** The sign-in in progress: what the callback checks and redeems the code with. */
export interface SignInFlow {
  state: string;
  verifier: string;
  exp: number;
}

export type CookieKind = 'session' | 'flow';

/** Seals and opens the web app's cookies; makes and checks CSRF tokens. */
export class WebSeal {
  private readonly encryptionKey: Buffer;
  private readonly csrfKey: Buffer;

  /** `secret`: the server secret's bytes (not used directly: two HKDF outputs). */
  constructor(secret: Buffer) {
    const derive = (info: string) =>
      Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), info, 32));
    this.encryptionKey = derive('itinera web cookies v1 aes-256-gcm');
    this.csrfKey = derive('itinera web csrf v1 hmac-sha256');
  }

  /** The sealed form (base64url) of a cookie's content. */
  seal(kind: CookieKind, content: WebSession | SignInFlow): string {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, nonce);
    cipher.setAAD(Buffer.from(kind, 'utf8'));
    const body = Buffer.concat([
      nonce,
      cipher.update(JSON.stringify(content), 'utf8'),
      cipher.final(),
    ]);
    return Buffer.concat([body, cipher.getAuthTag()]).toString('base64url');
  }

  /** The content of a sealed cookie; undefined when absent, altered, of another kind or expired. */
  open(kind: 'session', sealed: string | undefined, now: number): WebSession | undefined;
  open(kind: 'flow', sealed: string | undefined, now: number): SignInFlow | undefined;
  open(
    kind: CookieKind,
    sealed: string | undefined,
    now: number,
  ): WebSession | SignInFlow | undefined {
    if (!sealed || sealed.length > MAX_SEALED_LENGTH || !/^[A-Za-z0-9_-]+$/.test(sealed)) {
      return undefined;
    }
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < NONCE_BYTES + TAG_BYTES + 2) return undefined;
    let text: string;
    try {
      const decipher = createDecipheriv(
        'aes-256-gcm',
        this.encryptionKey,
        raw.subarray(0, NONCE_BYTES),
      );
      decipher.setAAD(Buffer.from(kind, 'utf8'));
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      text = Buffer.concat([
        decipher.update(raw.subarray(NONCE_BYTES, raw.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      return undefined;
    }
    const content = JSON.parse(text) as Partial<WebSession & SignInFlow>;
    if (typeof content.exp !== 'number' || content.exp <= now) return undefined;
    if (kind === 'session') {
      const { sid, token, exp } = content;
      return typeof sid === 'string' && typeof token === 'string' ? { sid, token, exp } : undefined;
    }
    const { state, verifier, exp } = content;
    return typeof state === 'string' && typeof verifier === 'string'
      ? { state, verifier, exp }
      : undefined;
  }

  /** The CSRF token of a session's forms (the same for all its forms, for its lifetime). */
  csrfToken(session: WebSession): string {
    return createHmac('sha256', this.csrfKey).update(session.sid).digest('base64url');
  }

  /** Whether `token` is the session's CSRF token (constant time). */
  checkCsrf(session: WebSession, token: unknown): boolean {
    if (typeof token !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(session));
    const actual = Buffer.from(token);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

/** A random value for ids, states and PKCE verifiers (256 bits, base64url: 43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time equality of two strings. */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
