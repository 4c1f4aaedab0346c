/**
 * `POST /oauth2/v0/token` (form-encoded, NOTES §2.10) and the public JWKS.
 */
import formBody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { errors, OAuthError } from '../../../errors.js';
import { baseUrlOf } from '../../../http/base-url.js';
import { principalOf } from '../../accounts/index.js';
import type { TokenKeys } from '../keys/access-token.js';
import { revokeUserAppTokens } from './refresh-token.repository.js';
import type { TokenRequest, TokenService } from './token.service.js';

interface TokenRoutesOptions {
  db: Kysely<Database>;
  tokens: TokenService;
  keys: TokenKeys;
  geolocation?: string;
}

/** Registers the token endpoint in its own scope (form parsing, JSON errors). */
export async function tokenRoutes(app: FastifyInstance, options: TokenRoutesOptions) {
  await app.register(formBody, { bodyLimit: 16 * 1024 });

  app.post<{ Body: TokenRequest | undefined }>(
    '/oauth2/v0/token',
    { config: { errorFormat: 'oauth-json' } },
    async (request, reply) => {
      const body = request.body;
      if (!body || typeof body !== 'object') {
        throw new OAuthError(400, 'invalid_request', 65, 'Send the parameters form-encoded.');
      }
      const fields: TokenRequest = {};
      for (const [key, value] of Object.entries(body)) {
        if (typeof value === 'string') fields[key as keyof TokenRequest] = value;
      }
      const response = await options.tokens.issue(fields, baseUrlOf(request));
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
    },
  );

  app.get('/oauth2/v0/jwks', async () => options.keys.jwks());

  // OpenID Connect discovery: what a standard client library needs to verify our tokens.
  app.get('/.well-known/openid-configuration', async (request) => {
    const base = options.geolocation ?? baseUrlOf(request);
    return {
      issuer: options.keys.issuerName,
      authorization_endpoint: `${base}/oauth2/v0/authorize`,
      token_endpoint: `${base}/oauth2/v0/token`,
      jwks_uri: `${base}/oauth2/v0/jwks`,
      grant_types_supported: [
        'authorization_code',
        'password',
        'client_credentials',
        'refresh_token',
      ],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256', 'plain'],
      token_endpoint_auth_methods_supported: ['client_secret_post'],
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      scopes_supported: ['openid', 'ITINER', 'user.read'],
      claims_supported: ['sub', 'aud', 'iss', 'exp', 'iat', 'nbf', 'at_hash'],
    };
  });

  // Revokes the calling user's refresh tokens for the calling app (NOTES §2.10 "Revocation").
  app.delete(
    '/app-mgmt/v0/connections',
    { config: { scope: '*', errorFormat: 'json' } },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!principal.user) {
        throw errors.badRequest('Revoking a connection needs a user token, not a company one.');
      }
      await revokeUserAppTokens(options.db, principal.user.id, principal.app.id, Date.now());
      return reply.status(204).send();
    },
  );
}
