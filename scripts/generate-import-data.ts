/**
 * Test data for `itinera import` (docs/IMPORT.md, "Measuring"): seeded, so the same arguments
 * always write the same bytes. Trips follow the reference samples (reference/concur/samples:
 * post-trip-tmc-request.xml, post-booking-request.xml): a round-trip flight, a hotel and often a
 * car, between real airports, on days spread over a year; about one document in ten is a
 * `<Booking>` (a car) inside an earlier trip's dates, which the merge puts into that trip.
 *
 *   npx tsx scripts/generate-import-data.ts --trips 100000 --out /tmp/trips.ndjson
 *     [--form ndjson|xml-stream|directory] [--travellers N] [--seed S] [--company NAME]
 *
 * Also writes OUT.seed.json: the company, its travellers and a TMC app (`itinera seed`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    trips: { type: 'string', default: '10000' },
    out: { type: 'string' },
    form: { type: 'string', default: 'ndjson' },
    travellers: { type: 'string' },
    seed: { type: 'string', default: '15' },
    company: { type: 'string', default: 'Import Corp' },
  },
  strict: true,
});
if (!values.out) throw new Error('--out PATH is required');
const TRIPS = Number(values.trips);
const TRAVELLERS = Number(values.travellers ?? Math.max(1, Math.ceil(TRIPS / 20)));
const FORM = values.form as 'ndjson' | 'xml-stream' | 'directory';
const OUT = path.resolve(values.out);

/** mulberry32: a small seeded generator, enough for test data. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = generator(Number(values.seed));
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const AIRPORTS = [
  'DFW',
  'SEA',
  'JFK',
  'LAX',
  'ORD',
  'SFO',
  'BOS',
  'ATL',
  'LHR',
  'CDG',
  'FRA',
  'MUC',
  'FCO',
  'LIN',
  'AMS',
  'MAD',
];
const AIRLINES = ['AA', 'UA', 'DL', 'AS', 'BA', 'AF', 'LH', 'AZ', 'KL', 'IB'];
const HOTELS = [
  'Grand Central Hotel',
  'Harbor View Inn',
  'Airport Marriott',
  'Hotel Roma',
  'City Suites',
  'Park Plaza',
];
const CARS = ['ZE', 'ZI', 'ET', 'ZD', 'AL'];
const FIRST = [
  'Alice',
  'Bob',
  'Chris',
  'Dana',
  'Eve',
  'Farid',
  'Gita',
  'Hiro',
  'Ines',
  'Jon',
  'Kemal',
  'Lena',
];
const LAST = [
  'Smith',
  'Miller',
  'Garcia',
  'Chen',
  'Okafor',
  'Rossi',
  'Novak',
  'Tanaka',
  'Silva',
  'Berg',
];
const DAY = 86_400_000;
const FIRST_DAY = Date.UTC(2027, 0, 4);

const local = (ms: number) => new Date(ms).toISOString().slice(0, 19);
const locator = (n: number) => `IM${n.toString(36).toUpperCase().padStart(6, '0')}`;
const loginOf = (t: number) => `traveller${t}@import.example`;
const nameOf = (t: number) => ({
  first: FIRST[t % FIRST.length] as string,
  last: LAST[Math.floor(t / FIRST.length) % LAST.length] as string,
});

function air(from: string, to: string, start: number): string {
  const minutes = 60 + Math.floor(random() * 480);
  return `<Air><Vendor>${pick(AIRLINES)}</Vendor><FlightNumber>${100 + Math.floor(random() * 8900)}</FlightNumber><ClassOfService>${pick(['Y', 'Y', 'Y', 'J'])}</ClassOfService><StartCityCode>${from}</StartCityCode><EndCityCode>${to}</EndCityCode><StartDateLocal>${local(start)}</StartDateLocal><EndDateLocal>${local(start + minutes * 60_000)}</EndDateLocal></Air>`;
}

function car(city: string, start: number, end: number, confirmation: string): string {
  return `<Car><Vendor>${pick(CARS)}</Vendor><StartCityCode>${city}</StartCityCode><EndCityCode>${city}</EndCityCode><StartDateLocal>${local(start)}</StartDateLocal><EndDateLocal>${local(end)}</EndDateLocal><ConfirmationNumber>${confirmation}</ConfirmationNumber><TotalRate>${(40 + Math.floor(random() * 80)).toFixed(2)}</TotalRate><Currency>USD</Currency></Car>`;
}

interface Trip {
  traveller: number;
  xml: string;
  city: string;
  start: number;
  end: number;
}

function trip(n: number): Trip {
  const traveller = Math.floor(random() * TRAVELLERS);
  const name = nameOf(traveller);
  const from = pick(AIRPORTS);
  let to = pick(AIRPORTS);
  while (to === from) to = pick(AIRPORTS);
  const start =
    FIRST_DAY + Math.floor(random() * 365) * DAY + (6 + Math.floor(random() * 12)) * 3_600_000;
  const nights = 1 + Math.floor(random() * 5);
  const back = start + nights * DAY;
  const segments = [
    air(from, to, start),
    `<Hotel><Name>${pick(HOTELS)}</Name><StartCityCode>${to}</StartCityCode><StartDateLocal>${local(start + 5 * 3_600_000)}</StartDateLocal><EndDateLocal>${local(back - 3 * 3_600_000)}</EndDateLocal><DailyRate>${100 + Math.floor(random() * 200)}</DailyRate><Currency>USD</Currency><ConfirmationNumber>H${n}</ConfirmationNumber></Hotel>`,
    random() < 0.5 ? car(to, start + 2 * 3_600_000, back - 2 * 3_600_000, `C${n}`) : '',
    air(to, from, back),
  ].join('');
  const xml = `<Itinerary xmlns="http://www.concursolutions.com/api/travel/trip/2010/06"><TripName>${from} to ${to}</TripName><ClientLocator>IMP-${n}</ClientLocator><Bookings><Booking><RecordLocator>${locator(n)}</RecordLocator><BookingSource>ImportTMC</BookingSource><DateBookedLocal>${local(start - 20 * DAY)}</DateBookedLocal><Passengers><Passenger><NameFirst>${name.first}</NameFirst><NameLast>${name.last}</NameLast></Passenger></Passengers><Segments>${segments}</Segments></Booking></Bookings></Itinerary>`;
  return { traveller, xml, city: to, start, end: back };
}

function carBooking(n: number, into: Trip): string {
  const start = into.start + 3 * 3_600_000;
  return `<Booking xmlns="http://www.concursolutions.com/api/travel/trip/2010/06"><RecordLocator>${locator(n)}</RecordLocator><BookingSource>ImportTMC</BookingSource><Segments>${car(into.city, start, Math.max(start + 3_600_000, into.end - 4 * 3_600_000), `CB${n}`)}</Segments></Booking>`;
}

/** The documents, in order: trips, and now and then a booking into an earlier trip. */
function* documents(): Generator<{ traveller: number; xml: string }> {
  const recent: Trip[] = [];
  for (let n = 0; n < TRIPS; n++) {
    if (recent.length > 0 && random() < 0.1) {
      const into = pick(recent);
      yield { traveller: into.traveller, xml: carBooking(n, into) };
      continue;
    }
    const made = trip(n);
    recent.push(made);
    if (recent.length > 100) recent.shift();
    yield made;
  }
}

