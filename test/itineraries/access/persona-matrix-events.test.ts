/**
 * The access matrix (docs/ACCESS.md) over ESS v4 subscriptions and traveller anonymizations,
 * for the same personas. A subscription belongs to an app, so its targets are a subscription of
 * the persona's own app, of another app serving the same company, and of the foreign company's
 * app. An anonymization names a traveller: the persona's own user (company tokens: a
 * traveller), a colleague, a traveller of the foreign company. Every app of the persona world
 * is an agency's, a supplier's or a partner's, none of which may anonymize; two more personas,
 * an administrator and a company token of a TMC app bound to no agency, reach the 200s, each
 * on a traveller seeded for that one check (an anonymization cannot be undone).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seedDatabase, validateSeedFile } from '../../../src/modules/accounts/seed/seed.service.js';
import { type Client, companyToken, type Person, userToken } from '../../helpers/access-world.js';
import { useTestContext } from '../../helpers/app-fixture.js';
import { essCall, putSubscription, subscriptionBody } from '../../helpers/ess-world.js';
import {
  appOfPersona,
  type PersonaName,
  type PersonaWorld,
  seedPersonaWorld,
  type Target,
} from '../../helpers/persona-world.js';
import type { TestContext } from '../../helpers/test-app.js';
import { anonymize } from '../erase/erase-requests.js';

type Cell = 200 | 403 | 404 | 409 | 'hidden';
type Row = [own: Cell, colleague: Cell, foreign: Cell];
type Ess = 'essGet' | 'essPut' | 'essDelete' | 'essList';
type Anonymizer = PersonaName | 'noAgencyCompany' | 'noAgencyAdmin';

const H = 'hidden';
const USER_403: Row = [403, 403, 403];
/** ESS takes company-level tokens only; a subscription is its own app's. */
const ess = (own: Row): Record<PersonaName, Row> => ({
  traveller: USER_403,
  admin: USER_403,
  companyAdmin: USER_403,
  tmcCompany: own,
  otherAgencyTmc: own,
  supplier: USER_403,
  partnerCompany: own,
  partnerTraveller: USER_403,
});
const ESS_MATRIX: Record<Ess, Record<PersonaName, Row>> = {
  essGet: ess([200, 404, 404]),
  // Another app's id is taken: 409, and its subscription is left as it was.
  essPut: ess([200, 409, 409]),
  essDelete: ess([200, 404, 404]),
  // The list shows the caller's own subscriptions only.
  essList: ess([200, H, H]),
};

const ANONYMIZE: Record<Anonymizer, Row> = {
  // Not an administrator: 403 before anything is looked up.
  traveller: USER_403,
  companyAdmin: USER_403,
  partnerTraveller: USER_403,
  // An agency's app, a supplier's or a partner's does not reach every trip of a traveller.
  admin: USER_403,
  tmcCompany: USER_403,
  otherAgencyTmc: USER_403,
  supplier: USER_403,
  partnerCompany: USER_403,
  // A TMC app bound to no agency; another company's traveller is 404.
  noAgencyCompany: [200, 200, 404],
  noAgencyAdmin: [200, 200, 404],
};

const SCOPES = 'ITINER events.topic.read travel.itinerary.read';
const COMPANY = new Set<PersonaName>(['tmcCompany', 'otherAgencyTmc', 'partnerCompany']);

let context: TestContext;
let world: PersonaWorld;
/** ESS tokens by app client id. */
const essTokens = new Map<string, string>();
const noAgency = { company: '', admin: '', self: undefined as Person | undefined };
let tag: string;

useTestContext(async (given) => {
  context = given;
  world = await seedPersonaWorld(context);
  const { apps, home } = world.world;
  for (const app of [apps.tmc, apps.otherAgencyTmc, apps.supplier, apps.partner, apps.foreignTmc]) {
    essTokens.set(app.clientId, await companyToken(context, app, SCOPES));
  }
  tag = randomUUID().slice(0, 8);
  const app: Client = { clientId: `tmc-open-${tag}`, clientSecret: `secret-open-${tag}-0123456` };
  const admin: Person = { loginId: `open-admin-${tag}@example.com`, password: `pw-open-${tag}` };
  await seedDatabase(
    context.database.db,
    validateSeedFile({
      companies: [],
      users: [{ ...admin, company: home.company, roles: ['WebServicesAdministrator'] }],
      apps: [
        {
          ...app,
          name: 'tmc no agency',
          kind: 'tmc',
          scopes: ['ITINER'],
          companies: [home.company],
        },
      ],
    }),
  );
  noAgency.company = await companyToken(context, app);
  noAgency.admin = await userToken(context, app, admin);
  noAgency.self = admin;
});

/** The subscription a target is: of the persona's app, of another home app, of the foreign app. */
function subscriptionOwner(name: PersonaName, target: Target): Client {
  const { apps } = world.world;
  const mine = appOfPersona(world.world, name);
  if (target === 'own') return mine;
  if (target === 'colleague') return mine === apps.tmc ? apps.partner : apps.tmc;
  return apps.foreignTmc;
}

const idOf = (owner: Client) => `matrix.${owner.clientId}`;
const HOOK = 'https://hooks.example.com/itinera';

