/**
 * Deleting a trip for good and anonymizing a traveller's trips (the right to be forgotten;
 * docs/COMPATIBILITY.md, "Deleting and anonymizing trips"). Each is one unit of work under the
 * traveller's lock (traveller-writes.ts): the stores that keep data of the trips forget it, the
 * change is reported (ItineraryDeleted / ItineraryAnonymized, v1.1 CANCEL / UPDATE) and written
 * to the feed, all in one transaction. Nothing here logs: a log line would have to name the
 * traveller, and the routes log ids only.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../../../db/database.js';
import { formatUtc } from '../../../domain/dates.js';
import { errors } from '../../../errors.js';
import {
  anonymizeUserRow,
  evictCachedUser,
  findUserById,
  findUserByLoginId,
} from '../../accounts/index.js';
import { rebuildTrip } from '../rules/booking-merge.js';
import type { BookingRecord } from '../rules/records.js';
import {
  deleteBookingsOfTrip,
  findBookingsOfTrip,
  updateBooking,
} from '../store/booking.repository.js';
import { deleteTrip, findTripById } from '../store/trip.repository.js';
import type { TravellerWrites } from '../traveller-writes.js';
import { snapshotTrip, type TripDataHolder } from '../trip-changes.js';
import type { TripWriteBack } from '../trip-write-back.js';
import {
  ANONYMOUS_FIRST_NAME,
  ANONYMOUS_LAST_NAME,
  anonymizeNode,
  namesIn,
  type PersonalWords,
  personalWordsOf,
} from './anonymize-rules.js';
import {
  assertAdministrator,
  assertMayAnonymize,
  assertMayDelete,
  type EraseActor,
  reachesCompany,
  reachesTrip,
} from './erase-access.js';
import { findTripIdsOfOwner } from './trip-erase.repository.js';

/** What an anonymization did. */
export interface AnonymizeResult {
  /** The traveller's user id (unchanged) and new login id. */
  userId: string;
  loginId: string;
  trips: number;
  bookings: number;
}

/** The login id an anonymized user gets: unique, and saying nothing of the person. */
export function anonymousLoginId(userId: string): string {
  return `${userId}@anonymized.invalid`.toLowerCase();
}

/** A guest booking stays a guest booking, but its key no longer derives from the guests' names. */
function anonymousGuestKey(tripId: string): string {
  return createHash('sha256').update(`anonymized\n${tripId}`).digest('base64url');
}

