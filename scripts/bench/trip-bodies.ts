/**
 * Trip POST bodies for the benchmark: the TMC-guide sample, each copy with its own booking
 * identity and its travel moved to another day. Every body has exactly the sample's length.
 */
import fs from 'node:fs';
import path from 'node:path';

const DAY_MS = 86_400_000;

/** The published sample the requirement names ("the TMC-guide sample"). */
export const SAMPLE_PATH = path.resolve(
  import.meta.dirname,
  '../../reference/concur/samples/tmc-guide-post-trip-request.xml',
);

/** The sample's RecordLocator; replaced so that every trip keeps its own booking. */
const SAMPLE_LOCATOR = 'EYQA1001';
/** The sample's first travel day; trips are shifted relative to it. */
const SAMPLE_FIRST_DAY = Date.UTC(2021, 0, 11);

// A date followed by a time: every date in the sample (StartDateLocal, DateCreatedUtc, …).
const DATE_TIME = /(\d{4})-(\d{2})-(\d{2})(?=T)/g;

export interface TripBodies {
  /** Length of every body in bytes (all bodies are the same size as the sample). */
  readonly bytes: number;
  /**
   * The sample with a unique RecordLocator for `index` and every date moved by whole days so
   * that its travel starts on the UTC day of `firstDay` (epoch ms).
   */
  bodyFor(index: number, firstDay: number): string;
}

/**
 * Why a unique locator: a BookingSource + RecordLocator pair lives in one trip per traveller,
 * so posting the verbatim sample again would move its booking out of (and cancel) the previous
 * trip. Real TMC traffic posts new bookings; so do we.
 */
export function loadTripBodies(samplePath: string = SAMPLE_PATH): TripBodies {
  const sample = fs.readFileSync(samplePath, 'utf8');
  if (!sample.includes(SAMPLE_LOCATOR)) throw new Error(`${samplePath}: no ${SAMPLE_LOCATOR}`);
  // Split once into literal text and dates so that each body is a cheap join.
  const texts: string[] = [];
  const days: number[] = [];
  let last = 0;
  for (const match of sample.matchAll(DATE_TIME)) {
    texts.push(sample.slice(last, match.index));
    days.push(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
    last = match.index + match[0].length;
  }
  texts.push(sample.slice(last));

  return {
    bytes: Buffer.byteLength(sample),
    bodyFor(index, firstDay) {
      const shift = Math.floor(firstDay / DAY_MS) * DAY_MS - SAMPLE_FIRST_DAY;
      let body = texts[0]!;
      for (let i = 0; i < days.length; i++) {
        body += new Date(days[i]! + shift).toISOString().slice(0, 10) + texts[i + 1]!;
      }
      return body.replace(SAMPLE_LOCATOR, locatorFor(index));
    },
  };
}

/** An 8-character locator (the sample's length) unique for indexes below 36^6. */
function locatorFor(index: number): string {
  return `BN${index.toString(36).toUpperCase().padStart(6, '0')}`;
}
