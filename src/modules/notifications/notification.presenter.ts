/**
 * The documents of the notification endpoints: the `<Notification>` posted to subscribers,
 * exactly as Concur's published sample (no namespace; ObjectType, ObjectURI, EventDateTime,
 * EventType, Context, TripId), with Itinera's change description inside `Context`; and the
 * answer to a subscribe or unsubscribe call. The outbox stores the notification serialized
 * (`renderNotification`), as it is posted later.
 */
import { formatUtc } from '../../domain/dates.js';
import {
  type XmlDocument,
  type XmlElement,
  xmlDocument,
  xmlElement,
  xmlFields,
  xmlLeaf,
} from '../../xml/output/xml-output.js';
import { writeXml } from '../../xml/output/xml-output-writer.js';
import { type TripChangeKind, tripUrl } from './module-ports.js';
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

// Absent (undefined) attributes are left out by the writer.
function segmentElement(segment: SegmentChange): XmlElement {
  return xmlElement('Segment', [], {
    change: segment.change,
    type: segment.type,
    confirmationNumber: segment.confirmationNumber,
    start: segment.start,
  });
}

function bookingElement(booking: BookingChange): XmlElement {
  return xmlElement('Booking', booking.segments.map(segmentElement), {
    change: booking.change,
    source: booking.source,
    recordLocator: booking.recordLocator,
  });
}

/** `<Context><Changes>…</Changes></Context>` (docs/NOTIFICATIONS.md, "Context"). */
export function presentContext(changes: ChangeDescription): XmlElement {
  const content: XmlElement[] = [];
  if (changes.trip) {
    content.push(
      xmlElement('Trip', [], {
        change: changes.trip.change,
        fields: changes.trip.fields?.join(' '),
        mergedInto: changes.trip.mergedInto,
      }),
    );
  }
  for (const booking of changes.bookings) content.push(bookingElement(booking));
  const truncated = changes.truncated ? { truncated: 'true' } : undefined;
  return xmlElement('Context', [xmlElement('Changes', content, truncated)]);
}

/** The `<Notification>` document. */
export function presentNotification(content: NotificationContent): XmlDocument {
  const head = xmlFields({
    ObjectType: 'ITINERARY',
    ObjectURI: tripUrl(content.baseUrl, content.tripId),
    EventDateTime: formatUtc(content.eventAt),
    EventType: content.eventType,
  });
  const context = presentContext(content.changes);
  return xmlDocument(
    xmlElement('Notification', [head, context, xmlLeaf('TripId', content.tripId)]),
  );
}

/**
 * The `<Notification>` serialized, as rendered into the outbox when the change is written (the
 * outbox's `NotificationRenderer`).
 */
export function renderNotification(content: NotificationContent): string {
  return writeXml(presentNotification(content));
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
export function presentSubscription(answer: SubscriptionAnswer): XmlDocument {
  const companies = answer.companyIds.map((id) => xmlLeaf('CompanyId', id));
  const content = [
    xmlLeaf('Type', answer.type),
    xmlLeaf('Subscribed', String(answer.subscribed)),
    xmlElement('Companies', companies),
  ];
  if (answer.postbackUrl !== undefined) content.push(xmlLeaf('PostbackURL', answer.postbackUrl));
  if (answer.signingSecret !== undefined) {
    content.push(xmlLeaf('SigningSecret', answer.signingSecret));
  }
  return xmlDocument(xmlElement('Subscription', content));
}
