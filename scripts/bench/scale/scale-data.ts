/**
 * Seeded import data for the scale benchmark (`BENCH_SCALE`): an NDJSON file for
 * `itinera import` (docs/IMPORT.md) holding exactly `size` trips (`<Itinerary>` documents) plus
 * about one car `<Booking>` in ten that merges into an earlier trip of the same traveller.
 *
 * Realistic shape, after scripts/generate-import-data.ts: a round-trip flight between real
 * airports, a hotel and often a car, passengers named as their traveller (so that no trip is a
 * guest trip), one traveller per twenty trips, and trips spread over the two years around the
 * anchor day (the first day of the current month, so that a cached file stays valid all month).
 * Two heavy travellers (a frequent flyer and a road warrior) hold many trips each, so that a
 * traveller's list window holds several full 200-item pages at every size.
 *
 * Generated files are cached in BENCH_DATA_DIR (default os.tmpdir()/itinera-bench-data), keyed
 * by size, seed and anchor month: reruns skip generation.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../../../test/fuzz/prng.js';

const DAY = 86_400_000;
const NS = 'http://www.concursolutions.com/api/travel/trip/2010/06';
/** Changing what the generator writes: bump this, so that old cached files are not reused. */
const FORMAT_VERSION = 1;

export const SCALE_COMPANY = 'Scale Corp';
export const SCALE_APP = {
  clientId: 'scale-tmc',
  clientSecret: 'scale-tmc-secret-0123456789',
  bookingSource: 'ScaleTMC',
};

/** A user who signs in with a password (the seed file's users; the rest are bulk-inserted). */
export interface NamedUser {
  loginId: string;
  password: string;
  firstName: string;
  lastName: string;
  roles?: 'WebServicesAdministrator'[];
}

/**
 * The heavy travellers. The first is the TMC-guide sample's passenger, so that the trip POST
 * scenario (that sample) files trips as the traveller's own, as `npm run bench` does.
 */
export const HEAVY_TRAVELLERS: readonly NamedUser[] = [
  {
    loginId: 'frequent.flyer@scale.example',
    password: 'scale-password-0123',
    firstName: 'William',
    lastName: 'Never1',
  },
  {
    loginId: 'road.warrior@scale.example',
    password: 'scale-password-0123',
    firstName: 'Gita',
    lastName: 'Rossi',
  },
];

/** An administrator of the company: the company-wide list (`userid_value=ALL`). */
export const SCALE_ADMIN: NamedUser = {
  loginId: 'travel.admin@scale.example',
  password: 'scale-password-0123',
  firstName: 'Dana',
  lastName: 'Admin',
  roles: ['WebServicesAdministrator'],
};

const AIRPORTS = ['DFW', 'SEA', 'JFK', 'LAX', 'ORD', 'SFO', 'BOS', 'ATL', 'LHR', 'CDG', 'FRA'];
const AIRLINES = ['AA', 'UA', 'DL', 'AS', 'BA', 'AF', 'LH', 'AZ', 'KL', 'IB'];
const HOTELS = ['Grand Central Hotel', 'Harbor View Inn', 'Airport Marriott', 'City Suites'];
const CARS = ['ZE', 'ZI', 'ET', 'ZD', 'AL'];
const FIRST = ['Alice', 'Bob', 'Chris', 'Dana', 'Eve', 'Farid', 'Gita', 'Hiro', 'Ines', 'Jon'];
const LAST = ['Smith', 'Miller', 'Garcia', 'Chen', 'Okafor', 'Rossi', 'Novak', 'Tanaka', 'Silva'];

/** Ordinary travellers: one per twenty trips, at least ten. */
export function travellerCount(size: number): number {
  return Math.max(10, Math.round(size / 20));
}

/** Trips of each heavy traveller: a tenth of the data set, between 250 and 2,000. */
export function heavyTripCount(size: number): number {
  return Math.min(2000, Math.max(250, Math.round(size / 10)));
}

/** The login id of ordinary traveller `t`. */
export function travellerLogin(t: number): string {
  return `traveller${t}@scale.example`;
}

/** The first and last name of ordinary traveller `t` (its passengers carry the same). */
export function travellerName(t: number): { first: string; last: string } {
  return {
    first: FIRST[t % FIRST.length] as string,
    last: LAST[Math.floor(t / FIRST.length) % LAST.length] as string,
  };
}

