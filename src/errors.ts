/**
 * One error class for the whole service. Each error carries a stable code, the HTTP status it
 * maps to and a message safe to show to the client. Each wire format renders it its own way
 * (Concur XML `<Error>`, OAuth JSON), see `src/http/error-handler.ts`.
 */
export const ErrorCode = {
  BadRequest: 'bad_request',
  MalformedXml: 'malformed_xml',
  ForbiddenXmlConstruct: 'forbidden_xml_construct',
  WrongRootElement: 'wrong_root_element',
  EmptyBody: 'empty_body',
  InvalidValue: 'invalid_value',
  MissingField: 'missing_field',
  UnsupportedMediaType: 'unsupported_media_type',
  PayloadTooLarge: 'payload_too_large',
  Unauthorized: 'unauthorized',
  InsufficientScope: 'insufficient_scope',
  Forbidden: 'forbidden',
  UserNotFound: 'user_not_found',
  TripNotFound: 'trip_not_found',
  BookingNotFound: 'booking_not_found',
  NotFound: 'not_found',
  NotificationNotFound: 'notification_not_found',
  Conflict: 'conflict',
  TripTooLarge: 'trip_too_large',
  PreconditionFailed: 'precondition_failed',
  IdempotencyKeyReused: 'idempotency_key_reused',
  Gone: 'gone',
  WrongRegion: 'wrong_region',
  RateLimited: 'rate_limited',
  RequestTimeout: 'request_timeout',
  HeadersTooLarge: 'headers_too_large',
  Internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error the service raises on purpose; everything else is an unexpected 500. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  /** For 429/503: when to try again (sent as `Retry-After`). */
  retryAfterSeconds?: number;
  /** A `<Status>` value some Concur errors carry (booking cancel: `NotFound`). */
  status?: string;

  constructor(code: ErrorCode, httpStatus: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

/** Factories, so that the same problem always gets the same code, status and wording. */
export const errors = {
  badRequest: (message: string) => new AppError(ErrorCode.BadRequest, 400, message),
  malformedXml: (detail: string) =>
    new AppError(ErrorCode.MalformedXml, 400, `The request body is not well-formed XML: ${detail}`),
  forbiddenXmlConstruct: (what: string) =>
    new AppError(
      ErrorCode.ForbiddenXmlConstruct,
      400,
      `The request body contains ${what}, which is not accepted (no DOCTYPE or entity declarations).`,
    ),
  wrongRoot: (expected: string, found: string) =>
    new AppError(
      ErrorCode.WrongRootElement,
      400,
      `Expected the root element <${expected}> but found <${found}>.`,
    ),
  /**
   * The right root name (`found` as sent, with its prefix if any) in a namespace other than the
   * ones accepted: a typo, most often, which only the namespaces tell apart in the message.
   */
  wrongRootNamespace: (found: string, expectedNamespace: string, foundNamespace: string) =>
    new AppError(
      ErrorCode.WrongRootElement,
      400,
      `Expected the root element <${found.slice(found.indexOf(':') + 1)}> in the namespace ` +
        `${expectedNamespace} (or in no namespace) but found <${found}> in the namespace ` +
        `${foundNamespace}.`,
    ),
  emptyBody: (expected: string) =>
    new AppError(ErrorCode.EmptyBody, 400, `The request body is empty; expected <${expected}>.`),
  /** A write that would take a trip past its ceiling (docs/MERGE.md, "The ceiling on a trip"). */
  tripTooLarge: (what: string, value: number, limit: number, setting: string) =>
    new AppError(
      ErrorCode.TripTooLarge,
      422,
      `The trip would hold ${value} ${what}; a trip holds at most ${limit} (${setting}). ` +
        'Nothing was written: post to another trip, or remove bookings first.',
    ),
  invalidValue: (path: string, detail: string) =>
    new AppError(ErrorCode.InvalidValue, 400, `Invalid value for ${path}: ${detail}`),
  missingField: (path: string) =>
    new AppError(ErrorCode.MissingField, 400, `The required element ${path} is missing or empty.`),
  unsupportedMediaType: (type: string, expected = 'application/xml') =>
    new AppError(
      ErrorCode.UnsupportedMediaType,
      415,
      `Unsupported Content-Type '${type}'; send ${expected}.`,
    ),
  /** `source`: what named the encoding (the Content-Type charset, the XML declaration). */
  unsupportedEncoding: (name: string, source: string) =>
    new AppError(
      ErrorCode.UnsupportedMediaType,
      415,
      `The character encoding '${name.slice(0, 64)}' named by ${source} is not supported; ` +
        'send UTF-8, UTF-16, or another encoding of the IANA registry such as ISO-8859-15 or windows-1252.',
    ),
  payloadTooLarge: (limit: number) =>
    new AppError(
      ErrorCode.PayloadTooLarge,
      413,
      `The request body is larger than the limit of ${limit} bytes.`,
    ),
  unauthorized: (message = 'The Authorization header is missing.') =>
    new AppError(ErrorCode.Unauthorized, 401, message),
  insufficientScope: (scope: string) =>
    new AppError(
      ErrorCode.InsufficientScope,
      403,
      `The access token does not grant the '${scope}' scope required by this resource.`,
    ),
  forbidden: (message: string) => new AppError(ErrorCode.Forbidden, 403, message),
  userNotFound: (loginId: string) =>
    new AppError(ErrorCode.UserNotFound, 404, `No user with login id '${loginId}' was found.`),
  bookingNotFound: (source: string, confirmationNumber: string) => {
    const error = new AppError(
      ErrorCode.BookingNotFound,
      404,
      `No booking from '${source}' with confirmation number '${confirmationNumber}' was found.`,
    );
    // Concur answers a booking cancel it cannot match with Status NotFound (SPEC §2.7).
    error.status = 'NotFound';
    return error;
  },
  tripNotFound: (tripId: string) =>
    new AppError(ErrorCode.TripNotFound, 404, `The trip '${tripId}' was not found.`),
  ticketNotFound: (ticketNumber: string) =>
    new AppError(ErrorCode.NotFound, 404, `No booking holds the airline ticket '${ticketNumber}'.`),
  couponNotFound: (ticketNumber: string, couponNumber: string) =>
    new AppError(
      ErrorCode.NotFound,
      404,
      `The airline ticket '${ticketNumber}' has no coupon number ${couponNumber}.`,
    ),
  notificationNotFound: (id: string) =>
    new AppError(ErrorCode.NotificationNotFound, 404, `The notification '${id}' was not found.`),
  conflict: (message: string) => new AppError(ErrorCode.Conflict, 409, message),
  /** `If-Match` named no current ETag of the resource (RFC 9110 §13.1.1). */
  preconditionFailed: (message: string) => new AppError(ErrorCode.PreconditionFailed, 412, message),
  idempotencyKeyReused: () =>
    new AppError(
      ErrorCode.IdempotencyKeyReused,
      422,
      'This Idempotency-Key was already used for a different request (method, path, query or ' +
        'body); send a new key for a new request.',
    ),
  /** A request with the same Idempotency-Key is still being processed. */
  idempotencyKeyInUse: (retryAfterSeconds: number) => {
    const error = new AppError(
      ErrorCode.Conflict,
      409,
      'A request with this Idempotency-Key is still being processed; retry it later to get its answer.',
    );
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
  },
  gone: (message: string) => new AppError(ErrorCode.Gone, 410, message),
  wrongRegion: (geolocation: string) =>
    new AppError(
      ErrorCode.WrongRegion,
      403,
      `This user's data is served in another region; use ${geolocation}.`,
    ),
  rateLimited: (retryAfterSeconds: number) => {
    const error = new AppError(
      ErrorCode.RateLimited,
      429,
      `Too many requests for this application and company; retry in ${retryAfterSeconds} seconds.`,
    );
    error.retryAfterSeconds = retryAfterSeconds;
    return error;
  },
};

/** An OAuth 2.0 error with Concur's numeric code (SPEC §2.10), rendered as JSON. */
export class OAuthError extends AppError {
  readonly oauthError: string;
  readonly numericCode: number;
  /** Where the user belongs, when the error is that they are served elsewhere (code 16). */
  geolocation?: string;

  constructor(httpStatus: number, oauthError: string, numericCode: number, description: string) {
    super(ErrorCode.BadRequest, httpStatus, description);
    this.oauthError = oauthError;
    this.numericCode = numericCode;
  }
}
