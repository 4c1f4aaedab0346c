/**
 * What the trip list answers, for the route's `schema.response` (and so the OpenAPI document and
 * the typed client): Concur's XML `ItineraryInfoList` (wrapped in `ConnectResponse` when paged),
 * or, when `Accept` asks for JSON, the same summaries as JSON (presentTripListJson).
 */
import { Type } from '@sinclair/typebox';
import { TRIP_LIST_XSD_URL, xmlDocumentSchema } from '../../../http/api-docs/route-operation.js';

const text = (description: string) => Type.Optional(Type.String({ description }));

/** One trip of the JSON list; the names of the XML `ItineraryInfo`. */
const TripSummary = Type.Object(
  {
    TripId: Type.String(),
    TripName: Type.String(),
    TripStatus: text('With `includeCanceledTrips`: 0 active, 1 cancelled …'),
    StartDateLocal: text('Local start, `YYYY-MM-DDThh:mm:ss`.'),
    EndDateLocal: text('Local end, `YYYY-MM-DDThh:mm:ss`.'),
    UserLoginId: text("The traveller's login id (administrators' lists)."),
    DateModifiedUtc: Type.String(),
    BookingSource: text('Supplier views: the booking source.'),
    RecordLocator: text('Supplier views: the record locator.'),
    Passengers: text('Supplier views.'),
    TravelerFirst: text('Supplier views.'),
    TravelerLast: text('Supplier views.'),
    id: Type.String({ description: "The trip's details URL." }),
  },
  { additionalProperties: true },
);

const PagedTrips = Type.Object({
  Metadata: Type.Object({
    Paging: Type.Object({
      TotalItems: Type.Integer(),
      TotalPages: Type.Integer(),
      CurrentPage: Type.Integer(),
      ItemsPerPage: Type.Integer(),
      PreviousPageURL: Type.Optional(Type.String()),
      NextPageURL: Type.Optional(Type.String()),
    }),
  }),
  Data: Type.Array(TripSummary),
});

/** The list's 200: XML by default, JSON on request; paged when `Page`/`ItemsPerPage` are sent. */
export const TRIP_LIST_REPLY = {
  description: 'The trips, XML unless `Accept` asks for JSON.',
  content: {
    'application/xml': {
      schema: xmlDocumentSchema(
        'ItineraryInfoList',
        'The trips (inside `<ConnectResponse>` when paged).',
        TRIP_LIST_XSD_URL,
      ),
    },
    'application/json': {
      schema: Type.Union([Type.Array(TripSummary), PagedTrips], {
        description: 'An array of summaries, or `{ Metadata: { Paging }, Data }` when paged.',
      }),
    },
  },
};
