/**
 * What a trip change changed, as one subscriber may see it: the `Context` of a notification
 * (docs/NOTIFICATIONS.md). Pure: the trip before and after the change go in, a plain change
 * description comes out, which the presenter renders.
 *
 * Bookings are matched by identity (BookingSource + RecordLocator). Segments within a booking
 * are matched by type, ConfirmationNumber and rank: segments sharing a type and confirmation
 * number (two flights of one ticket) are told apart by their order of StartDateLocal. Live and
 * cancelled segments are matched together, so a segment that moves from live to cancelled is
 * "cancelled", not removed and added.
 *
 * Every comparison is made on what the audience sees (trip-visibility.ts): a TripLink supplier
 * learns of no change to a field it cannot read, and no record locator or confirmation number
 * of another source's booking.
 */
import { bookingIdentity } from '../../../domain/trip-derivation.js';
import { leaf, list, type XmlListItem, type XmlNode } from '../../../xml/document.js';
import {
  type Audience,
  CANCELLED_SEGMENTS,
  ownsBooking,
  supplierSegment,
  type TripView,
  visibleBooking,
  visibleTrip,
} from '../module-ports.js';

/** At most this many entries (trip, bookings and segments) in one Context: it stays small. */
export const MAX_CONTEXT_ENTRIES = 50;

export type EntryChange = 'added' | 'changed' | 'removed' | 'cancelled';

export interface SegmentChange {
  change: EntryChange;
  /** Segment element name: Air, Car, Hotel … */
  type: string;
  confirmationNumber?: string;
  /** StartDateLocal as the audience sees it. */
  start?: string;
}

export interface BookingChange {
  change: EntryChange;
  source: string;
  /** Absent where the audience may not see it (another source's booking, for a supplier). */
  recordLocator?: string;
  segments: SegmentChange[];
}

/** A change of the trip itself: fields changed, or the trip deleted (merged into another). */
export interface TripLevelChange {
  change: 'changed' | 'deleted' | 'merged';
  /** Names of the trip-level elements that changed (sorted). */
  fields?: string[];
  /** The trip a deleted trip's bookings now belong to. */
  mergedInto?: string;
}

/** The Context of one notification. */
export interface ChangeDescription {
  trip?: TripLevelChange;
  bookings: BookingChange[];
  /** True when entries beyond MAX_CONTEXT_ENTRIES were left out. */
  truncated: boolean;
}

/** Elements that change on every write or are internal: never reported as changes. */
const VOLATILE = new Set(['DateModifiedUtc', 'id', 'Bookings', 'Segments', CANCELLED_SEGMENTS]);

