/**
 * Trip ETags (Itinera's extension; Concur v1.1 has none): strong validators of a trip as one
 * caller sees it in one rendering.
 *
 * Made from the trip's stored version, which every write of the trip adds one to, and from what
 * else shapes the bytes a caller receives: its audience (a TripLink supplier sees its own
 * bookings only), whether the traveller's login id is shown (and which it is), the base URL of
 * the links and the rendering (v1.1 XML, TripIt, v4 JSON). The version rather than a digest of
 * the body, so that a read sent from the stored rendering needs no hashing of it, and so that
 * a write can check `If-Match` inside its transaction before rendering anything. Two
 * representations with one ETag are therefore the same trip version for the same kind of
 * viewer: the bytes are equal.
 */
import { createHash } from 'node:crypto';
import type { Audience } from '../access/trip-visibility.js';
import type { TripOwner } from '../rules/records.js';

/** What of the caller and the rendering shapes the representation. */
export interface EtagViewer {
  audience: Audience;
  showLoginId: boolean;
  baseUrl: string;
  /** `xml`: v1.1 `<Itinerary>` (details and write answers); `tripit`; `v4`: JSON. */
  rendering: 'xml' | 'tripit' | 'v4';
}

/** The trip as its ETag needs it. */
export interface EtagTrip {
  id: string;
  version: number;
  owner: Pick<TripOwner, 'login_id'>;
}

/** The strong ETag (quoted) of `trip` as `viewer` sees it. */
export function tripEtag(trip: EtagTrip, viewer: EtagViewer): string {
  const audience =
    viewer.audience.kind === 'full' ? 'full' : `supplier:${viewer.audience.bookingSource ?? ''}`;
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        trip.id,
        audience,
        viewer.showLoginId ? trip.owner.login_id : null,
        viewer.baseUrl,
        viewer.rendering,
      ]),
    )
    .digest('base64url')
    .slice(0, 16);
  return `"${trip.version}-${digest}"`;
}
