/**
 * The documents of the notification endpoints: the `<Notification>` posted to subscribers,
 * exactly as Concur's published sample (no namespace; ObjectType, ObjectURI, EventDateTime,
 * EventType, Context, TripId), with Itinera's change description inside `Context`; and the
 * answer to a subscribe or unsubscribe call.
 */
import { formatUtc } from '../../domain/dates.js';
import { wrapXmlContent, writeXmlChildren, XML_DECLARATION } from '../../xml/xml-writer.js';
import { type TripChangeKind, tripUrl } from '../itineraries/index.js';
import type {
  BookingChange,
  ChangeDescription,
  SegmentChange,
} from './outbox/notification-changes.js';

/** What a notification reports: the kinds of trip change (`EventType`). */
export type NotificationEventType = TripChangeKind;

/** What one notification says. */
export interface NotificationContent {
  tripId: string;
  eventType: NotificationEventType;
  /** When the change was written (epoch ms). */
  eventAt: number;
  /** Base URL of the trip's details URL (as the trip's `id` element uses). */
  baseUrl: string;
  changes: ChangeDescription;
}

/** Attributes without the absent ones. */
function attributes(values: Record<string, string | undefined>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(values))
    if (value !== undefined) present[name] = value;
  return present;
}

function segmentXml(segment: SegmentChange): string {
  return wrapXmlContent(
    'Segment',
    '',
    attributes({
      change: segment.change,
      type: segment.type,
      confirmationNumber: segment.confirmationNumber,
      start: segment.start,
    }),
  );
}

function bookingXml(booking: BookingChange): string {
  return wrapXmlContent(
    'Booking',
    booking.segments.map(segmentXml).join(''),
    attributes({
      change: booking.change,
      source: booking.source,
      recordLocator: booking.recordLocator,
    }),
  );
}

/** `<Context><Changes>…</Changes></Context>` (docs/NOTIFICATIONS.md, "Context"). */
export function renderContext(changes: ChangeDescription): string {
  let content = '';
  if (changes.trip) {
    content += wrapXmlContent(
      'Trip',
      '',
      attributes({
        change: changes.trip.change,
        fields: changes.trip.fields?.join(' '),
        mergedInto: changes.trip.mergedInto,
      }),
    );
  }
  content += changes.bookings.map(bookingXml).join('');
  const inner = wrapXmlContent(
    'Changes',
    content,
    changes.truncated ? { truncated: 'true' } : undefined,
  );
  return wrapXmlContent('Context', inner);
}

/** The `<Notification>` document, as rendered into the outbox when the change is written. */
export function renderNotification(content: NotificationContent): string {
  const head = writeXmlChildren({
    ObjectType: 'ITINERARY',
    ObjectURI: tripUrl(content.baseUrl, content.tripId),
    EventDateTime: formatUtc(content.eventAt),
    EventType: content.eventType,
  });
  const tail = writeXmlChildren({ TripId: content.tripId });
  return (
    XML_DECLARATION + wrapXmlContent('Notification', head + renderContext(content.changes) + tail)
  );
}

/** What a subscribe or unsubscribe call answers. */
export interface SubscriptionAnswer {
  type: string;
  subscribed: boolean;
  companyIds: readonly string[];
  postbackUrl?: string;
  signingSecret?: string;
}

/**
 * The answer to subscribe/unsubscribe. Concur documents no body; clients that ignore it lose
 * nothing, and new ones learn where notifications go and how to check their signatures.
 */
export function presentSubscription(answer: SubscriptionAnswer): string {
  let content = writeXmlChildren({ Type: answer.type, Subscribed: String(answer.subscribed) });
  content += wrapXmlContent(
    'Companies',
    answer.companyIds.map((id) => writeXmlChildren({ CompanyId: id })).join(''),
  );
  if (answer.postbackUrl !== undefined) {
    content += writeXmlChildren({ PostbackURL: answer.postbackUrl });
  }
  if (answer.signingSecret !== undefined) {
    content += writeXmlChildren({ SigningSecret: answer.signingSecret });
  }
  return XML_DECLARATION + wrapXmlContent('Subscription', content);
}
