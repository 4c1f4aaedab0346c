/** Requests of the erase tests: DELETE /travel/v4/trips/{id} and POST /travel/v4/anonymizations. */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { auth } from '../../helpers/trip-requests.js';

/** DELETE a trip. */
export function deleteTripV4(
  app: FastifyInstance,
  token: string,
  id: string,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'DELETE',
    url: `/travel/v4/trips/${encodeURIComponent(id)}`,
    headers: auth(token),
  });
}

/** POST an anonymization of `loginId`. */
export function anonymize(
  app: FastifyInstance,
  token: string,
  body: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: '/travel/v4/anonymizations',
    headers: { ...auth(token), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

/** The `errorMessage` of a v4 error answer with `status`. */
export function errorOf(response: LightMyRequestResponse, status: number): string {
  if (response.statusCode !== status) {
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
  }
  const body = response.json() as { errors: { errorMessage: string }[] };
  return body.errors[0]?.errorMessage ?? '';
}
