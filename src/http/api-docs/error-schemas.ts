/**
 * The two shapes every error is rendered in, defined once: Concur's XML `<Error>` (the default)
 * and Itinera's JSON error, answered when the client asks for JSON (`Accept`) or the route
 * speaks JSON. Both carry the same stable code and message (src/errors.ts); the error handler
 * builds its JSON answers with `JsonErrorBody`, and the OpenAPI document describes both from here.
 */
import { type Static, Type } from '@sinclair/typebox';

/** The JSON error body: `{ error, message, correlationId, status? }`. */
export const JsonErrorSchema = Type.Object(
  {
    error: Type.String({
      description: 'Stable error code, the `<Code>` of the XML form (src/errors.ts).',
      examples: ['trip_not_found'],
    }),
    message: Type.String({ description: 'What was wrong, safe to show; the XML `<Message>`.' }),
    correlationId: Type.String({
      description:
        'The request id, also sent as the `concur-correlationid` header; the XML `<Id>`.',
    }),
    status: Type.Optional(
      Type.String({
        description: "Concur's `<Status>`, when the error has one (e.g. `NotFound`).",
      }),
    ),
  },
  { $id: 'JsonError', title: 'JsonError', additionalProperties: false },
);

/** A JSON error body, as the error handler sends it. */
export type JsonErrorBody = Static<typeof JsonErrorSchema>;

/** Concur's `<Error>` document, as the OpenAPI document describes it. */
export const XML_ERROR_SCHEMA = {
  type: 'string' as const,
  description:
    "Concur's error document: `<Error><Message/><Server-Time/><Id/><Code/><Status/></Error>` " +
    '(`Code` is the stable code; `Status` only when the error has one).',
  examples: [
    '<?xml version="1.0" encoding="utf-8"?><Error><Message>The trip \'x\' was not found.</Message>' +
      '<Server-Time>2026-12-03T10:00:00</Server-Time><Id>4b1c…</Id><Code>trip_not_found</Code></Error>',
  ],
  xml: { name: 'Error' },
};

/** The OAuth 2.0 error of the token endpoints, with Concur's numeric code (SPEC §2.10). */
export const OAUTH_ERROR_SCHEMA = {
  type: 'object' as const,
  title: 'OAuthError',
  required: ['code', 'error', 'error_description'],
  properties: {
    code: {
      type: 'integer' as const,
      description: "Concur's numeric error code (0 when it has none).",
    },
    error: {
      type: 'string' as const,
      description: 'The RFC 6749 error name, e.g. `invalid_grant`.',
    },
    error_description: { type: 'string' as const },
    geolocation: {
      type: 'string' as const,
      description: 'Where the user is served, when elsewhere.',
    },
  },
};

/** Itinerary v4's "Error Schema" (v4.itinerary.md): a list of errors with a code and a message. */
export const V4_ERROR_SCHEMA = {
  type: 'object' as const,
  title: 'V4Error',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array' as const,
      items: {
        type: 'object' as const,
        required: ['errorCode', 'errorMessage'],
        properties: {
          errorCode: { type: 'string' as const, description: 'The stable error code.' },
          errorMessage: { type: 'string' as const },
        },
      },
    },
  },
};
