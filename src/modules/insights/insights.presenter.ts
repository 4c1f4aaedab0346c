/**
 * The Insights v3 answers as their references name them: `Opportunities` (`Items`,
 * `NextPage`), each `Opportunity` with its ids and link, and `LatestBooking`.
 */
import type { LatestBookingsResponse, OpportunitiesResponse } from './insights.requests.js';
import { OPPORTUNITIES_PATH } from './insights.requests.js';
import type { Opportunity } from './insights.service.js';
import type { LatestBookings } from './rules/latest-bookings.js';

type OpportunityJson = OpportunitiesResponse['Items'][number];

/** The URI of an opportunity: the trip's opportunities of its type (no resource of its own). */
export function opportunityUri(baseUrl: string, opportunity: Opportunity): string {
  const query = new URLSearchParams({
    tripId: opportunity.tripId,
    opportunityType: opportunity.type,
  });
  return `${baseUrl}${OPPORTUNITIES_PATH}?${query.toString()}`;
}

/** One opportunity, its fields in the reference's order; unknown ones are left out. */
export function presentOpportunity(baseUrl: string, opportunity: Opportunity): OpportunityJson {
  const optional = (value: string | undefined) => (value ? value : undefined);
  const json = {
    EndCityCode: optional(opportunity.endCity),
    EndDateLocal: optional(opportunity.endLocal),
    EndPostalCode: optional(opportunity.endPostal),
    ID: opportunity.id,
    IsActive: opportunity.isActive,
    StartCityCode: optional(opportunity.startCity),
    StartDateLocal: optional(opportunity.startLocal),
    StartPostalCode: optional(opportunity.startPostal),
    TripId: opportunity.tripId,
    Type: opportunity.type,
    URI: opportunityUri(baseUrl, opportunity),
  };
  for (const key of Object.keys(json) as (keyof typeof json)[]) {
    if (json[key] === undefined) delete json[key];
  }
  return json as OpportunityJson;
}

/** The collection, with the URI of the next page when there is one. */
export function presentOpportunities(
  baseUrl: string,
  items: readonly Opportunity[],
  nextPage?: string,
): OpportunitiesResponse {
  return {
    Items: items.map((item) => presentOpportunity(baseUrl, item)),
    ...(nextPage !== undefined ? { NextPage: nextPage } : {}),
  };
}

/** The latest airline segments and hotel. */
export function presentLatestBookings(latest: LatestBookings): LatestBookingsResponse {
  return {
    Airlines: latest.airlines.map((airline) => ({
      ...(airline.bookingClass !== undefined ? { BookingClass: airline.bookingClass } : {}),
      ...(airline.code !== undefined ? { Code: airline.code } : {}),
    })),
    ...(latest.hotel
      ? {
          Hotel: {
            ...(latest.hotel.location !== undefined ? { Location: latest.hotel.location } : {}),
            StarRating: latest.hotel.starRating,
          },
        }
      : {}),
  };
}
