/**
 * A trip's page: its time line of segments, each with what the traveller needs on the day.
 */
import { TripStatus } from '../../../domain/trip-status.js';
import type { LocalTime, TimelineEntry } from '../trip-timeline.js';
import type { TripPage } from '../web-trips.service.js';
import { cityOf, formatDateTime, formatDuration, formatPlace, formatZone } from './format.js';
import { html, page, type SafeHtml, type Viewer } from './layout.presenter.js';

const TYPE_NAMES: Record<string, string> = {
  Air: 'Flight',
  Rail: 'Train',
  Hotel: 'Hotel',
  Car: 'Car rental',
  Ride: 'Ride',
  Dining: 'Dining',
  Event: 'Event',
  Parking: 'Parking',
  Travel: 'Travel',
};

function heading(entry: TimelineEntry): string {
  const kind = TYPE_NAMES[entry.type] ?? entry.type;
  if (entry.type === 'Air' || entry.type === 'Rail') {
    const route = [cityOf(entry.from), cityOf(entry.to)].filter(Boolean).join(' → ');
    return [kind, entry.number, route].filter(Boolean).join(' ');
  }
  if (entry.type === 'Hotel')
    return `${kind}: ${entry.title ?? entry.vendor ?? cityOf(entry.from)}`;
  return [kind, entry.vendor, cityOf(entry.from)].filter(Boolean).join(' · ');
}

function timeRow(label: string, time: LocalTime | undefined): SafeHtml | string {
  if (!time) return '';
  const zone = formatZone(time);
  return html`<dt>${label}</dt><dd><time datetime="${time.local}">${formatDateTime(time.local)}</time>${zone ? ` (${zone})` : ''}</dd>`;
}

function labels(entry: TimelineEntry): [string, string] {
  if (entry.type === 'Hotel') return ['Check-in', 'Check-out'];
  if (entry.type === 'Car') return ['Pick-up', 'Drop-off'];
  if (entry.type === 'Air' || entry.type === 'Rail') return ['Departs', 'Arrives'];
  return ['Starts', 'Ends'];
}

function entryItem(entry: TimelineEntry): SafeHtml {
  const [startLabel, endLabel] = labels(entry);
  const travel = entry.type === 'Air' || entry.type === 'Rail';
  return html`<li class="card${entry.cancelled ? ' cancelled' : ''}">
<h3>${heading(entry)}</h3>${entry.cancelled ? html`<span class="badge">Cancelled</span>` : ''}
<dl>
${entry.vendor && travel ? html`<dt>Carrier</dt><dd>${entry.vendor}</dd>` : ''}
${entry.vendor && !travel && entry.type !== 'Hotel' ? html`<dt>Company</dt><dd>${entry.vendor}</dd>` : ''}
${entry.from.code || entry.from.text ? html`<dt>${travel ? 'From' : 'Where'}</dt><dd>${formatPlace(entry.from)}</dd>` : ''}
${entry.to && (entry.to.code || entry.to.text) ? html`<dt>${travel ? 'To' : 'Return'}</dt><dd>${formatPlace(entry.to)}</dd>` : ''}
${timeRow(startLabel, entry.start)}
${timeRow(endLabel, entry.end)}
${entry.durationMinutes !== undefined && travel ? html`<dt>Duration</dt><dd>${formatDuration(entry.durationMinutes)}</dd>` : ''}
${entry.nights !== undefined ? html`<dt>Nights</dt><dd>${entry.nights === 1 ? '1 night' : `${entry.nights} nights`}</dd>` : ''}
${entry.confirmation ? html`<dt>Confirmation</dt><dd>${entry.confirmation}</dd>` : ''}
${entry.recordLocator ? html`<dt>Booking reference</dt><dd>${entry.recordLocator}</dd>` : ''}
</dl>
</li>`;
}

/** The page of one trip. */
export function tripPage(viewer: Viewer, trip: TripPage): string {
  const cancelled = trip.status === TripStatus.Canceled || trip.status === TripStatus.Removed;
  const name = trip.name || 'Untitled trip';
  return page({
    title: name,
    viewer,
    current: 'trips',
    body: html`<p><a href="/app/trips">← All trips</a></p>
<h1>${name}${cancelled ? html`<span class="badge">Cancelled</span>` : ''}</h1>
<section aria-labelledby="timeline-title"><h2 id="timeline-title">Timeline</h2>
${
  trip.entries.length === 0
    ? html`<p>This trip has no bookings yet.</p>`
    : html`<ol class="timeline">${trip.entries.map(entryItem)}</ol>`
}
</section>`,
  });
}
