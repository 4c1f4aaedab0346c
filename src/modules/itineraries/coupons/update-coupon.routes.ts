/**
 * `POST /api/travel/booking/v1.1/UpdateCoupon` (supplier air booking docs, "Use Case 3 - Update
 * Coupon Status"): the request is a `<Booking>` naming a ticket and one of its coupons; the
 * docs show no query parameters, so none are read. See update-coupon.service.ts for the rules.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { concurQuery } from '../../../http/query-parameters.js';
import { xmlBodyOf } from '../../../http/xml-body.js';
import { sendXml } from '../../../http/xml-reply.js';
import { callerOf } from '../itinerary-replies.js';
import { itineraryConfig } from '../itinerary-requests.js';
import { presentUpdatedCoupon } from './update-coupon.presenter.js';
import type { UpdateCouponService } from './update-coupon.service.js';

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
      config: { ...itineraryConfig(UpdateCouponQuery), xmlRoot: 'UpdateCoupon' },
      schema: { querystring: UpdateCouponQuery },
      preValidation: concurQuery(UpdateCouponQuery),
    },
    async (request, reply) => {
      const { principal, baseUrl } = callerOf(request, options.publicBaseUrl);
      const result = await options.coupons.update(principal, xmlBodyOf(request), baseUrl);
      return sendXml(reply, presentUpdatedCoupon(result));
    },
  );
}
