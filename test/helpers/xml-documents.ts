/**
 * What the XML reader's unit tests share (src/xml/xml-reader*.test.ts): an Itinerary document
 * around some content, and the check that the reader refuses a body as a 400 `AppError`.
 */
import { expect } from 'vitest';
import { AppError } from '../../src/errors.js';
import { TRIP_NAMESPACE } from '../../src/xml/schema.js';
import { parseXmlDocument } from '../../src/xml/xml-reader.js';

/** The default namespace declaration of a trip document. */
export const NS = `xmlns="${TRIP_NAMESPACE}"`;

/** An Itinerary document with the XML declaration, `inner` as content, `attrs` on the root. */
export function itinerary(inner: string, attrs = NS): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<Itinerary ${attrs}>${inner}</Itinerary>`;
}

/** The `AppError` `run` throws (failing the test when it throws nothing, or something else). */
export function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the document to be rejected');
}

/** The error of parsing `body` as a `root` document, asserting it is a 400. */
export function rejected(body: string | Buffer, root: 'Itinerary' | 'Booking' = 'Itinerary') {
  const error = failure(() => parseXmlDocument(body, root));
  expect(error.httpStatus).toBe(400);
  return error;
}
