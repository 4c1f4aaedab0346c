/**
 * `trips.rendering` changes form: it held a whole `Itinerary` document without its `id`
 * (declaration, root start tag, content, end tag), into which reads spliced `<id>`; it now holds
 * only the content, which the XML layer writes after the `<id>` element it adds at read time.
 *
 * The old renderings are converted in place rather than cleared, so that details reads of
 * existing trips keep being served from them (a cleared one would be rendered from the trip's
 * documents at every read until the trip's next write). The conversion is exact: every old
 * rendering was written as `OLD_START + content + OLD_END`, the root start tag being constant.
 * Anything else in the old form (the empty root `<Itinerary … />`) is cleared, and reads render
 * it from the documents. Running `up` twice changes nothing: the new form never starts with
 * `<?xml`. The values are copied here, as migrations do not import the application.
 */
import { type Kysely, sql } from 'kysely';

const OLD_START =
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<Itinerary xmlns="http://www.concursolutions.com/api/travel/trip/2010/06">';
const OLD_END = '</Itinerary>';

export function itineraryRenderingContent() {
  // SQLite and PostgreSQL both count `substr` and `length` in characters; the markers are ASCII.
  const start = sql.lit(OLD_START.length);
  const end = sql.lit(OLD_END.length);
  return {
    // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's types
    async up(db: Kysely<any>): Promise<void> {
      await sql`update trips
        set rendering = substr(rendering, ${start} + 1, length(rendering) - ${start} - ${end})
        where substr(rendering, 1, ${start}) = ${OLD_START}
          and length(rendering) >= ${start} + ${end}
          and substr(rendering, length(rendering) - ${end} + 1) = ${OLD_END}`.execute(db);
      await sql`update trips set rendering = null
        where substr(rendering, 1, 5) = ${'<?xml'}`.execute(db);
    },
    // biome-ignore lint/suspicious/noExplicitAny: see up()
    async down(db: Kysely<any>): Promise<void> {
      // Back to whole documents; empty content was the empty root, cleared instead.
      await sql`update trips set rendering = null where rendering = ''`.execute(db);
      await sql`update trips set rendering = ${OLD_START} || rendering || ${OLD_END}
        where rendering is not null`.execute(db);
    },
  };
}
