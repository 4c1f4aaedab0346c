/**
 * The caller of an itinerary route as its answers need it (who it is, what it may see, the base
 * URL of its links), and a trip answered as that caller may see it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bookingIdentity } from '../../domain/trip-derivation.js';
import { errors } from '../../errors.js';
import { baseUrlOf } from '../../http/base-url.js';
import {
  type EntityTagCondition,
  ifMatchHolds,
} from '../../http/conditional/conditional-requests.js';
import type { RecordedAnswer } from '../../http/route-config.js';
import { XML_CONTENT_TYPE } from '../../http/xml-reply.js';
import { leaf } from '../../xml/document.js';
import type { XmlDocument } from '../../xml/output/xml-output.js';
import { writeXml } from '../../xml/output/xml-output-writer.js';
import { isAdmin, type Principal, principalOf, READ_ADMIN_ROLES } from '../accounts/index.js';
import { type Audience, audienceOf, visibleTrip } from './access/trip-visibility.js';
import { presentItinerary, presentPostedBooking } from './present/itinerary.presenter.js';
import { type EtagViewer, tripEtag } from './present/trip-etag.js';
import type { TripView } from './rules/trip-view.js';
import type { WriteHooks } from './traveller-writes.js';

/** The caller of an itinerary route. */
export interface ItineraryCaller {
  principal: Principal;
  /** What of a trip the caller may see (a supplier: its own bookings). */
  audience: Audience;
  /** Read administrators see whose trip it is (the traveller's login id). */
  showLoginId: boolean;
  /** The service's base URL as the caller reached it, or the configured public one. */
  baseUrl: string;
}

/** The caller of a route that requires a token; `publicBaseUrl` overrides the request's. */
export function callerOf(request: FastifyRequest, publicBaseUrl?: string): ItineraryCaller {
  const principal = principalOf(request);
  return {
    principal,
    audience: audienceOf(principal),
    showLoginId: isAdmin(principal, READ_ADMIN_ROLES),
    baseUrl: publicBaseUrl ?? baseUrlOf(request),
  };
}

/** A write's answer, as sent and as stored for the retries of an `Idempotency-Key`. */
export type WriteAnswer = RecordedAnswer;

/** What a write route gives its service (`beforeCommit`) and how it then answers. */
export interface AnswerRecording<T> {
  /** Defined when the request holds an `Idempotency-Key`: stores the answer of `result`. */
  beforeCommit?: WriteHooks<T>['beforeCommit'];
  /** Sends the answer of `result` (the very bytes stored, when they were). */
  send(reply: FastifyReply, result: T): FastifyReply;
}

/**
 * How a write route answers when its answer may have to be replayed: rendered inside the
 * write's transaction and stored there (`request.answerRecorder`, set by the idempotency
 * hooks), so that a committed write always has its answer stored and a rolled-back one none;
 * then the same bytes are sent.
 */
export function recordAnswer<T>(
  request: FastifyRequest,
  render: (result: T) => WriteAnswer,
): AnswerRecording<T> {
  const recorder = request.answerRecorder;
  let stored: WriteAnswer | undefined;
  return {
    beforeCommit: recorder
      ? async (trx, result) => {
          const answer = render(result);
          await recorder.record(trx, answer);
          stored = answer;
        }
      : undefined,
    send(reply, result) {
      // Reached once the write committed: its stored answer is final.
      if (recorder && stored) recorder.committed();
      const { status, headers, body } = stored ?? render(result);
      return reply.status(status).headers(headers).send(body);
    },
  };
}

/** Who sees a trip, as its ETag tells them apart (present/trip-etag.ts). */
export function etagViewerOf(
  caller: ItineraryCaller,
  rendering: EtagViewer['rendering'] = 'xml',
): EtagViewer {
  const { audience, showLoginId, baseUrl } = caller;
  return { audience, showLoginId, baseUrl, rendering };
}

/** An XML answer with 200, and the trip's new ETag when it names one (the trip's details'). */
function xmlAnswer(document: XmlDocument, caller: ItineraryCaller, view?: TripView): WriteAnswer {
  const headers: Record<string, string> = { 'content-type': XML_CONTENT_TYPE };
  if (view?.version !== undefined) {
    headers.etag = tripEtag(
      { id: view.id, version: view.version, owner: view.owner },
      etagViewerOf(caller),
    );
  }
  return { status: 200, headers, body: writeXml(document) };
}

/** The answer to a trip write: the trip as the caller may see it, with its new ETag. */
export function tripAnswer(caller: ItineraryCaller, view: TripView): WriteAnswer {
  const visible = visibleTrip(view, caller.audience);
  const document = presentItinerary(visible, {
    baseUrl: caller.baseUrl,
    showLoginId: caller.showLoginId,
  });
  return xmlAnswer(document, caller, view);
}

/** An answer that names no trip (booking cancel, UpdateCoupon). */
export function documentAnswer(document: XmlDocument, caller: ItineraryCaller): WriteAnswer {
  return xmlAnswer(document, caller);
}

/**
 * The `If-Match` precondition of a trip replace or cancel, checked by the service under the
 * traveller's lock, so that of two writers holding the same ETag only the first may write.
 */
export function ifMatchPrecondition(
  condition: EntityTagCondition | undefined,
  caller: ItineraryCaller,
): WriteHooks<TripView>['precondition'] {
  if (condition === undefined) return undefined;
  return (trip) => {
    if (!ifMatchHolds(condition, tripEtag(trip, etagViewerOf(caller)))) {
      throw errors.preconditionFailed(
        `The trip '${trip.id}' has changed since the ETag named by If-Match was read; ` +
          'read it again and re-apply the change. Nothing was written.',
      );
    }
  };
}

/**
 * The answer to a booking POST: the trip as the caller may see it, in the booking sample's shape
 * (`presentPostedBooking`): the posted booking, found by its BookingSource and RecordLocator,
 * under `<Itinerary>`, with the trip's new ETag. Should it not be visible (never expected: the
 * poster sees its own booking), the trip is answered without it.
 */
export function postedBookingAnswer(
  caller: ItineraryCaller,
  view: TripView,
  posted: { source: string; recordLocator: string },
) {
  const visible = visibleTrip(view, caller.audience);
  const identity = bookingIdentity(posted.source, posted.recordLocator);
  const booking = visible.bookings.find(
    (b) =>
      bookingIdentity(leaf(b, 'BookingSource') ?? '', leaf(b, 'RecordLocator') ?? '') === identity,
  );
  const document = presentPostedBooking(visible, booking ?? {}, {
    baseUrl: caller.baseUrl,
    showLoginId: caller.showLoginId,
  });
  return xmlAnswer(document, caller, view);
}
