/**
 * The `Idempotency-Key` hooks of the routes that declare `config.idempotent` (every POST that
 * writes), added to those routes only. After authentication: the key is checked and bound to its owner (app, company, user);
 * while the body is read, it is hashed with the method and URL; before the handler, the key is
 * claimed or its stored answer replayed. A request that ends without storing its answer (an
 * error: nothing was written) gives the key up, so that a retry runs afresh.
 */
import { createHash, type Hash } from 'node:crypto';
import { pipeline } from 'node:stream';
import type {
  FastifyInstance,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onResponseAsyncHookHandler,
  preHandlerAsyncHookHandler,
  preParsingAsyncHookHandler,
} from 'fastify';
import type { Claim, IdempotencyService } from './idempotency.service.js';
import { DigestingStream, idempotencyKeyOf, requestHash } from './idempotency-key.js';

/** A request's key while it runs. */
export interface IdempotencyState {
  service: IdempotencyService;
  scope: string;
  key: string;
  hash: Hash;
  claim?: Claim;
  /** Its answer was stored with its write (and committed). */
  completed: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for a request to an idempotent route that sent an `Idempotency-Key`. */
    idempotency?: IdempotencyState;
  }
}

/** The header that marks a replayed answer. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Whose keys these are: the app, the company (or companies) the token reaches and, for a
 * user's token, the user. A key never replays an answer to anyone else, not even another
 * traveller using the same app.
 */
export function scopeOf(principal: {
  app: { id: string };
  companyIds: readonly string[];
  user?: { id: string };
}): string {
  return keyScope(principal.app.id, principal.companyIds, principal.user?.id ?? null);
}

/** The scope of the keys of an app's token reaching `companyIds`, for `userId` if a user's. */
export function keyScope(appId: string, companyIds: readonly string[], userId: string | null) {
  const companies = [...companyIds].sort().join(',');
  return createHash('sha256')
    .update(JSON.stringify([appId, companies, userId]))
    .digest('base64url');
}

/**
 * Registers the hooks on the routes that declare `config.idempotent`, and on no other: a read
 * pays nothing for them. Call before registering the routes. Route hooks run after the
 * server's own of each kind, so after authentication (which sets the principal) and the rate
 * limits (a refused call claims no key).
 */
export function registerIdempotency(app: FastifyInstance, service: IdempotencyService): void {
  const claimKey: onRequestAsyncHookHandler = async (request) => {
    if (!request.principal) return;
    const key = idempotencyKeyOf(request);
    if (key === undefined) return;
    request.idempotency = {
      service,
      scope: scopeOf(request.principal),
      key,
      hash: requestHash(request),
      completed: false,
    };
  };

  const digestBody: preParsingAsyncHookHandler = async (request, _reply, payload) => {
    const state = request.idempotency;
    if (!state) return payload;
    const digesting = new DigestingStream(state.hash);
    // Errors of the request stream (an aborted upload) reach the parser through this one.
    pipeline(payload, digesting, () => {});
    return digesting;
  };

  const beginOrReplay: preHandlerAsyncHookHandler = async (request, reply) => {
    const state = request.idempotency;
    if (!state) return;
    const begun = await service.begin(
      { scope: state.scope, key: state.key },
      state.hash.digest('base64url'),
    );
    if (begun.kind === 'claimed') {
      const claim = begun.claim;
      state.claim = claim;
      request.answerRecorder = {
        record: (trx, answer) => service.complete(trx, claim, answer),
        committed: () => {
          state.completed = true;
        },
      };
      return;
    }
    const { status, headers, body } = begun.reply;
    return reply
      .status(status)
      .headers({ ...headers, [REPLAYED_HEADER]: 'true' })
      .send(body);
  };

  const releaseUnfinished: onResponseAsyncHookHandler = async (request) => {
    const state = request.idempotency;
    if (!state?.claim || state.completed) return;
    await releaseQuietly(request, state.claim, service);
  };

  app.addHook('onRoute', (route) => {
    if (!route.config?.idempotent) return;
    route.onRequest = [...hooksOf(route.onRequest), claimKey];
    route.preParsing = [...hooksOf(route.preParsing), digestBody];
    route.preHandler = [...hooksOf(route.preHandler), beginOrReplay];
    route.onResponse = [...hooksOf(route.onResponse), releaseUnfinished];
  });
}

/** A route option that takes one hook or several, as a list. */
function hooksOf<Hook>(hooks: Hook | Hook[] | undefined): Hook[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}

/** Releases a claim; a failure only delays retries until the lease ends, so it is logged. */
async function releaseQuietly(
  request: FastifyRequest,
  claim: Claim,
  service: IdempotencyService,
): Promise<void> {
  try {
    await service.release(claim);
  } catch (error) {
    request.log.warn({ err: error }, 'An Idempotency-Key could not be released.');
  }
}