export class TripEraseService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writes: TravellerWrites,
    private readonly writeBack: TripWriteBack,
    /** Every store that keeps data of trips besides the trips themselves (outboxes, replays). */
    private readonly holders: readonly TripDataHolder[],
  ) {}

  /** Deletes a trip, its bookings, ticket index and rendering; 404 once it is gone. */
  async deleteTrip(actor: EraseActor, tripId: string, baseUrl: string): Promise<void> {
    assertAdministrator(actor);
    if (tripId.includes('\u0000')) throw errors.tripNotFound(tripId);
    const found = await findTripById(this.db, tripId);
    if (!found || !reachesTrip(actor, found)) throw errors.tripNotFound(tripId);
    const owner = await findUserById(this.db, found.ownerId);
    if (!owner) throw errors.tripNotFound(tripId);
    await this.writes.run(owner, baseUrl, async (trx, { now, changes }) => {
      // Read again under the lock: a concurrent DELETE may have won (then this one is 404).
      const trip = await findTripById(trx, tripId);
      if (!trip) throw errors.tripNotFound(tripId);
      const bookings = await findBookingsOfTrip(trx, tripId);
      assertMayDelete(
        actor,
        trip,
        bookings.map((b) => b.source),
      );
      await this.forget(trx, [tripId]);
      await changes?.record(trx, {
        eventType: 'DELETE',
        tripId,
        agencyId: trip.agencyId,
        owner,
        before: snapshotTrip(trip, bookings, owner),
        now,
      });
      await deleteBookingsOfTrip(trx, tripId);
      // The ticket index goes with the row (foreign key); the feed gets `deleted`.
      await deleteTrip(trx, tripId);
    });
  }

  /**
   * Anonymizes a traveller: the profile (names placeholders, login id replaced, e-mail and
   * password cleared, deactivated) and every trip of theirs (anonymize-rules.ts), each re-stored
   * through the write-back (rendering, list index, guest keys, ticket index, version).
   * `companyId`: the operator's check that the login id is of that company (the CLI's
   * `--company`).
   */
  async anonymizeUser(
    actor: EraseActor,
    loginId: string,
    baseUrl: string,
    companyId?: string,
  ): Promise<AnonymizeResult> {
    assertAdministrator(actor);
    assertMayAnonymize(actor);
    const user = await findUserByLoginId(this.db, loginId);
    if (
      !user ||
      !reachesCompany(actor, user.company_id) ||
      (companyId !== undefined && user.company_id !== companyId)
    ) {
      throw errors.userNotFound(loginId);
    }
    const result = await this.writes.run(user, baseUrl, async (trx, { now, changes }) => {
      const tripIds = await findTripIdsOfOwner(trx, user.id);
      const trips = [];
      const names: string[] = [user.first_name ?? '', user.last_name ?? ''];
      names.push(`${user.first_name ?? ''} ${user.last_name ?? ''}`);
      for (const tripId of tripIds) {
        const trip = await findTripById(trx, tripId);
        if (!trip) continue;
        const bookings = await findBookingsOfTrip(trx, tripId);
        namesIn(trip.document, names);
        for (const booking of bookings) namesIn(booking.document, names);
        trips.push({ trip, bookings });
      }
      const personal = personalWordsOf(names, [user.login_id, user.email]);
      const profile = {
        loginId: anonymousLoginId(user.id),
        firstName: ANONYMOUS_FIRST_NAME,
        lastName: ANONYMOUS_LAST_NAME,
      };
      await anonymizeUserRow(trx, user.id, profile);
      const owner: UserRow = {
        ...user,
        login_id: profile.loginId,
        first_name: profile.firstName,
        last_name: profile.lastName,
        email: null,
        password_hash: null,
        active: 0,
      };
      await this.forget(trx, tripIds);
      let bookingCount = 0;
      for (const { trip, bookings } of trips) {
        const anonymized = await this.anonymizeBookings(trx, bookings, personal, now);
        bookingCount += anonymized.length;
        const document = anonymizeNode(trip.document, personal);
        if (document.DateModifiedUtc !== undefined) document.DateModifiedUtc = formatUtc(now);
        const rebuilt = rebuildTrip({ ...trip, document }, anonymized, now);
        const view = await this.writeBack.update(
          trx,
          { ...rebuilt, bookings: anonymized.map((b) => b.document) },
          owner,
          { anonymized: true },
        );
        await changes?.record(trx, {
          eventType: 'ANONYMIZE',
          tripId: trip.id,
          agencyId: trip.agencyId,
          owner,
          after: view,
          now,
        });
      }
      return {
        userId: user.id,
        loginId: profile.loginId,
        trips: trips.length,
        bookings: bookingCount,
      };
    });
    // The old login id names nobody now: not even in this process's look-up cache.
    evictCachedUser(this.db, user.login_id);
    return result;
  }

  private async anonymizeBookings(
    trx: Transaction<Database>,
    bookings: readonly BookingRecord[],
    personal: PersonalWords,
    now: number,
  ): Promise<BookingRecord[]> {
    const result: BookingRecord[] = [];
    for (const booking of bookings) {
      const document = anonymizeNode(booking.document, personal);
      const guestKey = booking.guestKey === null ? null : anonymousGuestKey(booking.tripId);
      await updateBooking(trx, booking.id, { document, modifiedAt: now, guestKey });
      result.push({ ...booking, document, guestKey, modifiedAt: now });
    }
    return result;
  }

  private async forget(trx: Transaction<Database>, tripIds: readonly string[]): Promise<void> {
    for (const holder of this.holders) await holder.forget(trx, tripIds);
  }
}
