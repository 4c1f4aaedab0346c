/**
 * `POST /oauth2/v0/token` (form-encoded, SPEC §2.10) and the public JWKS.
 */
import formBody from '@fastify/formbody';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/database.js';
import { errors, OAuthError } from '../../../errors.js';
import { baseUrlOf } from '../../../http/base-url.js';
import { principalOf } from '../../accounts/index.js';
import type { TokenKeys } from '../keys/access-token.js';
import { revokeUserAppTokens } from './refresh-token.repository.js';
import type { TokenService } from './token.service.js';

interface TokenRoutesOptions {
  db: Kysely<Database>;
  tokens: TokenService;
  keys: TokenKeys;
  /** Where the endpoints are: PUBLIC_BASE_URL, else GEOLOCATION, else the request's base URL. */
  publicBaseUrl?: string;
  geolocation?: string;
}

const field = Type.Optional(Type.String());

/** The token request's fields (SPEC §2.10), each sent once as text. */
const TokenFields = Type.Object({
  grant_type: field,
  client_id: field,
  client_secret: field,
  username: field,
  password: field,
  credtype: field,
  refresh_token: field,
  scope: field,
  code: field,
  redirect_uri: field,
  code_verifier: field,
});

/**
 * A `preValidation` hook: the body must be a form (or any object); of its fields only those
 * sent once as text count, a repeated field (or a JSON number) is as good as absent.
 */
async function textFields(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (!body || typeof body !== 'object') {
    throw new OAuthError(400, 'invalid_request', 65, 'Send the parameters form-encoded.');
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[key] = value;
  }
  request.body = fields;
}

/** What the OpenAPI document says of the routes without other schema. */
const DOCS = {
  jwks: { summary: 'The public keys of the access tokens (JWKS)', tags: ['OAuth'] },
  discovery: { summary: 'OpenID Connect discovery', tags: ['OAuth'] },
  revoke: { summary: "Revoke the user's refresh tokens for this app", tags: ['OAuth'] },
};

/** Registers the token endpoint in its own scope (form parsing, JSON errors). */
export async function tokenRoutes(app: FastifyInstance, options: TokenRoutesOptions) {
  await app.register(formBody, { bodyLimit: 16 * 1024 });

  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/oauth2/v0/token',
    {
      config: { errorFormat: 'oauth-json' },
      schema: {
        summary: 'Issue an access token',
        tags: ['OAuth'],
        consumes: ['application/x-www-form-urlencoded'],
        body: TokenFields,
      },
      preValidation: textFields,
    },
    async (request, reply) => {
      const response = await options.tokens.issue(request.body, baseUrlOf(request));
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
    },
  );

  app.get('/oauth2/v0/jwks', { schema: DOCS.jwks }, async () => options.keys.jwks());

  // OpenID Connect discovery: what a standard client library needs to verify our tokens. The
  // issuer is the `iss` of the tokens this same request would be issued.
  app.get('/.well-known/openid-configuration', { schema: DOCS.discovery }, async (request) => {
    const requestBaseUrl = baseUrlOf(request);
    const base = options.publicBaseUrl ?? options.geolocation ?? requestBaseUrl;
    return {
      issuer: options.keys.issuerFor(requestBaseUrl),
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
      scopes_supported: [
        'openid',
        'ITINER',
        'user.read',
        'travel.itinerary.read',
        'events.topic.read',
      ],
      claims_supported: ['sub', 'aud', 'iss', 'exp', 'iat', 'nbf', 'at_hash'],
    };
  });

  // Revokes the calling user's refresh tokens for the calling app (SPEC §2.10 "Revocation").
  app.delete(
    '/app-mgmt/v0/connections',
    { config: { scope: '*', errorFormat: 'json' }, schema: DOCS.revoke },
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
