/**
 * The access matrix (docs/ACCESS.md) over the web app's pages, for the same personas × targets
 * (own user, a colleague, a traveller of the foreign company). The pages take the web app's
 * session cookie, not a bearer token: the three personas that are users sign in through the
 * pages (docs/WEB.md); the personas that exist only as an app's token (company tokens, the
 * supplier's and the partner's user tokens) send their bearer token and are sent to the sign-in.
 * A page showing many trips is checked for the target's trip: listed (200) or not ('hidden').
 */
import { describe, expect, it } from 'vitest';
import { useTestContext } from '../../helpers/app-fixture.js';
import {
  type PersonaName,
  type PersonaWorld,
  seedPersonaWorld,
  type Target,
} from '../../helpers/persona-world.js';
import type { TestContext } from '../../helpers/test-app.js';
import { auth, dayAt } from '../../helpers/trip-requests.js';
import { webSignIn } from '../../helpers/web-world.js';

type Cell = 200 | 302 | 403 | 404 | 'hidden';
type Row = [own: Cell, colleague: Cell, foreign: Cell];
type Page = 'webTrips' | 'webTrip' | 'webDutyOfCare' | 'webCalendar';

const H = 'hidden';
const SIGN_IN: Row = [302, 302, 302];
/** Personas that are only a token: no session, so every page sends them to the sign-in. */
const tokensOnly = (rows: Record<'traveller' | 'admin' | 'companyAdmin', Row>) => ({
  ...rows,
  tmcCompany: SIGN_IN,
  otherAgencyTmc: SIGN_IN,
  supplier: SIGN_IN,
  partnerCompany: SIGN_IN,
  partnerTraveller: SIGN_IN,
});

const MATRIX: Record<Page, Record<PersonaName, Row>> = {
  // The signed-in user's own trips, whatever the role.
  webTrips: tokensOnly({ traveller: [200, H, H], admin: [200, H, H], companyAdmin: [200, H, H] }),
  // One of the user's own trips; any other is "not found", revealing nothing.
  webTrip: tokensOnly({
    traveller: [200, 404, 404],
    admin: [200, 404, 404],
    companyAdmin: [200, 404, 404],
  }),
  // Read administrators only (the v1.1 list of ALL users), within their company.
  webDutyOfCare: tokensOnly({
    traveller: [403, 403, 403],
    admin: [200, 200, H],
    companyAdmin: [403, 403, 403],
  }),
  // The page shows the user's own feed URL; the feed holds the user's own trips.
  webCalendar: tokensOnly({
    traveller: [200, H, H],
    admin: [200, H, H],
    companyAdmin: [200, H, H],
  }),
};

const SESSIONS = ['traveller', 'admin', 'companyAdmin'] as const;
type SessionPersona = (typeof SESSIONS)[number];
const isSession = (name: PersonaName): name is SessionPersona =>
  (SESSIONS as readonly string[]).includes(name);

let context: TestContext;
let world: PersonaWorld;
const cookies = new Map<PersonaName, string>();

useTestContext(async (given) => {
  context = given;
  world = await seedPersonaWorld(context);
  const { home } = world.world;
  cookies.set('traveller', (await webSignIn(context.app, home.traveller)).cookie);
  cookies.set('admin', (await webSignIn(context.app, home.admin)).cookie);
  cookies.set('companyAdmin', (await webSignIn(context.app, home.companyAdmin)).cookie);
});

/** The calendar body with folded lines joined (RFC 5545 §3.1) and text escapes undone. */
const unfold = (ics: string) => ics.replace(/\r?\n[ \t]/g, '').replace(/\\([,;\\])/g, '$1');

async function call(name: PersonaName, page: Page, target: Target) {
  const persona = world.personas[name];
  const user = world.targetUser(persona, target);
  const readTrip = world.readTrips.get(user.loginId) ?? '';
  const headers = isSession(name)
    ? { cookie: cookies.get(name) ?? '' }
    : // A bearer token is no session: the pages do not read it.
      auth(persona.token);
  const url = {
    webTrips: '/app/trips',
    webTrip: `/app/trips/${readTrip}`,
    webDutyOfCare: `/app/duty-of-care?date=${dayAt(5).slice(0, 10)}`,
    webCalendar: '/app/calendar',
  }[page];
  const response = await context.app.inject({ method: 'GET', url, headers });
  if (response.statusCode !== 200) return { response, listed: undefined };
  if (page === 'webTrips')
    return { response, listed: response.body.includes(`read ${user.loginId}<`) };
  if (page === 'webDutyOfCare')
    // The row of the target's trip, found by the trip's name.
    return { response, listed: response.body.includes(`read ${user.loginId}`) };
  if (page === 'webCalendar') {
    const feed = /id="feed-url" type="text" readonly value="([^"]+)"/.exec(response.body)?.[1];
    expect(feed).toBeDefined();
    const ics = await context.app.inject({ method: 'GET', url: new URL(feed ?? '').pathname });
    expect(ics.statusCode).toBe(200);
    return { response, listed: unfold(ics.body).includes(`read ${user.loginId}`) };
  }
  return { response, listed: undefined };
}

const cases = (Object.keys(MATRIX) as Page[]).flatMap((page) =>
  (Object.keys(MATRIX[page]) as PersonaName[]).flatMap((name) =>
    (['own', 'colleague', 'foreign'] as const).map((target, index) => ({
      page,
      name,
      target,
      expected: MATRIX[page][name][index] as Cell,
    })),
  ),
);

describe('persona × web page × target', () => {
  it.each(cases)('$page by $name for the $target trip → $expected', async (c) => {
    const { response, listed } = await call(c.name, c.page, c.target);
    const status = c.expected === H ? 200 : c.expected;
    expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
    if (status === 302) expect(response.headers.location).toBe('/app/sign-in');
    // A refusal names no one: not the target's login id, nor the trip's name.
    if (status >= 400) expect(response.body).not.toContain('read ');
    if (listed !== undefined) expect(listed).toBe(c.expected === 200);
  });
});
