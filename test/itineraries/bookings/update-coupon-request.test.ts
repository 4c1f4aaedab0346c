/**
 * The UpdateCoupon request document (supplier air booking docs, Use Case 3): a `<Booking>` whose
 * children are the ticket number and one coupon, read with the coupon's XSD type.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseXmlDocument } from '../../../src/xml/xml-reader.js';

const SAMPLE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../reference/concur/samples/supplier-air-update-coupon-request.xml',
);

describe('the UpdateCoupon request', () => {
  it('reads the published sample: ticket number, record locator and the coupon', () => {
    const node = parseXmlDocument(readFileSync(SAMPLE, 'utf8'), 'UpdateCoupon');
    expect(node).toEqual({
      RecordLocator: 'DJM1013',
      PlatingCarrierNumericCode: '016',
      PlatingControlNumber: '7249117982',
      AirlineTicketCoupon: {
        ClassOfService: 'S',
        CouponNumber: '1',
        CouponStatus: 'OPEN',
        EndCityCode: 'SEA',
        FlightNumber: '357',
        NotValidAfterDate: '2016-05-28T00:00:00',
        NotValidBeforeDate: '2016-05-28T00:00:00',
        RateCode: 'SE143KS/8N02',
        StartCityCode: 'IAD',
        StartDateLocal: '2016-05-28T15:03:00',
        Vendor: 'UA',
      },
    });
  });

  it('checks the coupon’s XSD types and the ticket number’s lengths', () => {
    const bad = (inner: string) => () =>
      parseXmlDocument(`<Booking>${inner}</Booking>`, 'UpdateCoupon');
    expect(
      bad('<AirlineTicketCoupon><CouponNumber>300</CouponNumber></AirlineTicketCoupon>'),
    ).toThrow(/Booking\/AirlineTicketCoupon\/CouponNumber/);
    expect(bad('<PlatingControlNumber>123</PlatingControlNumber>')).toThrow(
      /PlatingControlNumber: must be exactly 10 characters/,
    );
  });

  it('still wants a <Booking> root, and the Booking request still drops the coupon elements', () => {
    expect(() => parseXmlDocument('<Coupon/>', 'UpdateCoupon')).toThrow(
      /Expected the root element <Booking>/,
    );
    const asBooking = parseXmlDocument(readFileSync(SAMPLE, 'utf8'), 'Booking');
    expect(asBooking).toEqual({ RecordLocator: 'DJM1013' });
  });
});
