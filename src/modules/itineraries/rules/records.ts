/**
 * Trips and bookings as the services work on them: the values of their rows with the documents
 * parsed. The repositories (`store/`) are the only code that maps rows to records and back.
 */
import type { ExpenseReadiness } from '../../../domain/expense-readiness.js';
import type { PreparedBooking, TripSummary } from '../../../domain/trip-derivation.js';
import type { XmlNode } from '../../../xml/document.js';

/** `trip`: posted as a trip (never merged into another); `booking`: made by the merge engine. */
export type TripOrigin = 'trip' | 'booking';

/** A stored trip. */
export interface TripRecord {
  id: string;
  companyId: string;
  ownerId: string;
  name: string;
  status: number;
  /** Start/end instants for window queries: UTC when known, else the local time read as UTC. */
  startAt: number | null;
  endAt: number | null;
  createdAt: number;
  /** Last change of the trip or any of its bookings (the `lastModifiedDate` filter). */
  modifiedAt: number;
  triplinkLocator: string;
  /** The agency of the TMC app that created the trip, if any. */
  agencyId: string | null;
  origin: TripOrigin;
  /** The trip-level document: the Itinerary without its bookings and without UserLoginId. */
  document: XmlNode;
  /** The rendering stored with the trip's last write (opaque here; see `TripRenderer`). */
  rendering: string | null;
  /** 1 when created, plus one at every write: its ETag is made from it (present/trip-etag.ts). */
  version: number;
}

/** What a write stores beside a trip for the list: derived from its bookings. */
export interface TripIndex {
  /** Segment types present in the trip's bookings. */
  bookingTypes: string[];
  summary: TripSummary;
  /** Null unless every booking is a guest booking (rules/guest-bookings.ts); then their key. */
  guestKey: string | null;
}

/** A trip as a write stores it: its record, its list index and its expense readiness. */
export type TripWrite = TripRecord & TripIndex & ExpenseReadiness;

/** A stored booking: its identity, place in a trip, index values and document. */
export interface BookingRecord extends PreparedBooking {
  id: string;
  tripId: string;
  companyId: string;
  ownerId: string;
  /** The app that last posted it (null for bookings stored before apps were recorded). */
  appId: string | null;
  /** Its position among the trip's bookings, in posted order. */
  position: number;
  /** Null for the traveller's own booking; for a guest booking, its guests' key. */
  guestKey: string | null;
}

/** The owner of a trip, as views and change reports name them. */
export interface TripOwner {
  id: string;
  login_id: string;
  company_id: string;
}
