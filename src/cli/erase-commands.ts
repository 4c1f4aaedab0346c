/**
 * `itinera delete-trip` and `itinera anonymize-user`: the operator's way to the right to be
 * forgotten, through the same services as DELETE /travel/v4/trips/{id} and
 * POST /travel/v4/anonymizations (so the same events, feed entries and outbox clean-up), with
 * the reach of the operator: every company. Each refuses without --yes, saying what it would do.
 */
import { loadConfig } from '../config.js';
import { findCompanyByName } from '../modules/accounts/index.js';
import { wireItineraries } from '../start/itinerary-wiring.js';
import type { CommandInput, ExitCode } from './command.js';
import { withDatabase } from './with-database.js';

/** The base URL the v1.1 notifications link trips with (as a server with this config would). */
function baseUrl(): { base: string; maxAge: number } {
  const config = loadConfig();
  return {
    base: config.publicBaseUrl ?? `http://localhost:${config.port}`,
    maxAge: config.notificationMaxAgeSeconds,
  };
}

/** Deletes a trip for good with `--yes`; without it, says what it would do (exit 2). */
export function deleteTrip(input: CommandInput): Promise<ExitCode> {
  const tripId = input.args.TRIPID as string;
  if (!input.options.yes) {
    console.error(
      `delete-trip would delete the trip ${tripId} for good: its bookings, rendering and ticket\n` +
        'index, and its notifications not yet sent; subscribers hear ItineraryDeleted (ESS) or\n' +
        `CANCEL (v1.1). Nothing was changed. Run 'itinera delete-trip ${tripId} --yes' to do it.`,
    );
    return Promise.resolve(2);
  }
  const { base, maxAge } = baseUrl();
  return withDatabase(async (database) => {
    const { erase } = wireItineraries(database, { notificationMaxAgeSeconds: maxAge });
    await erase.deleteTrip({ kind: 'operator' }, tripId, base);
    console.log(`deleted: trip ${tripId}`);
    return 0;
  });
}

/** Anonymizes a traveller with `--yes`; without it, says what it would do (exit 2). */
export function anonymizeUser(input: CommandInput): Promise<ExitCode> {
  const loginId = input.args.LOGINID as string;
  const companyName = input.options.company as string | undefined;
  if (!input.options.yes) {
    console.error(
      "anonymize-user would anonymize this user's profile (names replaced, login id replaced,\n" +
        'e-mail and password cleared, account deactivated) and remove the personal data of every\n' +
        'trip of theirs; subscribers hear ItineraryAnonymized (ESS) or UPDATE (v1.1).\n' +
        'Nothing was changed. Run it again with --yes to do it (it cannot be undone).',
    );
    return Promise.resolve(2);
  }
  const { base, maxAge } = baseUrl();
  return withDatabase(async (database) => {
    let companyId: string | undefined;
    if (companyName !== undefined) {
      const company = await findCompanyByName(database.db, companyName);
      if (!company) {
        console.error(`no company named '${companyName}'`);
        return 1;
      }
      companyId = company.id;
    }
    const { erase } = wireItineraries(database, { notificationMaxAgeSeconds: maxAge });
    const result = await erase.anonymizeUser({ kind: 'operator' }, loginId, base, companyId);
    // Ids only: the login id given is the person's, and terminals keep their scrollback.
    console.log(
      `anonymized: user ${result.userId}, ${result.trips} trips, ${result.bookings} bookings; login id now ${result.loginId}`,
    );
    return 0;
  });
}
