/**
 * The TMC agency rule (TMCOVR "Travel Access Control Service", docs/ACCESS.md): a TMC app acts
 * for one travel agency; trips created by another agency's TMC app are out of its reach, as if
 * they did not exist. Trips of no agency (posted by travellers, suppliers, partners or TMC apps
 * without an agency) are everyone's. The list and the merge engine apply the same rule in SQL
 * (`ofNoAgencyOr`, store/trip.repository.ts).
 */
/** The app fields the rule reads (a caller's app or a subscriber). */
export interface AgencyApp {
  kind: string;
  agencyId: string | null;
}

/** The agency an app acts for: a TMC app's agency, else none. */
export function agencyOf(app: AgencyApp): string | null {
  return app.kind === 'tmc' ? app.agencyId : null;
}

/** True when the rule hides a trip recorded under `tripAgencyId` from `app`. */
export function hiddenByAgency(app: AgencyApp, tripAgencyId: string | null): boolean {
  const own = agencyOf(app);
  return own !== null && tripAgencyId !== null && tripAgencyId !== own;
}

/** The agency a new trip is recorded under: the creating app's, if it has one. */
export const agencyOfNewTrip = agencyOf;