function write(): void {
  if (FORM === 'directory') {
    fs.mkdirSync(OUT, { recursive: true });
    let n = 0;
    for (const doc of documents()) {
      const dir = path.join(OUT, loginOf(doc.traveller));
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${String(n++).padStart(8, '0')}.xml`), doc.xml);
    }
    return;
  }
  const fd = fs.openSync(OUT, 'w');
  let pending: string[] = [];
  const flush = () => {
    fs.writeSync(fd, pending.join(''));
    pending = [];
  };
  if (FORM === 'xml-stream')
    pending.push('<?xml version="1.0" encoding="UTF-8"?>\n<ItineraryImport>\n');
  for (const doc of documents()) {
    pending.push(
      FORM === 'ndjson'
        ? `${JSON.stringify({ user: loginOf(doc.traveller), xml: doc.xml })}\n`
        : `<Traveller id="${loginOf(doc.traveller)}">${doc.xml}</Traveller>\n`,
    );
    if (pending.length >= 1000) flush();
  }
  if (FORM === 'xml-stream') pending.push('</ItineraryImport>\n');
  flush();
  fs.closeSync(fd);
}

write();
const company = values.company as string;
const seed = {
  companies: [{ name: company, region: 'us' }],
  users: Array.from({ length: TRAVELLERS }, (_, t) => ({
    loginId: loginOf(t),
    password: `import-password-${t}`,
    company,
    firstName: nameOf(t).first,
    lastName: nameOf(t).last,
  })),
  apps: [
    {
      clientId: 'import-tmc',
      clientSecret: 'import-tmc-secret-change-me',
      name: 'Import TMC',
      kind: 'tmc',
      scopes: ['openid', 'ITINER'],
      companies: [company],
      bookingSource: 'ImportTMC',
      travelTypes: ['Air', 'Car', 'Hotel', 'Rail'],
    },
  ],
};
fs.writeFileSync(`${OUT.replace(/\/$/, '')}.seed.json`, JSON.stringify(seed, null, 1));
console.log(
  `wrote ${TRIPS} documents for ${TRAVELLERS} travellers to ${OUT} (${FORM}), seed file ${OUT}.seed.json`,
);
