/**
 * The web app through `app.inject`: the landing page for browsers and the API's 404 for API
 * clients at `/`, signing in through the authorize page (PKCE, state, sealed cookies), the trip
 * lists and a trip's time line, duty of care for administrators only, and bad input.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestTenant } from '../helpers/app-fixture.js';
import type { Tenant, TestContext } from '../helpers/test-app.js';
import { expectError } from '../helpers/trip-requests.js';
import { cookiesOf, seedWebWorld, type WebWorld, webSignIn } from '../helpers/web-world.js';

let context: TestContext;
let tenant: Tenant;
let world: WebWorld;
let traveller: string;

useTestTenant((given) => {
  ({ context, tenant } = given);
});
beforeAll(async () => {
  world = await seedWebWorld(context, tenant);
  traveller = (await webSignIn(context.app, tenant.traveller)).cookie;
});

const get = (url: string, cookie?: string) =>
  context.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

describe('GET /', () => {
  it('is the landing page for a browser, with a strict CSP', async () => {
    const response = await context.app.inject({
      method: 'GET',
      url: '/',
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toContain('href="/app/sign-in"');
  });

  it('stays the API 404 for API clients', async () => {
    expectError(await context.app.inject({ method: 'GET', url: '/' }), 404);
    expectError(
      await context.app.inject({ method: 'GET', url: '/', headers: { accept: 'application/xml' } }),
      404,
    );
  });
});

describe('signing in', () => {
  it('sends a signed-out browser to the sign-in, and the sign-in to the authorize page with PKCE', async () => {
    const trips = await get('/app/trips');
    expect(trips.statusCode).toBe(302);
    expect(trips.headers.location).toBe('/app/sign-in');
    const start = await get('/app/sign-in');
    expect(start.statusCode).toBe(302);
    const location = new URL(String(start.headers.location), 'http://localhost');
    expect(location.pathname).toBe('/oauth2/v0/authorize');
    expect(location.searchParams.get('client_id')).toBe('itinera-web');
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('redirect_uri')).toBe('http://localhost:80/app/callback');
    const setCookie = String(start.headers['set-cookie']);
    expect(setCookie).toMatch(/itinera_signin=[A-Za-z0-9_-]+;/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Lax');
    expect(setCookie).toContain('Path=/app');
  });

  it('gives a sealed, HttpOnly session cookie that holds no readable token', async () => {
    const { setCookie } = await webSignIn(context.app, tenant.traveller);
    const header = (Array.isArray(setCookie) ? setCookie : [String(setCookie)]).find((c) =>
      c.startsWith('itinera_session='),
    );
    expect(header).toContain('HttpOnly');
    const value = cookiesOf(setCookie).itinera_session ?? '';
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('eyJ');
  });

  it('refuses a callback without the sign-in cookie, with a wrong state, or a used code', async () => {
    const start = await get('/app/sign-in');
    const state = new URL(String(start.headers.location), 'http://l').searchParams.get('state');
    const noCookie = await get(`/app/callback?code=abc&state=${state}`);
    expect(noCookie.statusCode).toBe(400);
    const flow = cookiesOf(start.headers['set-cookie']).itinera_signin;
    const wrongState = await get('/app/callback?code=abc&state=other', `itinera_signin=${flow}`);
    expect(wrongState.statusCode).toBe(400);
    const badCode = await get(`/app/callback?code=abc&state=${state}`, `itinera_signin=${flow}`);
    expect(badCode.statusCode).toBe(400);
    expect(badCode.headers['set-cookie']).not.toContain('itinera_session=ey');
  });

  it('does not let the token endpoint serve the public client', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/oauth2/v0/token',
      payload: `grant_type=password&client_id=itinera-web&client_secret=x&username=${encodeURIComponent(tenant.traveller.loginId)}&password=${encodeURIComponent(tenant.traveller.password)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.statusCode).toBe(401);
  });

  it('ignores a forged or altered session cookie', async () => {
    const altered = `${traveller.slice(0, -4)}AAAA`;
    expect((await get('/app/trips', altered)).statusCode).toBe(302);
    expect((await get('/app/trips', 'itinera_session=not-sealed')).statusCode).toBe(302);
  });
});

describe('the trip pages', () => {
  it('lists upcoming and past trips', async () => {
    const upcoming = await get('/app/trips', traveller);
    expect(upcoming.statusCode, upcoming.body).toBe(200);
    expect(upcoming.body).toContain('New York sales visit');
    expect(upcoming.body).not.toContain('Spring conference');
    expect(upcoming.body).not.toContain('Olga in New York');
    const past = await get('/app/trips?tab=past', traveller);
    expect(past.body).toContain('Spring conference');
    expect(past.body).not.toContain('New York sales visit');
    expect((await get('/app/trips?tab=nope', traveller)).statusCode).toBe(400);
  });

  it('shows a trip as a time line: flights, airports by name, zones, durations, nights, cancelled', async () => {
    const response = await get(`/app/trips/${world.upcomingId}`, traveller);
    expect(response.statusCode, response.body).toBe(200);
    const body = response.body;
    expect(body).toContain('BA 117');
    expect(body).toContain('British Airways');
    expect(body).toContain('London Heathrow Airport (LHR), London');
    expect(body).toContain('John F. Kennedy International Airport (JFK), New York City');
    expect(body).toContain('Europe/London');
    expect(body).toContain('America/New_York, UTC-0');
    // 11:20 London → 14:05 New York.
    expect(body).toMatch(/7 h 45 min|8 h 45 min/);
    expect(body).toContain('3 nights');
    expect(body).toContain('CONFWEBUP1');
    expect(body).toMatch(/class="card cancelled"[\s\S]*Car rental/);
    // Flights first, in time order.
    expect(body.indexOf('BA 117')).toBeLessThan(body.indexOf('Hotel Lexington'));
    expect(body.indexOf('Hotel Lexington')).toBeLessThan(body.indexOf('BA 112'));
  });

  it("answers 404 for another traveller's trip and for unknown ids, revealing nothing", async () => {
    for (const id of [world.othersId, 'no-such-trip', '%3Cscript%3E']) {
      const response = await get(`/app/trips/${id}`, traveller);
      expect(response.statusCode, id).toBe(404);
      expect(response.body).not.toContain('Olga');
      expect(response.body).not.toContain('<script>');
    }
    expect([400, 414]).toContain(
      (await get(`/app/trips/${'x'.repeat(300)}`, traveller)).statusCode,
    );
    expect((await get('/app/no-such-page', traveller)).statusCode).toBe(404);
  });
});

describe('duty of care', () => {
  it('is refused to travellers', async () => {
    const response = await get(`/app/duty-of-care?date=${world.awayDay}`, traveller);
    expect(response.statusCode).toBe(403);
    expect(response.body).not.toContain('Olga');
  });

  it('shows an administrator who is in which city on a day', async () => {
    const admin = (await webSignIn(context.app, tenant.admin)).cookie;
    const response = await get(`/app/duty-of-care?date=${world.awayDay}`, admin);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toContain('Chris Miller');
    expect(response.body).toContain('Olga Other');
    expect(response.body).toMatch(/<td>New York City<\/td>/);
    const quiet = await get('/app/duty-of-care?date=1999-01-01', admin);
    expect(quiet.body).toContain('No one is travelling that day.');
    for (const bad of ['2026-02-30', 'yesterday', '2026-1-1']) {
      expect((await get(`/app/duty-of-care?date=${bad}`, admin)).statusCode, bad).toBe(400);
    }
  });
});

describe('signing out', () => {
  it('needs the CSRF token, then ends the session', async () => {
    const { cookie } = await webSignIn(context.app, tenant.traveller);
    const post = (csrf: string) =>
      context.app.inject({
        method: 'POST',
        url: '/app/sign-out',
        payload: `csrf=${encodeURIComponent(csrf)}`,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect((await post('forged')).statusCode).toBe(403);
    const page = await get('/app/trips', cookie);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const out = await post(csrf);
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/itinera_session=;/);
  });
});

describe('ready to expense and the calendar', () => {
  it('lists the trips that can be expensed now', async () => {
    const response = await get('/app/trips?tab=expense', traveller);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toContain('Spring conference');
    expect(response.body).not.toContain('New York sales visit');
    expect(response.body).not.toContain('Olga in New York');
  });

  it('shows the feed URL and replaces it with the CSRF token only', async () => {
    const page = await get('/app/calendar', traveller);
    expect(page.statusCode, page.body).toBe(200);
    const url = /id="feed-url" type="text" readonly value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    expect(url).toMatch(/^http:\/\/localhost:80\/calendar\/v1\/feeds\/[^/]+\.ics$/);
    expect(page.body).toContain(`href="${url.replace('http://', 'webcal://')}"`);
    expect((await get('/app/calendar', traveller)).body).toContain(url);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const rotate = (token: string) =>
      context.app.inject({
        method: 'POST',
        url: '/app/calendar/rotate',
        payload: `csrf=${encodeURIComponent(token)}`,
        headers: { cookie: traveller, 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect((await rotate('forged')).statusCode).toBe(403);
    expect((await get('/app/calendar', traveller)).body).toContain(url);
    const rotated = await rotate(csrf);
    expect(rotated.statusCode).toBe(303);
    expect(rotated.headers.location).toBe('/app/calendar?rotated=1');
    const after = await get('/app/calendar?rotated=1', traveller);
    expect(after.body).not.toContain(url);
    expect(after.body).toContain('new calendar address');
    expect((await get('/app/calendar')).statusCode).toBe(302);
  });
});
