/**
 * How the pages write dates, times, zones, durations and places: in English, from the wall
 * clock as booked (never converted to the reader's zone), with the zone beside the time.
 */
import type { LocalTime, SegmentPlace } from '../trip-timeline.js';

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `Mon, 5 Jan 2027` of a local `YYYY-MM-DD…` value. */
export function formatDate(local: string | undefined): string {
  if (!local) return '';
  const ms = Date.parse(`${local.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(ms) ? local : dateFormat.format(ms);
}

/** `Mon, 5 Jan 2027, 09:30` of a local date-time. */
export function formatDateTime(local: string): string {
  const ms = Date.parse(`${local.slice(0, 16)}:00Z`);
  return Number.isNaN(ms) ? local : `${dateFormat.format(ms)}, ${timeFormat.format(ms)}`;
}

/** `Europe/London, UTC+01:00`, or what is known of it. */
export function formatZone(time: LocalTime): string {
  const parts = [time.zone, time.offset ? `UTC${time.offset}` : undefined].filter(Boolean);
  return parts.join(', ');
}

/** `7 h 25 min`. */
export function formatDuration(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/** `London Heathrow Airport (LHR), London`, a booked name, or the code. */
export function formatPlace(place: SegmentPlace | undefined): string {
  if (!place) return '';
  const known = place.place;
  if (known) {
    const name = known.airport
      ? `${known.airport} (${known.code}), ${known.city}`
      : `${known.city} (${known.code})`;
    return place.text ? `${place.text}, ${name}` : name;
  }
  return [place.text, place.code].filter(Boolean).join(' ');
}

/** The city of a place, for short labels (`London`). */
export function cityOf(place: SegmentPlace | undefined): string {
  return place?.place?.city ?? place?.text ?? place?.code ?? '';
}
