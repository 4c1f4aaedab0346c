/**
 * Who is signing in: client authentication (client_id + secret), user password checks with
 * the per-user and per-client throttles, and where a company's users live (geolocation). The
 * throttles count in the database, so the token endpoint and the authorize page, and every
 * process, draw on the same budget.
 */
import type { Kysely } from 'kysely';
import type { AppRow, Database, UserRow } from '../../../db/database.js';
import { signInFailures } from '../../../observability/metrics.js';
import { DUMMY_HASH, verifySecret } from '../../../security/secret-hash.js';
import {
  companyIdsOfApp,
  findAppByClientId,
  findUserByLoginId,
  type Regions,
  regionsOfCompanies,
} from '../../accounts/index.js';
import { oauthErrors as err } from '../oauth-errors.js';
import {
  SignInThrottle,
  type SignInThrottleOptions,
  type ThrottledAttempt,
} from './sign-in-throttle.js';

export class SignInService {
  /**
   * Failed sign-ins per user (a few, then pauses) and per client. A client signs in many
   * users; its budget is larger, so that a handful of users mistyping (or an attacker) cannot
   * lock a whole TMC out, while mass guessing through it still slows.
   */
  private readonly throttle: SignInThrottle;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly regions: Regions,
    throttle: SignInThrottleOptions = {},
  ) {
    this.throttle = new SignInThrottle(db, {
      ...throttle,
      policies: {
        ...throttle.policies,
        client: { freeFailures: 100, ...throttle.policies?.client },
      },
    });
  }

  private refuseIfThrottled(attempt: ThrottledAttempt): void {
    if (attempt.retryAfterMs > 0) {
      signInFailures.throttled.inc();
      throw err.throttled(attempt.retryAfterMs);
    }
  }

  /** Authenticates a confidential client; throws OAuthError 59/61–64 or 429. */
  async authenticateClient(clientId?: string, clientSecret?: string): Promise<AppRow> {
    if (!clientId) throw err.clientIdMissing();
    if (!clientSecret) throw err.clientSecretMissing();
    const attempt = await this.throttle.check({ client: clientId });
    this.refuseIfThrottled(attempt);
    const app = await findAppByClientId(this.db, clientId);
    // Hash even for an unknown client so that response time does not reveal which ids exist.
    const ok = await verifySecret(clientSecret, app?.client_secret_hash ?? DUMMY_HASH);
    if (!app || !ok) await attempt.failed();
    if (!app) {
      signInFailures.unknownClient.inc();
      throw err.clientNotFound();
    }
    if (!ok) {
      signInFailures.wrongClientSecret.inc();
      throw err.clientBadSecret();
    }
    if (!app.active) throw err.clientDisabled();
    return app;
  }

  /** Records a failed credential check of another kind (auth tokens) against the client. */
  recordClientFailure(clientKey: string): Promise<void> {
    return this.throttle.recordClientFailure(clientKey);
  }

  /**
   * Checks a user's login id and password for `app`: throttled per user and per `clientKey`
   * (the client id on the token endpoint, where `authenticateClient` has checked the client
   * just before; any other key is checked here); the user must be active and their company
   * connected to the app. Throws OAuthError 5, 53, 123 or 429.
   */
  async authenticateUser(
    app: AppRow,
    loginId: string,
    password: string,
    clientKey: string = app.client_id,
  ): Promise<UserRow> {
    const userKey = loginId.trim().toLowerCase();
    // One read, before any hash is computed. With the client id as its key (the token
    // endpoint), authenticateClient has just read the client's failures: only the user's are
    // read again, and a failure counts against both.
    const attempt =
      clientKey === app.client_id
        ? await this.throttle.check({ user: userKey }, { client: clientKey })
        : await this.throttle.check({ client: clientKey, user: userKey });
    this.refuseIfThrottled(attempt);
    // No login id holds U+0000, and PostgreSQL text cannot even be compared with it (a 500 for
    // the Basic credentials of the pre-2017 native flow): such a name is an unknown user.
    const user = loginId.includes('\u0000') ? undefined : await findUserByLoginId(this.db, loginId);
    const ok = await verifySecret(password, user?.password_hash ?? DUMMY_HASH);
    if (!user?.password_hash || !ok) {
      // Both the user and the client count: guessing many users through one client slows too.
      await attempt.failed();
      (user?.password_hash ? signInFailures.wrongPassword : signInFailures.unknownUser).inc();
      throw err.badCredentials();
    }
    // The user's failures are forgotten (a write only if there were any); the client's stay.
    await attempt.succeeded('user');
    if (!user.active) throw err.principalDisabled();
    await this.requireConnected(app, user.company_id);
    return user;
  }

  /** Throws code 53 unless the company is connected to the app. */
  async requireConnected(app: AppRow, companyId: string): Promise<void> {
    const companies = await companyIdsOfApp(this.db, app.id);
    if (!companies.includes(companyId)) throw err.companyNotEnabled();
  }

  /**
   * The geolocation of a company's region; a company of a region this instance does not
   * serve gets code 16 naming where to go (SPEC §2.9, §2.10).
   */
  async companyGeolocation(companyId: string, requestBaseUrl: string): Promise<string> {
    const region = (await regionsOfCompanies(this.db, [companyId])).get(companyId) ?? '';
    const geolocation = this.regions.geolocationOf(region, requestBaseUrl);
    if (!this.regions.serves(region)) throw err.elsewhere(geolocation);
    return geolocation;
  }

  /**
   * The companies connected to an app that this instance serves, and the geolocation to
   * answer (the first served company's, else the first connected one's, with code 16).
   */
  async servedCompanies(
    app: AppRow,
    requestBaseUrl: string,
  ): Promise<{ companies: string[]; geolocation: string }> {
    const connected = await companyIdsOfApp(this.db, app.id);
    if (connected.length === 0) throw err.companyNotEnabled();
    const regions = await regionsOfCompanies(this.db, connected);
    const companies = connected.filter((id) => this.regions.serves(regions.get(id) ?? ''));
    const firstRegion = regions.get(companies[0] ?? connected[0] ?? '') ?? '';
    const geolocation = this.regions.geolocationOf(firstRegion, requestBaseUrl);
    if (companies.length === 0) throw err.elsewhere(geolocation);
    return { companies, geolocation };
  }
}
