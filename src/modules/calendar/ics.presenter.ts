/**
 * Calendar events as an iCalendar document (RFC 5545), written by ical-generator: times in a
 * named zone carry their TZID with a VTIMEZONE (from @touch4it/ical-timezones), UTC times end
 * in `Z`, floating times carry no zone.
 */
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { wallClockToMs } from '../../domain/dates.js';
import type { CalendarEvent, EventTime } from './calendar-events.js';

function moment(time: EventTime): DateTime | Date {
  if (time.zone === 'UTC' || time.zone === 'floating') return new Date(wallClockToMs(time.local));
  return DateTime.fromISO(time.local, { zone: time.zone });
}

/** The document of a calendar named `name` holding `events`. */
export function presentCalendar(name: string, events: readonly CalendarEvent[]): string {
  const calendar = ical({
    name,
    prodId: { company: 'Itinera', product: 'itinera-calendar', language: 'EN' },
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const event of events) {
    const zone = event.start.zone;
    const named = zone !== 'UTC' && zone !== 'floating';
    calendar.createEvent({
      id: event.uid,
      summary: event.summary,
      location: event.location ?? null,
      description: event.description ?? null,
      start: moment(event.start),
      end: event.end ? moment(event.end) : null,
      timezone: named ? zone : null,
      floating: zone === 'floating',
      status: event.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      sequence: event.sequence,
      lastModified: new Date(event.lastModified),
      // The event's own last change rather than now: the same trips give the same bytes (ETag).
      stamp: new Date(event.lastModified),
    });
  }
  return calendar.toString();
}
