/**
 * Who may delete a trip or anonymize a traveller (docs/ACCESS.md, "Deleting and anonymizing"):
 * Itinera's extension, for administrators only. The operator's CLI reaches every company.
 *
 * - Deleting a trip: a user holding a company administrator's role (Web Services Administrator,
 *   Can Administer) or a company-level token, of an app that may write the trip (the v1.1 write
 *   rules: no partner app, a supplier only for trips made of its own bookings, a TMC app only
 *   for trips of no agency or its own); any other trip is 404, as a v1.1 read would say.
 * - Anonymizing a traveller: the same callers, but through an app that reaches all of the
 *   traveller's trips: a TMC (or company) app bound to no agency. A supplier or an agency's
 *   app would touch trips it may not even see.
 */
import { errors } from '../../../errors.js';
import { isAdmin, type Principal, READ_ADMIN_ROLES } from '../../accounts/index.js';
import { hiddenByAgency } from '../access/agency-rule.js';
import { assertMayChangeTrip, assertMayWrite } from '../access/write-permissions.js';
import type { TripRecord } from '../rules/records.js';

/** Who erases: a caller of the API, or the operator (CLI), who reaches everything. */
export type EraseActor = { kind: 'caller'; principal: Principal } | { kind: 'operator' };

/** Refuses callers that are not administrators (403, before anything is looked up). */
export function assertAdministrator(actor: EraseActor): void {
  if (actor.kind === 'operator') return;
  const { principal } = actor;
  if (!isAdmin(principal, READ_ADMIN_ROLES)) {
    throw errors.forbidden(
      'Only a company administrator (Web Services Administrator or Can Administer) or a company-level token may delete trips or anonymize travellers.',
    );
  }
  assertMayWrite(principal);
}

/** Whether the trip lies within the actor's reach (company, agency); else it is 404. */
export function reachesTrip(actor: EraseActor, trip: TripRecord): boolean {
  if (actor.kind === 'operator') return true;
  const { principal } = actor;
  return (
    principal.companyIds.includes(trip.companyId) && !hiddenByAgency(principal.app, trip.agencyId)
  );
}

/** Checks the actor may delete this trip, holding bookings of `sources` (a supplier's rule). */
export function assertMayDelete(actor: EraseActor, trip: TripRecord, sources: string[]): void {
  if (actor.kind === 'caller') assertMayChangeTrip(actor.principal, trip.id, sources);
}

/** Whether the actor reaches users of this company (else the user is 404). */
export function reachesCompany(actor: EraseActor, companyId: string): boolean {
  return actor.kind === 'operator' || actor.principal.companyIds.includes(companyId);
}

/** Refuses an anonymization through an app that does not reach every trip (see above). */
export function assertMayAnonymize(actor: EraseActor): void {
  if (actor.kind === 'operator') return;
  const { app } = actor.principal;
  if (app.kind !== 'tmc' || app.agencyId !== null) {
    throw errors.forbidden(
      `The application '${app.name}' does not reach every trip of a traveller (it is a supplier's or an agency's); only an application bound to no agency may anonymize a traveller.`,
    );
  }
}
