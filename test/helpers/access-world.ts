/**
 * A world of every persona for the access tests: a home company (traveller, colleague, Web
 * Services Administrator, Company Administrator) served by two TMC apps of different agencies,
 * a TripLink supplier app and a partner app; and a foreign company with its own TMC app.
 */
import { randomUUID } from 'node:crypto';
import { seedDatabase, validateSeedFile } from '../../src/modules/accounts/seed/seed.service.js';
import type { TestContext } from './test-app.js';
import { dayAt, TRIP_NS } from './trip-requests.js';

export interface Person {
  loginId: string;
  password: string;
}
export interface Client {
  clientId: string;
  clientSecret: string;
}

export interface AccessWorld {
  home: {
    company: string;
    traveller: Person;
    colleague: Person;
    admin: Person;
    companyAdmin: Person;
  };
  foreign: { company: string; traveller: Person; admin: Person };
  apps: {
    tmc: Client;
    otherAgencyTmc: Client;
    supplier: Client;
    partner: Client;
    foreignTmc: Client;
  };
  /** The supplier app's booking source. */
  supplierSource: string;
  /** The TMC app's booking source (bookings the supplier does not own). */
  tmcSource: string;
}

const person = (name: string, tag: string): Person => ({
  loginId: `${name}-${tag}@example.com`,
  password: `pw-${name}-${tag}`,
});
const client = (name: string, tag: string): Client => ({
  clientId: `${name}-${tag}`,
  clientSecret: `secret-${name}-${tag}-0123456789`,
});

/** Seeds the world with unique names. */
export async function seedAccessWorld(context: TestContext): Promise<AccessWorld> {
  const tag = randomUUID().slice(0, 8);
  const world: AccessWorld = {
    home: {
      company: `Home ${tag}`,
      traveller: person('traveller', tag),
      colleague: person('colleague', tag),
      admin: person('admin', tag),
      companyAdmin: person('company-admin', tag),
    },
    foreign: {
      company: `Foreign ${tag}`,
      traveller: person('foreign-traveller', tag),
      admin: person('foreign-admin', tag),
    },
    apps: {
      tmc: client('tmc', tag),
      otherAgencyTmc: client('tmc-b', tag),
      supplier: client('supplier', tag),
      partner: client('partner', tag),
      foreignTmc: client('foreign-tmc', tag),
    },
    supplierSource: `SkyAir${tag}`,
    tmcSource: `GDS${tag}`,
  };
  // Everyone is named as the passenger of `tmcTripXml`: those are their own bookings, not
  // guest bookings (which the list leaves out unless asked for).
  const user = (p: Person, company: string, roles: string[] = []) => ({
    loginId: p.loginId,
    password: p.password,
    company,
    firstName: 'Pat',
    lastName: 'Passenger',
    roles,
  });
  const { home, foreign, apps } = world;
  const app = (
    c: Client,
    kind: 'tmc' | 'supplier' | 'partner',
    companies: string[],
    extra: Record<string, unknown> = {},
  ) => ({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    name: `${kind} ${c.clientId}`,
    kind,
    scopes: ['openid', 'ITINER'],
    companies,
    ...extra,
  });
  await seedDatabase(
    context.database.db,
    validateSeedFile({
      companies: [
        { name: home.company, region: 'us' },
        { name: foreign.company, region: 'us' },
      ],
      users: [
        user(home.traveller, home.company),
        user(home.colleague, home.company),
        user(home.admin, home.company, ['WebServicesAdministrator']),
        user(home.companyAdmin, home.company, ['CompanyAdministrator']),
        user(foreign.traveller, foreign.company),
        user(foreign.admin, foreign.company, ['WebServicesAdministrator']),
      ],
      apps: [
        app(apps.tmc, 'tmc', [home.company], {
          bookingSource: world.tmcSource,
          agencyId: `agency-a-${tag}`,
          travelTypes: ['Air', 'Car', 'Hotel', 'Rail'],
        }),
        app(apps.otherAgencyTmc, 'tmc', [home.company], { agencyId: `agency-b-${tag}` }),
        app(apps.supplier, 'supplier', [home.company], {
          bookingSource: world.supplierSource,
          travelTypes: ['Air', 'Hotel'],
        }),
        app(apps.partner, 'partner', [home.company]),
        app(apps.foreignTmc, 'tmc', [foreign.company], { bookingSource: `F${world.tmcSource}` }),
      ],
    }),
  );
  return world;
}

function form(values: Record<string, string>) {
  return {
    payload: new URLSearchParams(values).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** A user's access token through an app (password grant). */
export async function userToken(context: TestContext, app: Client, user: Person): Promise<string> {
  const response = await context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    ...form({
      grant_type: 'password',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      username: user.loginId,
      password: user.password,
    }),
  });
  if (response.statusCode !== 200) throw new Error(`password grant failed: ${response.body}`);
  return (response.json() as { access_token: string }).access_token;
}

