/**
 * `POST /api/travel/booking/v1.1/UpdateCoupon` (supplier air booking docs, "Use Case 3 - Update
 * Coupon Status"): the request is a `<Booking>` naming a ticket and one of its coupons; the
 * docs show no query parameters, so none are read. See update-coupon.service.ts for the rules.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { xmlReply } from '../../../http/api-docs/route-operation.js';
import { concurQuery } from '../../../http/query-parameters.js';
import { xmlBodyOf } from '../../../http/xml-body.js';
import { callerOf, documentAnswer, recordAnswer } from '../itinerary-replies.js';
import { itineraryConfig } from '../itinerary-requests.js';
import { presentUpdatedCoupon } from './update-coupon.presenter.js';
import type { UpdateCouponService, UpdatedCoupon } from './update-coupon.service.js';

interface UpdateCouponRoutesOptions {
  coupons: UpdateCouponService;
  publicBaseUrl?: string;
}

/**
 * No parameter is read, but the query is checked like every itinerary route's: an over-long
 * value or NUL is a 400 (it was read as ignored input and the coupon updated).
 */
const UpdateCouponQuery = Type.Object({});

/** The documented path (v1.1 only: the docs name no v1.0 form). */
export const UPDATE_COUPON_PATH = '/api/travel/booking/v1.1/UpdateCoupon';

/** Registers the UpdateCoupon route. */
export async function updateCouponRoutes(app: FastifyInstance, options: UpdateCouponRoutesOptions) {
  app.post(
    UPDATE_COUPON_PATH,
    // No parameter is read: any sent is named in `Itinera-Ignored`.
    {
      config: { ...itineraryConfig(UpdateCouponQuery), xmlRoot: 'UpdateCoupon', idempotent: true },
      schema: {
        summary: "Update an air ticket coupon's status",
        tags: ['Bookings v1.1'],
        querystring: UpdateCouponQuery,
        response: { 200: xmlReply('Booking', 'The updated coupon.') },
      },
      preValidation: concurQuery(UpdateCouponQuery),
    },
    async (request, reply) => {
      const who = callerOf(request, options.publicBaseUrl);
      const answer = recordAnswer(request, (result: UpdatedCoupon) =>
        documentAnswer(presentUpdatedCoupon(result), who),
      );
      const result = await options.coupons.update(who.principal, xmlBodyOf(request), who.baseUrl, {
        beforeCommit: answer.beforeCommit,
      });
      return answer.send(reply, result);
    },
  );
}
