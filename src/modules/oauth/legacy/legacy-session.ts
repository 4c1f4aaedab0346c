/**
 * What every pre-2017 sign-in shares, however it began (native flow, or a request token from
 * `Login.aspx`): the token lifetime, the refresh family's mark, the answer and the errors.
 */
import { AppError, ErrorCode, errors } from '../../../errors.js';

/** "Currently set to expire after one year from creation" (authorization-pre-2017). */
export const LEGACY_TOKEN_TTL_SECONDS = 365 * 24 * 60 * 60;

// Sign-ins made here are told apart by their family id: only their refresh tokens may be
// refreshed without rotation (the pre-2017 refresh answer carries no new refresh token).
export const SESSION_PREFIX = 'net2:';

/** What `<Access_Token>` carries. */
export interface LegacyToken {
  instanceUrl: string;
  token: string;
  /** When the access token expires (ms since the epoch). */
  expiresAt: number;
  /** Only on a sign-in: the refresh answer has none, the client keeps its refresh token. */
  refreshToken?: string;
}

/** The errors of these endpoints, rendered in Concur's `<Error>` shape. */
export const legacyErrors = {
  consumerKeyMissing: () =>
    errors.unauthorized('The X-ConsumerKey header (the application key) is missing.'),
  consumerKeyUnknown: () => errors.unauthorized('The X-ConsumerKey is not a known application.'),
  credentialsMissing: () =>
    errors.unauthorized(
      'The Authorization header must be "Basic " and the Base-64 of LoginID:Password.',
    ),
  badCredentials: () => errors.unauthorized('Invalid credentials.'),
  refreshInvalid: () =>
    errors.badRequest('The refresh_token is invalid, expired or revoked, or not of this client.'),
  parameterMissing: (name: string) => errors.badRequest(`The parameter ${name} is missing.`),
  codeInvalid: () => errors.badRequest('The code is invalid, expired or already used.'),
  codeNotYours: () => errors.badRequest('The code was not issued to this client_id.'),
  userDisabled: () => errors.forbidden('The user has been disabled.'),
  notRevocable: () =>
    errors.badRequest(
      'This token was not issued by the /net2/oauth2 endpoints; revoke it with ' +
        'DELETE /app-mgmt/v0/connections.',
    ),
  appUnknown: (key: string) =>
    new AppError(ErrorCode.NotFound, 404, `No application with the key '${key.slice(0, 64)}'.`),
  notAllowed: () =>
    errors.forbidden(
      "Revoking another user's tokens requires the Web Services Administrator or Can " +
        'Administer role in their company.',
    ),
};