/** An app's company-level access token (client_credentials), with `scope` when given. */
export async function companyToken(
  context: TestContext,
  app: Client,
  scope?: string,
): Promise<string> {
  const response = await context.app.inject({
    method: 'POST',
    url: '/oauth2/v0/token',
    ...form({
      grant_type: 'client_credentials',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      ...(scope ? { scope } : {}),
    }),
  });
  if (response.statusCode !== 200) throw new Error(`client_credentials failed: ${response.body}`);
  return (response.json() as { access_token: string }).access_token;
}

/** Amount values planted in the TMC booking, which a supplier must never see. */
export const TMC_AMOUNTS = ['987.6543', '456.1234', '321.5678'];

/**
 * A trip as a TMC books it: one TMC booking with a flight (gates, terminals, exact times, class
 * and confirmation), a hotel and a car with amounts, and a rail segment; optionally a booking of
 * the supplier beside it.
 */
export function tmcTripXml(world: AccessWorld, name: string, withSupplierBooking = false): string {
  const locator = `L${randomUUID().slice(0, 6).toUpperCase()}`;
  const flight =
    `<Air><Vendor>UA</Vendor><FlightNumber>100</FlightNumber><ClassOfService>Y</ClassOfService>` +
    `<ConfirmationNumber>AIRCONF1</ConfirmationNumber><StartCityCode>SEA</StartCityCode>` +
    `<EndCityCode>SFO</EndCityCode><StartDateLocal>${dayAt(5, 9)}</StartDateLocal>` +
    `<EndDateLocal>${dayAt(5, 11)}</EndDateLocal><StartGate>G-7</StartGate>` +
    `<StartTerminal>T1</StartTerminal><EndGate>B2</EndGate><EndTerminal>T2</EndTerminal></Air>`;
  const hotel =
    `<Hotel><Name>Harbour Hotel</Name><StartCityCode>SFO</StartCityCode>` +
    `<StartDateLocal>${dayAt(5, 15)}</StartDateLocal><EndDateLocal>${dayAt(7, 11)}</EndDateLocal>` +
    `<TotalRate>${TMC_AMOUNTS[0]}</TotalRate><Currency>USD</Currency><DailyRate>${TMC_AMOUNTS[1]}</DailyRate>` +
    `<Charges><Fixed><Amount>${TMC_AMOUNTS[2]}</Amount><Currency>USD</Currency></Fixed></Charges></Hotel>`;
  const rail =
    `<Rail><Vendor>2V</Vendor><StartDateLocal>${dayAt(7, 13)}</StartDateLocal>` +
    `<EndDateLocal>${dayAt(7, 16)}</EndDateLocal><StartRailStation>SF-C</StartRailStation></Rail>`;
  const supplierBooking = withSupplierBooking
    ? `<Booking><RecordLocator>S${locator}</RecordLocator><BookingSource>${world.supplierSource}</BookingSource>` +
      `<Segments><Air><Vendor>ZZ</Vendor><FlightNumber>9</FlightNumber><StartCityCode>SFO</StartCityCode>` +
      `<EndCityCode>SEA</EndCityCode><StartDateLocal>${dayAt(8, 10)}</StartDateLocal>` +
      `<EndDateLocal>${dayAt(8, 12)}</EndDateLocal><StartGate>S1</StartGate></Air></Segments></Booking>`
    : '';
  return (
    `<Itinerary xmlns="${TRIP_NS}"><TripName>${name}</TripName><Comments>visible note</Comments>` +
    `<Description>hidden description</Description><Bookings>` +
    `<Booking><RecordLocator>${locator}</RecordLocator><BookingSource>${world.tmcSource}</BookingSource>` +
    `<Passengers><Passenger><NameFirst>Pat</NameFirst><NameLast>Passenger</NameLast></Passenger></Passengers>` +
    `<Segments>${flight}${hotel}${rail}</Segments></Booking>${supplierBooking}</Bookings></Itinerary>`
  );
}

/** A trip as the supplier books it: one booking of its own source with a flight and a hotel. */
export function supplierTripXml(world: AccessWorld, name: string, source = world.supplierSource) {
  const locator = `S${randomUUID().slice(0, 6).toUpperCase()}`;
  return (
    `<Itinerary xmlns="${TRIP_NS}"><TripName>${name}</TripName><Bookings><Booking>` +
    `<RecordLocator>${locator}</RecordLocator><BookingSource>${source}</BookingSource><Segments>` +
    `<Air><Vendor>ZZ</Vendor><FlightNumber>42</FlightNumber><StartCityCode>SEA</StartCityCode>` +
    `<EndCityCode>LAX</EndCityCode><StartDateLocal>${dayAt(10, 8)}</StartDateLocal>` +
    `<EndDateLocal>${dayAt(10, 10)}</EndDateLocal><StartGate>A1</StartGate></Air>` +
    `<Hotel><StartCityCode>LAX</StartCityCode><StartDateLocal>${dayAt(10, 15)}</StartDateLocal>` +
    `<EndDateLocal>${dayAt(11, 11)}</EndDateLocal><TotalRate>199.0000</TotalRate></Hotel>` +
    `</Segments></Booking></Bookings></Itinerary>`
  );
}
