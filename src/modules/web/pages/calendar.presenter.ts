/**
 * The calendar page: the traveller's secret feed URL to subscribe to (`webcal://`) or copy,
 * and a form to replace it with a new one (the old URL stops working).
 */
import { html, page, type Viewer } from './layout.presenter.js';

/** The calendar page; `rotated`: the URL was just replaced. */
export function calendarPage(viewer: Viewer, feedUrl: string, rotated: boolean): string {
  const webcal = feedUrl.replace(/^https?:\/\//, 'webcal://');
  return page({
    title: 'Calendar',
    viewer,
    current: 'calendar',
    body: html`<h1>Your trips in your calendar</h1>
${rotated ? html`<p class="error" role="status">You have a new calendar address. The old one no longer works: subscribe again with this one.</p>` : ''}
<p>Subscribe once and your calendar app keeps every trip up to date.</p>
<p><a class="button" href="${webcal}">Subscribe in your calendar app</a></p>
<label for="feed-url">Or copy this address into your calendar app</label>
<input class="feed" id="feed-url" type="text" readonly value="${feedUrl}">
<h2>Keep it private</h2>
<p>Anyone with this address sees your trips. If you shared it by mistake, replace it.</p>
<form method="post" action="/app/calendar/rotate">
<input type="hidden" name="csrf" value="${viewer.csrfToken}">
<button type="submit">Replace the calendar address</button>
</form>`,
  });
}
