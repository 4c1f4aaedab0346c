/**
 * Answers no longer carry the elements Concur documents but its XSD lacks (`ItinSourceName`,
 * `OriginalItinLocator`, `PassengerKey`, Car `CancellationPolicy`, Hotel `EndCityCode`, Ride
 * `IsPersonal`, Parking `VendorName`): schema-validating clients fail on them. The trips are
 * unchanged (the elements stay stored in their documents); only a stored rendering written
 * with one of them must go, so that details reads render such a trip anew from its documents
 * until its next write stores a rendering without them.
 *
 * Text in a rendering is escaped (`<` is `&lt;`), so `<Name` only matches markup. The patterns
 * for the three segment-scoped ones also match a rendering where the name stands in another
 * segment after such a segment; clearing one more rendering costs a re-render, nothing else.
 * `down` has nothing to restore: a cleared rendering is valid in every version.
 */
import { type Kysely, sql } from 'kysely';

const PATTERNS = [
  '%<ItinSourceName%',
  '%<OriginalItinLocator%',
  '%<PassengerKey%',
  '%<CancellationPolicy%',
  '%<Hotel>%<EndCityCode%',
  '%<Ride>%<IsPersonal%',
  '%<Parking>%<VendorName%',
];

export function renderingWithoutExtensions() {
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      const matches = sql.join(
        PATTERNS.map((pattern) => sql`rendering like ${pattern}`),
        sql` or `,
      );
      await sql`update trips set rendering = null where ${matches}`.execute(db);
    },
    async down(): Promise<void> {},
  };
}
