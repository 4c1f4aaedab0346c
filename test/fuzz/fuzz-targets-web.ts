/**
 * The fuzzer's calendar and web targets: the secret calendar feed URL and one trip's `.ics`, the
 * feed API, the web app's pages with the session cookie, its calendar rotation form, its sign-in
 * and callback, and the OAuth authorize page and form a browser signs in with. Hostile cases
 * plant hostile ids, query values, cookies and tokens; the mutations of mutations.ts add the rest.
 */

import { hiddenFields } from '../helpers/authorize-flow.js';
import type { TestContext } from '../helpers/test-app.js';
import { webSignIn } from '../helpers/web-world.js';
import { bearer, request, segment } from './fuzz-request.js';
import type { FuzzTarget, FuzzWorld } from './fuzz-targets.js';
import { INJECTIONS, longText } from './hostile-values.js';
import type { Rng } from './prng.js';

/** What the web and calendar targets aim at, made when the world is seeded. */
export interface WebFuzzWorld {
  /** The traveller's web session (`itinera_session=…`) and its page's CSRF token. */
  cookie: string;
  csrf: string;
  /** The administrator's secret feed path (the traveller's is rotated by the cases). */
  feedPath: string;
  /** The web app's authorize page (path and query) and its form's hidden fields. */
  authorizeUrl: string;
  authorizeFields: Record<string, string>;
}

/** Values a header may carry (no CR, LF or NUL: the HTTP client refuses those). */
const HEADER_SAFE = INJECTIONS.filter((value) => !/[\r\n\0]/.test(value));

/** A cookie header: the valid one, or one altered, forged, doubled or oversized. */
function cookieOf(rng: Rng, valid: string, hostile: boolean): string {
  if (!hostile || rng.chance(0.6)) return valid;
  const [name = 'itinera_session', value = ''] = valid.split('=', 2);
  return rng.pick([
    `${name}=${value.slice(0, -4)}${rng.pick(['AAAA', '....', '%00%0', '===='])}`,
    `${name}=${rng.pick(HEADER_SAFE)}`,
    `${name}=${value}; ${name}=${rng.pick(HEADER_SAFE)}`,
    `${name}=${longText(rng.pick([100, 5000]))}`,
    `itinera_signin=${rng.pick(HEADER_SAFE)}; ${valid}`,
    `${name}`,
    '',
  ]);
}

/** A hostile value for a query parameter or form field. */
const hostileValue = (rng: Rng) =>
  rng.chance(0.1) ? longText(rng.pick([300, 5000])) : rng.pick(INJECTIONS);

function web(w: FuzzWorld): WebFuzzWorld {
  if (!w.web) throw new Error('the fuzz world has no web session');
  return w.web;
}

