/**
 * The encoding of the segment-type columns (`trips.booking_types`, `bookings.segment_types`):
 * `,Air,Car,`, so that one `LIKE '%,Air,%'` finds a type.
 */

/** Encodes a list of names as `,A,B,` (empty list: ''). */
export function typesColumn(types: readonly string[]): string {
  return types.length === 0 ? '' : `,${types.join(',')},`;
}

/** Decodes a `,A,B,` column into its names. */
export function typesOfColumn(value: string): string[] {
  return value.split(',').filter(Boolean);
}
