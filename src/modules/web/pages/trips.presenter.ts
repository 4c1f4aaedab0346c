/**
 * The landing page and the trip lists (upcoming, past, ready to expense), as HTML.
 */
import { TripStatus } from '../../../domain/trip-status.js';
import type { TripSummaryView } from '../module-ports.js';
import { formatDate } from './format.js';
import { html, page, type SafeHtml, type Viewer } from './layout.presenter.js';

/** The tabs of the trips page, in order. */
export const TRIP_TABS = {
  upcoming: 'Upcoming',
  past: 'Past',
  expense: 'Ready to expense',
} as const;
export type TripTab = keyof typeof TRIP_TABS;

/** The landing page at `/` for a browser. */
export function landingPage(): string {
  return page({
    title: 'Your trips in one place',
    body: html`<h1>Your trips in one place</h1>
<p>Itinera keeps the flights, trains, hotels and cars your travel agency books for you, with
local times, confirmation numbers and changes as they happen.</p>
<p><a class="button" href="/app/sign-in">Sign in to see your trips</a></p>
<h2>For developers</h2>
<p>The travel API is documented at <a href="/docs">/docs</a>.</p>`,
  });
}

const CANCELLED = new Set<number>([TripStatus.Canceled, TripStatus.Removed]);

function tripCard(trip: TripSummaryView): SafeHtml {
  const cancelled = CANCELLED.has(trip.status);
  const dates = [formatDate(trip.startLocal), formatDate(trip.endLocal)].filter(Boolean);
  return html`<li class="card">
<h3><a href="/app/trips/${encodeURIComponent(trip.tripId)}">${trip.tripName || 'Untitled trip'}</a>${cancelled ? html`<span class="badge">Cancelled</span>` : ''}</h3>
<p class="meta">${dates.length === 2 && dates[0] !== dates[1] ? `${dates[0]} – ${dates[1]}` : (dates[0] ?? 'Dates not known')}</p>
${trip.recordLocator ? html`<p class="meta">Booking reference ${trip.recordLocator}</p>` : ''}
</li>`;
}

const EMPTY: Record<TripTab, string> = {
  upcoming: 'No upcoming trips.',
  past: 'No trips in the past year.',
  expense: 'No trips waiting to be expensed.',
};

/** The trips page with one tab open. */
export function tripsPage(viewer: Viewer, tab: TripTab, trips: readonly TripSummaryView[]): string {
  const tabs = (Object.keys(TRIP_TABS) as TripTab[]).map(
    (key) =>
      html`<li><a href="/app/trips?tab=${key}"${key === tab ? html` aria-current="page"` : ''}>${TRIP_TABS[key]}</a></li>`,
  );
  return page({
    title: `${TRIP_TABS[tab]} trips`,
    viewer,
    current: 'trips',
    body: html`<h1>My trips</h1>
<nav aria-label="Trip lists"><ul class="tabs">${tabs}</ul></nav>
<section aria-labelledby="list-title"><h2 id="list-title" class="visually-hidden">${TRIP_TABS[tab]}</h2>
${trips.length === 0 ? html`<p>${EMPTY[tab]}</p>` : html`<ul class="cards">${trips.map(tripCard)}</ul>`}
</section>`,
  });
}