export const WEB_TARGETS: readonly FuzzTarget[] = [
  {
    name: 'calendar-feed',
    build(rng, w, hostile) {
      const valid = web(w).feedPath;
      if (!hostile || rng.chance(0.3)) return request('GET', valid, 'none', {});
      const token = valid.slice(valid.lastIndexOf('/') + 1, -'.ics'.length);
      const forged = rng.pick([
        `${token.slice(0, -2)}${rng.pick(['AA', '__', '%2', '..'])}`,
        rng.pick(INJECTIONS),
        longText(rng.pick([40, 400])),
        token.toUpperCase(),
      ]);
      const extension = rng.pick(['.ics', '.ics', '', '.ICS', '.ics.bak', '.json']);
      return request('GET', `/calendar/v1/feeds/${segment(forged)}${extension}`, 'none', {});
    },
  },
  {
    name: 'calendar-trip',
    build(rng, w, hostile) {
      const id = hostile && rng.chance(0.4) ? rng.pick(INJECTIONS) || 'x' : w.tripId;
      const query: Record<string, string> = {};
      if (hostile && rng.chance(0.5)) {
        query[rng.pick(['userid_type', 'userid_value', 'tz', 'alarm'])] = hostileValue(rng);
        if (rng.chance(0.5)) query.userid_type = rng.pick(['login', 'login_id', 'xmlsyncid']);
      }
      return request(
        'GET',
        `/calendar/v1/trips/${segment(id)}${hostile && rng.chance(0.1) ? '' : '.ics'}`,
        'none',
        bearer(w.travellerToken),
        undefined,
        query,
      );
    },
  },
  {
    // The traveller's own feed URL, read or replaced (the administrator's feed is the one aimed at).
    name: 'calendar-feed-api',
    build: (rng, w) =>
      rng.chance(0.6)
        ? request('GET', '/calendar/v1/feed', 'none', bearer(w.travellerToken))
        : request('POST', '/calendar/v1/feed/rotate', 'none', bearer(w.travellerToken)),
  },
  {
    name: 'web-pages',
    build(rng, w, hostile) {
      const { cookie } = web(w);
      const headers = { cookie: cookieOf(rng, cookie, hostile), accept: 'text/html' };
      const bad = () => (hostile && rng.chance(0.5) ? hostileValue(rng) : undefined);
      const page = rng.int(0, 3);
      if (page === 0)
        return request('GET', '/app/trips', 'none', headers, undefined, {
          tab: bad() ?? rng.pick(['upcoming', 'past', 'expense']),
        });
      if (page === 1)
        return request('GET', `/app/trips/${segment(bad() ?? w.tripId)}`, 'none', headers);
      if (page === 2)
        return request('GET', '/app/duty-of-care', 'none', headers, undefined, {
          date: bad() ?? '2026-12-14',
        });
      return request(
        'GET',
        '/app/calendar',
        'none',
        headers,
        undefined,
        hostile && rng.chance(0.3) ? { rotated: hostileValue(rng) } : {},
      );
    },
  },
  {
    name: 'web-rotate',
    build(rng, w, hostile) {
      const { cookie, csrf } = web(w);
      const token = hostile && rng.chance(0.4) ? hostileValue(rng) : csrf;
      return request(
        'POST',
        '/app/calendar/rotate',
        'form',
        { cookie: cookieOf(rng, cookie, hostile) },
        new URLSearchParams({ csrf: token }).toString(),
      );
    },
  },
  {
    // The sign-in starts the flow; the callback is hostile only (a valid code is single-use).
    name: 'web-sign-in',
    build(rng, _w, hostile) {
      if (!hostile || rng.chance(0.4)) return request('GET', '/app/sign-in', 'none', {});
      const query: Record<string, string> = { code: hostileValue(rng), state: hostileValue(rng) };
      if (rng.chance(0.3)) query.error = hostileValue(rng);
      const flow: Record<string, string> = rng.chance(0.5)
        ? { cookie: `itinera_signin=${rng.pick(HEADER_SAFE)}` }
        : {};
      return request('GET', '/app/callback', 'none', flow, undefined, query);
    },
  },
  {
    name: 'authorize-form',
    hashes: 1,
    build(rng, w, hostile) {
      const { authorizeUrl, authorizeFields } = web(w);
      if (hostile && rng.chance(0.3)) {
        const url = new URL(authorizeUrl, 'http://localhost');
        const query = Object.fromEntries(url.searchParams);
        query[rng.pick(Object.keys(query))] = hostileValue(rng);
        return request('GET', url.pathname, 'none', {}, undefined, query);
      }
      const fields = {
        ...authorizeFields,
        login_id: w.tenant.traveller.loginId,
        password: w.tenant.traveller.password,
      };
      if (hostile && rng.chance(0.5)) {
        const names = Object.keys(fields) as (keyof typeof fields)[];
        fields[rng.pick(names)] = hostileValue(rng);
      }
      return request(
        'POST',
        '/oauth2/v0/authorize',
        'form',
        {},
        new URLSearchParams(fields).toString(),
      );
    },
  },
];

/** Signs the traveller in to the web app and reads what the web and calendar targets need. */
export async function seedWebFuzz(context: TestContext, world: FuzzWorld): Promise<WebFuzzWorld> {
  const { cookie } = await webSignIn(context.app, world.tenant.traveller);
  const page = await context.app.inject({
    method: 'GET',
    url: '/app/calendar',
    headers: { cookie },
  });
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (page.statusCode !== 200 || !csrf) throw new Error(`calendar page: ${page.statusCode}`);
  const feed = await context.app.inject({
    method: 'GET',
    url: '/calendar/v1/feed',
    headers: bearer(world.adminToken),
  });
  if (feed.statusCode !== 200) throw new Error(`feed API: ${feed.body}`);
  const feedPath = new URL((feed.json() as { url: string }).url).pathname;
  const start = await context.app.inject({ method: 'GET', url: '/app/sign-in' });
  const location = new URL(String(start.headers.location), 'http://localhost');
  const authorizeUrl = `${location.pathname}${location.search}`;
  const form = await context.app.inject({ method: 'GET', url: authorizeUrl });
  if (form.statusCode !== 200) throw new Error(`authorize page: ${form.statusCode}`);
  return { cookie, csrf, feedPath, authorizeUrl, authorizeFields: hiddenFields(form.body) };
}
