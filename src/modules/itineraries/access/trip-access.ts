/**
 * Which trip a caller may act on, and for whom: shared by the trip and booking services.
 * 404 when the trip does not exist or lies outside the caller's reach (another company, another
 * agency), so ids do not leak; 403 when it belongs to a user the caller may not act for.
 */
import type { Executor, UserRow } from '../../../db/database.js';
import { errors } from '../../../errors.js';
import {
  type AdminRole,
  findUserById,
  isAdmin,
  type Principal,
  resolveActingTarget,
  type UserSelector,
} from '../../accounts/index.js';
import type { TripRecord } from '../rules/records.js';
import { findTripById } from '../store/trip.repository.js';
import { hiddenByAgency } from './agency-rule.js';

/** The one user a call acts for (`userid_value=ALL` is for listing only). */
export async function resolveActingUser(
  db: Executor,
  principal: Principal,
  selector: UserSelector,
  roles: readonly AdminRole[],
): Promise<UserRow> {
  const target = await resolveActingTarget(db, principal, selector, { adminRoles: roles });
  if (target.kind !== 'user') throw errors.badRequest('userid_value=ALL is only for listing.');
  return target.user;
}

/** Loads a trip the caller may act on for `target` (see the file comment for the statuses). */
export async function loadAccessibleTrip(
  db: Executor,
  principal: Principal,
  tripId: string,
  target: UserRow,
  roles: readonly AdminRole[],
): Promise<TripRecord> {
  return accessibleTrip(principal, tripId, await findTripById(db, tripId), target, roles);
}

/**
 * `trip` (as read for `tripId`; undefined when there is none) if the caller may act on it for
 * `target`; else the 404 or 403 of the file comment.
 */
export function accessibleTrip(
  principal: Principal,
  tripId: string,
  trip: TripRecord | undefined,
  target: UserRow,
  roles: readonly AdminRole[],
): TripRecord {
  // Another agency's trip is as invisible to a TMC app as another company's.
  if (
    !trip ||
    !principal.companyIds.includes(trip.companyId) ||
    hiddenByAgency(principal.app, trip.agencyId)
  ) {
    throw errors.tripNotFound(tripId);
  }
  if (trip.ownerId !== target.id && !isAdmin(principal, roles)) {
    throw errors.forbidden(`The trip '${tripId}' belongs to another user.`);
  }
  return trip;
}

/**
 * The owner of an existing trip the caller wants to change, after checking the caller may act
 * for them. Writes lock and store under the owner, whoever the caller is.
 */
export async function resolveTripOwner(
  db: Executor,
  principal: Principal,
  selector: UserSelector,
  tripId: string,
  roles: readonly AdminRole[],
): Promise<UserRow> {
  const target = await resolveActingUser(db, principal, selector, roles);
  const trip = await loadAccessibleTrip(db, principal, tripId, target, roles);
  return ownerOf(db, trip, target);
}

/** The owner of a trip loaded for `target`: the target itself, or the user the trip is of. */
export async function ownerOf(db: Executor, trip: TripRecord, target: UserRow): Promise<UserRow> {
  if (trip.ownerId === target.id) return target;
  const owner = await findUserById(db, trip.ownerId);
  if (!owner) throw errors.tripNotFound(trip.id);
  return owner;
}