async function essCase(name: PersonaName, endpoint: Ess, target: Target) {
  const owner = subscriptionOwner(name, target);
  const ownerToken = essTokens.get(owner.clientId) ?? '';
  const id = idOf(owner);
  // The target's subscription exists before each check (a DELETE check removes it).
  expect((await putSubscription(context, ownerToken, subscriptionBody(id, HOOK))).statusCode).toBe(
    200,
  );
  const persona = world.personas[name];
  const token = COMPANY.has(name)
    ? (essTokens.get(appOfPersona(world.world, name).clientId) ?? '')
    : persona.token;
  if (endpoint === 'essGet')
    return { response: await essCall(context, 'GET', `/subscriptions/${id}`, token) };
  if (endpoint === 'essDelete') {
    const response = await essCall(context, 'DELETE', `/subscriptions/${id}`, token);
    const after = await essCall(context, 'GET', `/subscriptions/${id}`, ownerToken);
    // Deleted exactly when the answer is 200.
    expect(after.statusCode).toBe(response.statusCode === 200 ? 404 : 200);
    return { response };
  }
  if (endpoint === 'essPut') {
    const response = await putSubscription(
      context,
      token,
      subscriptionBody(id, `${HOOK}/${name}`, { filter: 'changed' }),
    );
    const after = (await essCall(context, 'GET', `/subscriptions/${id}`, ownerToken)).body;
    // Replaced exactly when the answer is 200.
    expect(after.includes(`${HOOK}/${name}`)).toBe(response.statusCode === 200);
    return { response };
  }
  const response = await essCall(context, 'GET', '/subscriptions', token);
  const listed =
    response.statusCode === 200 &&
    (response.json() as { id: string }[]).some((subscription) => subscription.id === id);
  return { response, listed };
}

/** A traveller seeded for one anonymization (in the home or the foreign company). */
async function freshTraveller(foreign: boolean): Promise<Person> {
  const person: Person = {
    loginId: `anon-${randomUUID().slice(0, 8)}-${tag}@example.com`,
    password: 'pw-anon-0123',
  };
  const company = foreign ? world.world.foreign.company : world.world.home.company;
  await seedDatabase(
    context.database.db,
    validateSeedFile({ companies: [], users: [{ ...person, company }], apps: [] }),
  );
  return person;
}

async function anonymizeCase(name: Anonymizer, target: Target, expected: Cell) {
  let token: string;
  let user: Person;
  if (name === 'noAgencyCompany' || name === 'noAgencyAdmin') {
    token = name === 'noAgencyCompany' ? noAgency.company : noAgency.admin;
    const self = name === 'noAgencyAdmin' && target === 'own';
    // A 200 changes the traveller for good: one seeded for this check (or the admin itself).
    user = self && noAgency.self ? noAgency.self : await freshTraveller(target === 'foreign');
  } else {
    const persona = world.personas[name];
    token = persona.token;
    user = world.targetUser(persona, target);
  }
  const response = await anonymize(context.app, token, { loginId: user.loginId });
  const kept = await context.database.db
    .selectFrom('users')
    .select('id')
    .where('login_id', '=', user.loginId)
    .execute();
  // The traveller is anonymized exactly when the answer is 200.
  expect(kept.length).toBe(response.statusCode === 200 ? 0 : 1);
  if (expected === 200) expect(response.json()).toMatchObject({ trips: expect.any(Number) });
  return { response };
}

const targets = ['own', 'colleague', 'foreign'] as const;
const essCases = (Object.keys(ESS_MATRIX) as Ess[]).flatMap((endpoint) =>
  (Object.keys(ESS_MATRIX[endpoint]) as PersonaName[]).flatMap((name) =>
    targets.map((target, i) => ({
      endpoint,
      name,
      target,
      expected: ESS_MATRIX[endpoint][name][i] as Cell,
    })),
  ),
);
// The admin anonymizing itself comes last: its token names a user that is then gone.
const anonymizeCases = (Object.keys(ANONYMIZE) as Anonymizer[])
  .flatMap((name) =>
    targets.map((target, i) => ({ name, target, expected: ANONYMIZE[name][i] as Cell })),
  )
  .sort((a, b) => Number(isSelfErase(a)) - Number(isSelfErase(b)));
function isSelfErase(c: { name: Anonymizer; target: Target }) {
  return c.name === 'noAgencyAdmin' && c.target === 'own';
}

function expectCell(
  response: { statusCode: number; body: string },
  listed: boolean | undefined,
  expected: Cell,
) {
  if (typeof expected === 'number' && expected >= 400) {
    expect(response.statusCode, response.body).toBe(expected);
    expect(response.body).toMatch(/"errors?"|"message"/);
    return;
  }
  expect(response.statusCode, response.body).toBe(200);
  if (listed !== undefined) expect(listed).toBe(expected === 200);
}

describe('persona × ESS subscription × whose subscription', () => {
  it.each(essCases)('$endpoint by $name on the $target subscription → $expected', async (c) => {
    const { response, listed } = await essCase(c.name, c.endpoint, c.target);
    expectCell(response, listed, c.expected);
  });
});

describe('persona × anonymization × whom', () => {
  it.each(anonymizeCases)(
    'anonymization by $name of the $target traveller → $expected',
    async (c) => {
      const { response } = await anonymizeCase(c.name, c.target, c.expected);
      expectCell(response, undefined, c.expected);
    },
  );
});
