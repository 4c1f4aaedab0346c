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

/** One opportunity; unknown cities, postal codes and dates are left out. */
export function presentOpportunity(baseUrl: string, opportunity: Opportunity): OpportunityJson {
  const json: OpportunityJson = {
    ID: opportunity.id,
    IsActive: opportunity.isActive,
    TripId: opportunity.tripId,
    Type: opportunity.type,
    URI: opportunityUri(baseUrl, opportunity),
  };
  if (opportunity.endCity) json.EndCityCode = opportunity.endCity;
  if (opportunity.endLocal) json.EndDateLocal = opportunity.endLocal;
  if (opportunity.endPostal) json.EndPostalCode = opportunity.endPostal;
  if (opportunity.startCity) json.StartCityCode = opportunity.startCity;
  if (opportunity.startLocal) json.StartDateLocal = opportunity.startLocal;
  if (opportunity.startPostal) json.StartPostalCode = opportunity.startPostal;
  return json;
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
