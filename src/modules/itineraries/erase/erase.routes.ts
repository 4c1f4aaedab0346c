/**
 * Itinera's erasure endpoints (docs/ACCESS.md and docs/COMPATIBILITY.md, "Deleting and
 * anonymizing trips"): `DELETE /travel/v4/trips/{id}` deletes a trip for good, and
 * `POST /travel/v4/anonymizations` anonymizes a traveller named in the body. The login id is in
 * the body, not the path, because request paths are logged (src/http/server/log-redaction.ts)
 * and a login id is personal data. Errors in v4's JSON schema; the v1.1 write scope.
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { callerOf } from '../itinerary-replies.js';
import { V4_TRIPS_PATH } from '../v4/itinerary-v4.presenter.js';
import { TripV4Path, V4ErrorResponse } from '../v4/trip-v4.requests.js';
import type { TripEraseService } from './trip-erase.service.js';

/** The path of an anonymization request. */
export const ANONYMIZATIONS_PATH = '/travel/v4/anonymizations';

/** Writes of v1.1 itineraries need `ITINER`; errors as v4 answers them. */
const ERASE_CONFIG = { scope: 'ITINER', rateLimited: true, errorFormat: 'v4-json' } as const;

const ERRORS = {
  400: V4ErrorResponse,
  401: V4ErrorResponse,
  403: V4ErrorResponse,
  404: V4ErrorResponse,
};

const AnonymizationRequest = Type.Object(
  { loginId: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);
type AnonymizationRequest = Static<typeof AnonymizationRequest>;

const AnonymizationResponse = Type.Object({
  userId: Type.String(),
  loginId: Type.String({ description: 'The login id the anonymized user now has.' }),
  trips: Type.Integer({ description: 'Trips anonymized.' }),
  bookings: Type.Integer({ description: 'Bookings anonymized.' }),
});

interface EraseRoutesOptions {
  erase: TripEraseService;
  publicBaseUrl?: string;
}

/** Registers the delete and anonymize routes. */
export async function eraseRoutes(app: FastifyInstance, options: EraseRoutesOptions) {
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  const { erase } = options;

  routes.delete(
    `${V4_TRIPS_PATH}/:id`,
    {
      config: ERASE_CONFIG,
      schema: {
        summary: 'Delete a trip permanently (Itinera extension)',
        description:
          'Administrators only. Deletes the trip, its bookings and its pending notifications; emits ItineraryDeleted. 404 once deleted.',
        tags: ['Itinerary v4'],
        params: TripV4Path,
        response: { 204: Type.Null(), ...ERRORS },
      },
    },
    async (request, reply) => {
      const { principal, baseUrl } = callerOf(request, options.publicBaseUrl);
      await erase.deleteTrip({ kind: 'caller', principal }, request.params.id, baseUrl);
      request.log.info({ tripId: request.params.id }, 'trip deleted');
      return reply.code(204).send(null);
    },
  );

  routes.post(
    ANONYMIZATIONS_PATH,
    {
      config: { ...ERASE_CONFIG, jsonBody: true },
      schema: {
        summary: "Anonymize a traveller and all of the traveller's trips (Itinera extension)",
        description:
          'Administrators only, through an app bound to no agency. Emits ItineraryAnonymized per trip.',
        tags: ['Itinerary v4'],
        body: AnonymizationRequest,
        response: { 200: AnonymizationResponse, ...ERRORS },
      },
    },
    async (request) => {
      const { principal, baseUrl } = callerOf(request, options.publicBaseUrl);
      const body: AnonymizationRequest = request.body;
      const result = await erase.anonymizeUser(
        { kind: 'caller', principal },
        body.loginId,
        baseUrl,
      );
      // Ids only: the login id sent is the person's.
      request.log.info({ userId: result.userId, trips: result.trips }, 'traveller anonymized');
      return result;
    },
  );
}
