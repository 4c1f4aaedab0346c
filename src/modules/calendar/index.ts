/**
 * The calendar module as other code sees it (docs/CALENDAR.md): each traveller's secret
 * iCalendar feed URL (made on first request, rotatable: the old URL then answers 404) and the
 * path of a one-trip `.ics` download. `buildApp` makes one `CalendarFeedService` and decorates
 * the app with it as `app.calendarFeeds`; pages call `feedPath(db, userId)` and
 * `rotate(db, userId)` on it. Paths are relative to the service's public base URL.
 */
export {
  CalendarFeedService,
  FEED_PATH_PREFIX,
  type FeedKey,
} from './calendar-feed.service.js';

/** The server secret (a name in `server_secrets`) feed tokens are made with. */
export const CALENDAR_FEED_SECRET = 'calendar-feed-token';

import { TRIP_CALENDAR_PATH_PREFIX } from './calendar.routes.js';

export {
  type CalendarRoutesOptions,
  calendarRoutes,
  TRIP_CALENDAR_PATH_PREFIX,
} from './calendar.routes.js';

/**
 * The path of one trip's `.ics` download (bearer token required; the same access rules as the
 * v1.1 trip details: someone else's trip answers 404).
 */
export function tripCalendarPath(tripId: string): string {
  return `${TRIP_CALENDAR_PATH_PREFIX}/${encodeURIComponent(tripId)}.ics`;
}