/** The first day of the current UTC month, the centre of the generated dates. */
export function anchorDay(now = Date.now()): number {
  const d = new Date(now);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

const local = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const locator = (n: number) => `SC${n.toString(36).toUpperCase().padStart(6, '0')}`;

interface Made {
  login: string;
  city: string;
  start: number;
  end: number;
}

/** Writes the documents of one data set to `file` as NDJSON. */
function writeDocuments(file: string, size: number, seed: number, anchor: number): void {
  // The fuzzer's mulberry32: the same seed writes the same bytes.
  const random = createRng(seed).next;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const travellers = travellerCount(size);
  const heavyShare = (HEAVY_TRAVELLERS.length * heavyTripCount(size)) / size;
  const air = (from: string, to: string, at: number) =>
    `<Air><Vendor>${pick(AIRLINES)}</Vendor><FlightNumber>${100 + Math.floor(random() * 8900)}</FlightNumber><ClassOfService>${pick(['Y', 'Y', 'Y', 'J'])}</ClassOfService><StartCityCode>${from}</StartCityCode><EndCityCode>${to}</EndCityCode><StartDateLocal>${local(at)}</StartDateLocal><EndDateLocal>${local(at + (60 + Math.floor(random() * 480)) * 60_000)}</EndDateLocal></Air>`;
  const car = (city: string, from: number, to: number, confirmation: string) =>
    `<Car><Vendor>${pick(CARS)}</Vendor><StartCityCode>${city}</StartCityCode><EndCityCode>${city}</EndCityCode><StartDateLocal>${local(from)}</StartDateLocal><EndDateLocal>${local(to)}</EndDateLocal><ConfirmationNumber>${confirmation}</ConfirmationNumber><TotalRate>${(40 + Math.floor(random() * 80)).toFixed(2)}</TotalRate><Currency>USD</Currency></Car>`;

  const fd = fs.openSync(file, 'w');
  let pending: string[] = [];
  const emit = (login: string, xml: string) => {
    pending.push(`${JSON.stringify({ user: login, xml })}\n`);
    if (pending.length >= 2000) {
      fs.writeSync(fd, pending.join(''));
      pending = [];
    }
  };
  const recent: Made[] = [];
  let doc = 0;
  for (let n = 0; n < size; n++) {
    const heavy = random() < heavyShare ? HEAVY_TRAVELLERS[n % HEAVY_TRAVELLERS.length] : undefined;
    const t = Math.floor(random() * travellers);
    const login = heavy ? heavy.loginId : travellerLogin(t);
    const name = heavy ? { first: heavy.firstName, last: heavy.lastName } : travellerName(t);
    const from = pick(AIRPORTS);
    let to = pick(AIRPORTS);
    while (to === from) to = pick(AIRPORTS);
    // ±1 year around the anchor, leaving at 06:00-17:00, 1-5 nights.
    const start =
      anchor +
      (Math.floor(random() * 730) - 365) * DAY +
      (6 + Math.floor(random() * 12)) * 3_600_000;
    const back = start + (1 + Math.floor(random() * 5)) * DAY;
    const id = doc++;
    const segments =
      air(from, to, start) +
      `<Hotel><Name>${pick(HOTELS)}</Name><StartCityCode>${to}</StartCityCode><StartDateLocal>${local(start + 5 * 3_600_000)}</StartDateLocal><EndDateLocal>${local(back - 3 * 3_600_000)}</EndDateLocal><DailyRate>${100 + Math.floor(random() * 200)}</DailyRate><Currency>USD</Currency><ConfirmationNumber>H${id}</ConfirmationNumber></Hotel>` +
      (random() < 0.5 ? car(to, start + 2 * 3_600_000, back - 2 * 3_600_000, `C${id}`) : '') +
      air(to, from, back);
    emit(
      login,
      `<Itinerary xmlns="${NS}"><TripName>${from} to ${to}</TripName><ClientLocator>SCALE-${id}</ClientLocator><Bookings><Booking><RecordLocator>${locator(id)}</RecordLocator><BookingSource>${SCALE_APP.bookingSource}</BookingSource><DateBookedLocal>${local(start - 20 * DAY)}</DateBookedLocal><Passengers><Passenger><NameFirst>${name.first}</NameFirst><NameLast>${name.last}</NameLast></Passenger></Passengers><Segments>${segments}</Segments></Booking></Bookings></Itinerary>`,
    );
    recent.push({ login, city: to, start, end: back });
    if (recent.length > 100) recent.shift();
    // Now and then a car booked later for one of the recent trips: the import merges it.
    if (random() < 0.1) {
      const into = pick(recent);
      const id2 = doc++;
      const from2 = into.start + 3 * 3_600_000;
      emit(
        into.login,
        `<Booking xmlns="${NS}"><RecordLocator>${locator(id2)}</RecordLocator><BookingSource>${SCALE_APP.bookingSource}</BookingSource><Segments>${car(into.city, from2, Math.max(from2 + 3_600_000, into.end - 4 * 3_600_000), `CB${id2}`)}</Segments></Booking>`,
      );
    }
  }
  fs.writeSync(fd, pending.join(''));
  fs.closeSync(fd);
}

/** The cache directory of generated data sets. */
export function dataDirectory(): string {
  return process.env.BENCH_DATA_DIR || path.join(os.tmpdir(), 'itinera-bench-data');
}

export interface ScaleDataFile {
  file: string;
  bytes: number;
  /** Seconds spent generating, or null when the cached file was used. */
  generatedSeconds: number | null;
}

/** The data set for `size` trips: the cached file, or a new one written (atomically) now. */
export function ensureScaleData(size: number, seed: number, anchor: number): ScaleDataFile {
  const dir = dataDirectory();
  fs.mkdirSync(dir, { recursive: true });
  const month = new Date(anchor).toISOString().slice(0, 7);
  const file = path.join(dir, `scale-v${FORMAT_VERSION}-${size}-s${seed}-${month}.ndjson`);
  if (fs.existsSync(file)) return { file, bytes: fs.statSync(file).size, generatedSeconds: null };
  const started = Date.now();
  // Written under another name and renamed: a killed run never leaves a truncated cache entry.
  const partial = `${file}.partial-${process.pid}`;
  try {
    writeDocuments(partial, size, seed, anchor);
    fs.renameSync(partial, file);
  } finally {
    fs.rmSync(partial, { force: true });
  }
  return {
    file,
    bytes: fs.statSync(file).size,
    generatedSeconds: (Date.now() - started) / 1000,
  };
}
