/** TripStatus values (SPEC §7.1). */
export const TripStatus = {
  Confirmed: 0,
  Ticketed: 1,
  Canceled: 2,
  Virtual: 4,
  VirtualCancelled: 5,
  Proposal: 6,
  BookedProposal: 7,
  Removed: 255,
} as const;

/**
 * The numeric status of a posted `TripStatus`. TRIP's TripLink example posts a GDS segment
 * status (`HK`) instead of a number (SPEC §10 item 10): such values are echoed as posted but
 * count as Confirmed. Absent means Confirmed.
 */
export function numericTripStatus(posted: string | undefined): number {
  if (posted !== undefined && /^\d+$/.test(posted)) return Number(posted);
  return TripStatus.Confirmed;
}
