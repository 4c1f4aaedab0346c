/**
 * `POST /oauth2/v0/token` (form-encoded, NOTES §2.10) and the public JWKS.
 */
import formBody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../../errors.js';
import { baseUrlOf } from '../../http/base-url.js';
import type { TokenKeys } from './access-token.js';
import type { TokenRequest, TokenService } from './token.service.js';

interface TokenRoutesOptions {
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
      const response = await options.tokens.issue(
        fields,
        options.geolocation ?? baseUrlOf(request),
      );
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response);
    },
  );

  app.get('/oauth2/v0/jwks', async () => options.keys.jwks());
}
