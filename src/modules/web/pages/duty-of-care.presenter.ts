/**
 * Duty of care: where the company's travellers are on a day, one row per trip, by city.
 */

import type { DutyOfCare } from '../web-trips.service.js';
import { cityOf, formatDate, formatPlace } from './format.js';
import { html, page, type Viewer } from './layout.presenter.js';

/** The duty of care page for one day. */
export function dutyOfCarePage(viewer: Viewer, day: DutyOfCare): string {
  const rows = day.travellers.map(
    (row) => html`<tr>
<td>${cityOf(row.place) || 'Unknown'}</td>
<td>${row.name}${row.loginId && row.loginId !== row.name ? html`<br><span class="meta">${row.loginId}</span>` : ''}</td>
<td>${row.tripName || 'Untitled trip'}</td>
<td>${formatPlace(row.place)}</td>
</tr>`,
  );
  return page({
    title: `Duty of care, ${day.date}`,
    viewer,
    current: 'duty-of-care',
    body: html`<h1>Where our travellers are</h1>
<form method="get" action="/app/duty-of-care">
<label for="date">Day</label>
<input type="date" id="date" name="date" value="${day.date}" required>
<button type="submit">Show</button>
</form>
<h2>${formatDate(day.date)}: ${day.travellers.length === 1 ? '1 traveller' : `${day.travellers.length} travellers`}</h2>
${day.truncated ? html`<p class="error">Only the first ${day.travellers.length} trips are shown.</p>` : ''}
${
  day.travellers.length === 0
    ? html`<p>No one is travelling that day.</p>`
    : html`<table>
<caption class="visually-hidden">Travellers by city on ${day.date}</caption>
<thead><tr><th scope="col">City</th><th scope="col">Traveller</th><th scope="col">Trip</th><th scope="col">Place</th></tr></thead>
<tbody>${rows}</tbody>
</table>`
}`,
  });
}
