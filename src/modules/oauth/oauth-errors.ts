/**
 * The token endpoint's errors, with Concur's numeric codes (SPEC §2.10), so that the same
 * failure always answers the same status, OAuth error and code.
 */
import { OAuthError } from '../../errors.js';

export const oauthErrors = {
  grantMissing: () => new OAuthError(400, 'invalid_request', 65, 'grant_type is missing.'),
  grantUnsupported: (g: string) =>
    new OAuthError(
      400,
      'unsupported_grant_type',
      65,
      g === 'otp'
        ? "grant_type 'otp' is not supported: Itinera sends no one-time passwords."
        : `grant_type '${g.slice(0, 64)}' is not supported.`,
    ),
  clientIdMissing: () => new OAuthError(400, 'invalid_request', 62, 'client_id is missing.'),
  clientSecretMissing: () =>
    new OAuthError(400, 'invalid_request', 63, 'client_secret is missing.'),
  clientNotFound: () => new OAuthError(401, 'invalid_client', 61, 'Client not found.'),
  clientBadSecret: () => new OAuthError(401, 'invalid_client', 64, 'Incorrect client credentials.'),
  clientDisabled: () => new OAuthError(401, 'invalid_client', 59, 'The client is disabled.'),
  usernameMissing: () => new OAuthError(400, 'invalid_request', 51, 'username is missing.'),
  passwordMissing: () => new OAuthError(400, 'invalid_request', 52, 'password is missing.'),
  badCredentials: () =>
    new OAuthError(400, 'invalid_grant', 5, 'Incorrect Credentials. Please Retry'),
  credtypeInvalid: () =>
    new OAuthError(400, 'invalid_request', 120, "credtype must be 'password' or 'authtoken'."),
  authtokenInvalid: () =>
    new OAuthError(400, 'invalid_grant', 5, 'The authtoken is invalid, expired or used up.'),
  authtokenNotYours: () =>
    new OAuthError(400, 'invalid_grant', 136, 'Authtoken was not issued for you.'),
  codeMissing: () => new OAuthError(400, 'invalid_request', 101, 'code is missing.'),
  redirectUriMissing: () => new OAuthError(400, 'invalid_request', 102, 'redirect_uri is missing.'),
  // RFC 6749 §5.2 names a bad, expired, used or mismatched code invalid_grant.
  codeInvalid: () =>
    new OAuthError(400, 'invalid_grant', 103, 'The code is invalid, expired or already used.'),
  redirectUriMismatch: () =>
    new OAuthError(
      400,
      'invalid_grant',
      104,
      'redirect_uri does not match the one of the authorization request.',
    ),
  codeNotYours: () => new OAuthError(400, 'invalid_grant', 105, 'This code was not issued to you.'),
  pkceFailed: (description: string) => new OAuthError(400, 'invalid_grant', 103, description),
  principalDisabled: () => new OAuthError(403, 'invalid_grant', 123, 'The user is disabled.'),
  companyNotEnabled: () =>
    new OAuthError(403, 'unauthorized_client', 53, 'The company is not enabled for this client.'),
  scopeExceeded: () =>
    new OAuthError(400, 'invalid_scope', 54, 'The requested scope exceeds the granted scope.'),
  refreshMissing: () => new OAuthError(400, 'invalid_request', 106, 'refresh_token is missing.'),
  refreshInvalid: () =>
    new OAuthError(400, 'invalid_grant', 108, 'The refresh token is invalid or has expired.'),
  elsewhere: (geolocation: string) => {
    const error = new OAuthError(
      400,
      'invalid_request',
      16,
      `The user lives in another region; use ${geolocation}.`,
    );
    error.geolocation = geolocation;
    return error;
  },
  throttled: (ms: number) => {
    const seconds = Math.ceil(ms / 1000);
    const error = new OAuthError(
      429,
      'slow_down',
      429,
      `Too many failed sign-ins; try again in ${seconds} s.`,
    );
    error.retryAfterSeconds = seconds;
    return error;
  },
};
