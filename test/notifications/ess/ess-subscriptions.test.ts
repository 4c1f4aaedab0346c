/**
 * ESS v4 subscription management (event-subscription-management): topics by scope, create,
 * replace, list, get, delete, and each refusal, which writes nothing.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestContext } from '../../helpers/app-fixture.js';
import {
  ESS_SCOPES,
  essCall,
  essTenant,
  ITINERARY_TOPIC,
  putSubscription,
  subscriptionBody,
} from '../../helpers/ess-world.js';
import { type Tenant, type TestContext, tokenFor } from '../../helpers/test-app.js';

const ENDPOINT = 'https://hooks.example.com/itinera';
let context: TestContext;
let tenant: Tenant;
let token: string;
let other: { tenant: Tenant; token: string };

useTestContext((given) => {
  context = given;
});
beforeAll(async () => {
  ({ tenant, token } = await essTenant(context));
  other = await essTenant(context);
});

const subscriptionRows = () =>
  context.database.db.selectFrom('event_subscriptions').selectAll().execute();
const unique = (name: string) => `${name}.${randomUUID().slice(0, 8)}`;

describe('GET /events/v4/topics', () => {
  it('lists the itinerary topic to a token holding its scope', async () => {
    const response = await essCall(context, 'GET', '/topics', token);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual([ITINERARY_TOPIC]);
  });

  it('answers an empty list with events.topic.read alone', async () => {
    const bare = await essTenant(context, ['ITINER', 'events.topic.read']);
    const response = await essCall(context, 'GET', '/topics', bare.token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual([]);
  });

  it('refuses a token without events.topic.read (403), no token (401) and user tokens (403)', async () => {
    const noEss = await essTenant(context, ['ITINER', 'travel.itinerary.read']);
    const refused = await essCall(context, 'GET', '/topics', noEss.token);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'insufficient_scope' });
    expect(refused.json().message).toContain('events.topic.read');
    expect((await essCall(context, 'GET', '/topics', undefined)).statusCode).toBe(401);
    const user = await tokenFor(context, tenant, tenant.admin);
    const asUser = await essCall(context, 'GET', '/topics', user);
    expect(asUser.statusCode).toBe(403);
    expect(asUser.json().message).toContain('company-level token');
  });
});

describe('PUT /events/v4/subscriptions/webhook', () => {
  it('saves a subscription and shows it as ESS does', async () => {
    const id = unique('my-company.itinerary.prod.v1');
    const response = await putSubscription(context, token, subscriptionBody(id, ENDPOINT));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ message: `Subscription '${id}' saved successfully` });
    const got = await essCall(context, 'GET', `/subscriptions/${id}`, token);
    expect(got.statusCode).toBe(200);
    const [shown] = got.json();
    expect(got.json()).toHaveLength(1);
    const company = await context.database.db
      .selectFrom('companies')
      .select('id')
      .where('name', '=', tenant.company)
      .executeTakeFirstOrThrow();
    const app = await context.database.db
      .selectFrom('apps')
      .select('id')
      .where('client_id', '=', tenant.app.clientId)
      .executeTakeFirstOrThrow();
    expect(shown).toEqual({
      id,
      topic: ITINERARY_TOPIC,
      filter: '.*',
      webHookConfig: { endpoint: ENDPOINT },
      applicationId: app.id,
      scope: '',
      groups: [],
      companyIds: [company.id],
    });
  });

  it('replaces its own subscription of the same id (filter, endpoint)', async () => {
    const id = unique('replace-me');
    await putSubscription(context, token, subscriptionBody(id, ENDPOINT));
    const again = await putSubscription(
      context,
      token,
      subscriptionBody(id, 'https://other.example.com/x', { filter: 'ItineraryCreated' }),
    );
    expect(again.statusCode, again.body).toBe(200);
    const [shown] = (await essCall(context, 'GET', `/subscriptions/${id}`, token)).json();
    expect(shown).toMatchObject({
      filter: 'ItineraryCreated',
      webHookConfig: { endpoint: 'https://other.example.com/x' },
    });
    const row = (await subscriptionRows()).find((r) => r.id === id);
    expect(JSON.parse(row?.event_types ?? '[]')).toEqual(['ItineraryCreated']);
  });

  it("refuses another app's id with 409 and changes nothing", async () => {
    const id = unique('taken');
    await putSubscription(context, token, subscriptionBody(id, ENDPOINT));
    const response = await putSubscription(
      context,
      other.token,
      subscriptionBody(id, 'https://evil.example.com/'),
    );
    expect(response.statusCode).toBe(409);
    expect(response.json().message).toContain('already in use');
    const row = (await subscriptionRows()).find((r) => r.id === id);
    expect(row?.endpoint).toBe(ENDPOINT);
  });

  const bad: [string, object, number, string][] = [
    ['an id with capitals', { id: 'My-Sub' }, 400, 'id must be'],
    ['a missing id', { id: undefined }, 400, 'id is required'],
    ['a bad regular expression', { filter: '(' }, 400, 'filter is not a valid regular expression'],
    ['an unknown topic', { topic: 'public.test' }, 400, "Unknown topic 'public.test'"],
    [
      'an http endpoint',
      { webHookConfig: { endpoint: 'http://hooks.example.com/' } },
      400,
      'https',
    ],
    [
      'a loopback endpoint',
      { webHookConfig: { endpoint: 'https://127.0.0.1/x' } },
      400,
      'loopback',
    ],
    ['a private endpoint', { webHookConfig: { endpoint: 'https://10.1.2.3/x' } }, 400, 'private'],
    [
      'credentials in the URL',
      { webHookConfig: { endpoint: 'https://u:p@h.example.com/' } },
      400,
      'password',
    ],
    ['not a URL', { webHookConfig: { endpoint: 'hooks' } }, 400, 'absolute https URL'],
    ['no webHookConfig', { webHookConfig: undefined }, 400, 'webHookConfig'],
  ];
  for (const [name, change, status, message] of bad) {
    it(`refuses ${name} (${status}) and writes nothing`, async () => {
      const before = (await subscriptionRows()).length;
      const body = { ...subscriptionBody(unique('bad'), ENDPOINT), ...change };
      const response = await putSubscription(context, token, body);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json().message).toContain(message);
      expect((await subscriptionRows()).length).toBe(before);
    });
  }

  it('refuses the topic without its scope (403)', async () => {
    const bare = await essTenant(context, ['ITINER', 'events.topic.read']);
    const response = await putSubscription(
      context,
      bare.token,
      subscriptionBody(unique('x'), ENDPOINT),
    );
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain('travel.itinerary.read');
  });
});

describe('GET and DELETE /events/v4/subscriptions', () => {
  it("lists the caller's subscriptions only, by id", async () => {
    const mine = await essTenant(context, ESS_SCOPES);
    await putSubscription(
      context,
      mine.token,
      subscriptionBody(`list.b.${mine.tenant.app.clientId}`, ENDPOINT),
    );
    await putSubscription(
      context,
      mine.token,
      subscriptionBody(`list.a.${mine.tenant.app.clientId}`, ENDPOINT),
    );
    const response = await essCall(context, 'GET', '/subscriptions', mine.token);
    expect(response.statusCode).toBe(200);
    expect(response.json().map((s: { id: string }) => s.id)).toEqual([
      `list.a.${mine.tenant.app.clientId}`,
      `list.b.${mine.tenant.app.clientId}`,
    ]);
  });

  it("answers 404 for an unknown id and for another app's subscription", async () => {
    const id = unique('hidden');
    await putSubscription(context, token, subscriptionBody(id, ENDPOINT));
    expect(
      (await essCall(context, 'GET', `/subscriptions/${unique('none')}`, token)).statusCode,
    ).toBe(404);
    const foreign = await essCall(context, 'GET', `/subscriptions/${id}`, other.token);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toBe(`Subscription '${id}' was not found.`);
    expect((await essCall(context, 'DELETE', `/subscriptions/${id}`, other.token)).statusCode).toBe(
      404,
    );
  });

  it('deletes a subscription, which then is gone', async () => {
    const id = unique('delete-me');
    await putSubscription(context, token, subscriptionBody(id, ENDPOINT));
    const response = await essCall(context, 'DELETE', `/subscriptions/${id}`, token);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: `Subscription '${id}' marked for deletion` });
    expect((await essCall(context, 'GET', `/subscriptions/${id}`, token)).statusCode).toBe(404);
    expect((await essCall(context, 'DELETE', `/subscriptions/${id}`, token)).statusCode).toBe(404);
    const links = await context.database.db
      .selectFrom('event_subscription_companies')
      .selectAll()
      .where('subscription_id', '=', id)
      .execute();
    expect(links).toEqual([]);
  });
});
