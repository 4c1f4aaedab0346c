/** The nine segment elements a booking's `Segments` may hold (XSD BookingRecord_ArrayOfSegments). */
export const SEGMENT_TYPES = [
  'Air',
  'Car',
  'Hotel',
  'Dining',
  'Ride',
  'Rail',
  'Parking',
  'Event',
  'Travel',
] as const;
export type SegmentType = (typeof SEGMENT_TYPES)[number];

/** Case-insensitive lookup of a segment type name (`air` → `Air`). */
export function segmentTypeNamed(name: string): SegmentType | undefined {
  const lower = name.trim().toLowerCase();
  return SEGMENT_TYPES.find((t) => t.toLowerCase() === lower);
}

/**
 * Where a booking keeps its cancelled segments (src/modules/itineraries/rules/cancellation.ts):
 * beside `Segments`, not an XSD element, so never emitted. Here because readers outside the
 * itineraries module (calendar events) tell cancelled segments from live ones too.
 */
export const CANCELLED_SEGMENTS = '__cancelledSegments';