/** Compares nodes by content (key order ignored), leaving out volatile and internal keys. */
function canonical(value: unknown, top = true): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, false)).join(',')}]`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node)
    .filter((k) => !(top && (VOLATILE.has(k) || k.startsWith('__') || k === 'DateCancelledUtc')))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(node[k], false)}`).join(',')}}`;
}

interface KeyedSegment {
  item: XmlListItem;
  cancelled: boolean;
}

/** A booking's segments (cancelled ones first, then live ones) by matching key. */
function keyedSegments(booking: XmlNode): Map<string, KeyedSegment> {
  const all: KeyedSegment[] = [
    ...list(booking, CANCELLED_SEGMENTS).map((item) => ({ item, cancelled: true })),
    ...list(booking, 'Segments').map((item) => ({ item, cancelled: false })),
  ];
  const groups = new Map<string, KeyedSegment[]>();
  for (const segment of all) {
    const group = `${segment.item.element}\u0000${leaf(segment.item.node, 'ConfirmationNumber') ?? ''}`;
    const members = groups.get(group) ?? [];
    members.push(segment);
    groups.set(group, members);
  }
  const keyed = new Map<string, KeyedSegment>();
  for (const [group, members] of groups) {
    // A stable sort: equal start times keep their stored order.
    const ranked = [...members].sort((a, b) =>
      (leaf(a.item.node, 'StartDateLocal') ?? '').localeCompare(
        leaf(b.item.node, 'StartDateLocal') ?? '',
      ),
    );
    for (const [rank, segment] of ranked.entries()) keyed.set(`${group}\u0000${rank}`, segment);
  }
  return keyed;
}

/** Adds entries while the cap allows; remembers that some were left out. */
class Budget {
  used = 0;
  truncated = false;
  take(): boolean {
    if (this.used >= MAX_CONTEXT_ENTRIES) {
      this.truncated = true;
      return false;
    }
    this.used++;
    return true;
  }
}

function shownSegment(segment: KeyedSegment, owned: boolean, audience: Audience) {
  return audience.kind === 'full' ? segment.item : supplierSegment(segment.item, owned);
}

function segmentEntry(change: EntryChange, shown: XmlListItem): SegmentChange {
  const entry: SegmentChange = { change, type: shown.element };
  const confirmation = leaf(shown.node, 'ConfirmationNumber');
  if (confirmation) entry.confirmationNumber = confirmation;
  const start = leaf(shown.node, 'StartDateLocal');
  if (start) entry.start = start;
  return entry;
}

/** Segment changes of one booking, and whether its visible live segments all went. */
function segmentChanges(
  before: XmlNode | undefined,
  after: XmlNode | undefined,
  audience: Audience,
  budget: Budget,
): { changes: SegmentChange[]; cancelledAll: boolean } {
  const owned = ownsBooking(audience, after ?? before ?? {});
  const old = before ? keyedSegments(before) : new Map<string, KeyedSegment>();
  const now = after ? keyedSegments(after) : new Map<string, KeyedSegment>();
  const changes: SegmentChange[] = [];
  let liveBefore = 0;
  let liveAfter = 0;
  let cancelledAfter = 0;
  const visit = (key: string) => {
    const was = old.get(key);
    const is = now.get(key);
    const wasShown = was && shownSegment(was, owned, audience);
    const isShown = is && shownSegment(is, owned, audience);
    if (wasShown && !was?.cancelled) liveBefore++;
    if (isShown && !is?.cancelled) liveAfter++;
    if (isShown && is?.cancelled) cancelledAfter++;
    let change: EntryChange | undefined;
    if (!wasShown && isShown) change = is?.cancelled ? 'cancelled' : 'added';
    else if (wasShown && !isShown) change = 'removed';
    else if (wasShown && isShown) {
      if (!was?.cancelled && is?.cancelled) change = 'cancelled';
      else if (was?.cancelled && !is?.cancelled) change = 'added';
      else if (canonical(wasShown.node) !== canonical(isShown.node)) change = 'changed';
    }
    const shown = isShown ?? wasShown;
    if (change && shown && budget.take()) changes.push(segmentEntry(change, shown));
  };
  for (const key of now.keys()) visit(key);
  for (const key of old.keys()) if (!now.has(key)) visit(key);
  return { changes, cancelledAll: liveBefore > 0 && liveAfter === 0 && cancelledAfter > 0 };
}

function bookingKey(booking: XmlNode): string {
  return bookingIdentity(
    leaf(booking, 'BookingSource') ?? '',
    leaf(booking, 'RecordLocator') ?? '',
  );
}

function bookingChange(
  before: XmlNode | undefined,
  after: XmlNode | undefined,
  audience: Audience,
  budget: Budget,
): BookingChange | undefined {
  const full = (after ?? before) as XmlNode;
  const shown = visibleBooking(full, audience);
  if (budget.used >= MAX_CONTEXT_ENTRIES) {
    budget.truncated = true;
    return undefined;
  }
  // Reserve the booking's own entry before its segments take theirs.
  budget.used++;
  const { changes, cancelledAll } = segmentChanges(before, after, audience, budget);
  let change: EntryChange | undefined;
  if (!before) change = 'added';
  else if (!after) change = 'removed';
  else if (cancelledAll) change = 'cancelled';
  else if (
    changes.length > 0 ||
    canonical(visibleBooking(before, audience)) !== canonical(visibleBooking(after, audience))
  ) {
    change = 'changed';
  }
  if (!change) {
    budget.used--;
    return undefined;
  }
  const entry: BookingChange = {
    change,
    source: leaf(full, 'BookingSource') ?? '',
    segments: changes,
  };
  const locator = leaf(shown, 'RecordLocator');
  if (locator) entry.recordLocator = locator;
  return entry;
}

function changedTripFields(before: TripView, after: TripView, audience: Audience): string[] {
  const old = visibleTrip(before, audience).document;
  const now = visibleTrip(after, audience).document;
  const names = new Set([...Object.keys(old), ...Object.keys(now)]);
  return [...names]
    .filter((name) => !VOLATILE.has(name) && !name.startsWith('__'))
    .filter((name) => canonical(old[name], false) !== canonical(now[name], false))
    .sort();
}

/**
 * What changed between `before` (absent: the trip is new) and `after` (absent: the trip was
 * deleted, its bookings merged into `mergedInto` when given), as `audience` may see it.
 */
export function describeChanges(
  before: TripView | undefined,
  after: TripView | undefined,
  audience: Audience,
  options: { mergedInto?: string } = {},
): ChangeDescription {
  const budget = new Budget();
  const description: ChangeDescription = { bookings: [], truncated: false };
  if (before && !after) {
    budget.take();
    description.trip = options.mergedInto
      ? { change: 'merged', mergedInto: options.mergedInto }
      : { change: 'deleted' };
  } else if (before && after) {
    const fields = changedTripFields(before, after, audience);
    if (fields.length > 0 && budget.take()) description.trip = { change: 'changed', fields };
  }
  const old = new Map((before?.bookings ?? []).map((b) => [bookingKey(b), b]));
  const now = after?.bookings ?? [];
  const seen = new Set<string>();
  for (const booking of now) {
    const key = bookingKey(booking);
    seen.add(key);
    const entry = bookingChange(old.get(key), booking, audience, budget);
    if (entry) description.bookings.push(entry);
  }
  for (const [key, booking] of old) {
    if (seen.has(key)) continue;
    const entry = bookingChange(booking, undefined, audience, budget);
    if (entry) description.bookings.push(entry);
  }
  description.truncated = budget.truncated;
  return description;
}
