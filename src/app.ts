/**
 * `buildApp(config)`: the whole service as a Fastify instance that is not listening yet.
 * Opens the database, brings its schema up to date and loads the token keys.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.js';
import { connectDatabase, type DatabaseHandle } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import type { WriteTurns } from './db/sqlite-write-turns.js';
import { isKnownTimeZone, zoneForCityCode } from './domain/time/time-zone.js';
import { registerApiDocs } from './http/api-docs/api-docs.js';
import { registerAuth } from './http/auth.js';
import { registerErrorHandlers } from './http/error-handler.js';
import { registerIgnoredHeader } from './http/ignored-input.js';
import { capConnectionsPerAddress } from './http/server/connection-cap.js';
import { Regions } from './modules/accounts/regions.js';
import { registerRateLimits } from './modules/rate-limits/rate-limit.hook.js';
import './http/route-config.js';
import { registerRequestLogging, serverOptions } from './http/server/server-options.js';
import { registerXmlBodyParser } from './http/xml-body.js';
import { usersRoutes } from './modules/accounts/users.routes.js';
import {
  CALENDAR_FEED_SECRET,
  CalendarFeedService,
  calendarRoutes,
} from './modules/calendar/index.js';
import {
  IdempotencyService,
  type IdempotencyTuning,
  registerIdempotency,
} from './modules/idempotency/index.js';
import { insightsRoutes } from './modules/insights/insights.routes.js';
import { INSIGHTS_CURSOR_SECRET, InsightsService } from './modules/insights/insights.service.js';
import { bookingRoutes } from './modules/itineraries/booking.routes.js';
import { updateCouponRoutes } from './modules/itineraries/coupons/update-coupon.routes.js';
import { eraseRoutes } from './modules/itineraries/erase/erase.routes.js';
import { FEED_CURSOR_SECRET } from './modules/itineraries/feed/feed-cursor.js';
import { tripFeedRoutes } from './modules/itineraries/feed/trip-feed.routes.js';
import { TripFeedService } from './modules/itineraries/feed/trip-feed.service.js';
import { audienceOf, visibleTrip } from './modules/itineraries/index.js';
import { tripRoutes } from './modules/itineraries/trip.routes.js';
import { tripV10Routes } from './modules/itineraries/trip-v10.routes.js';
import { tripV4Routes } from './modules/itineraries/v4/trip-v4.routes.js';
import { TripV4Service, V4_CURSOR_SECRET } from './modules/itineraries/v4/trip-v4.service.js';
import {
  NotificationWorker,
  type NotificationWorkerTuning,
} from './modules/notifications/delivery/notification-worker.js';
import { essRoutes } from './modules/notifications/ess/ess.routes.js';
import { EssSigningKeys } from './modules/notifications/ess/ess-signing-keys.js';
import { notificationRoutes } from './modules/notifications/notification.routes.js';
import { outboxBacklog } from './modules/notifications/outbox/outbox-backlog.repository.js';
import { authorizeRoutes } from './modules/oauth/authorize/authorize.routes.js';
import { AuthorizeService } from './modules/oauth/authorize/authorize.service.js';
import { BearerAuthenticator } from './modules/oauth/bearer/bearer-authenticator.js';
import type { TokenKeys } from './modules/oauth/keys/access-token.js';
import { prepareTokenKeys } from './modules/oauth/keys/keys-at-rest.js';
import { legacyTokenRoutes } from './modules/oauth/legacy/legacy-token.routes.js';
import { LegacyTokenService } from './modules/oauth/legacy/legacy-token.service.js';
import { SignInService } from './modules/oauth/sign-in/sign-in.service.js';
import { SIGN_IN_THROTTLE_SECRET } from './modules/oauth/sign-in/sign-in-throttle.js';
import { tokenRoutes } from './modules/oauth/tokens/token.routes.js';
import { TokenService } from './modules/oauth/tokens/token.service.js';
import { TokenIssuer } from './modules/oauth/tokens/token-issuer.js';
import {
  operationsRoutes,
  ReadinessService,
  readBuildInfo,
  registerRequestMetrics,
} from './modules/operations/index.js';
import { RateLimiter } from './modules/rate-limits/rate-limiter.service.js';
import { webRoutes } from './modules/web/web.routes.js';
import { enableProcessMetrics, setOutboxProbe } from './observability/metrics.js';
import { packageManifest } from './package-manifest.js';
import { serverSecret } from './security/server-secrets.js';
import { wireItineraries } from './start/itinerary-wiring.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle;
    tokenKeys: TokenKeys;
    rateLimiter: RateLimiter;
    /** Travellers' calendar feed URLs: made, shown again and rotated (docs/CALENDAR.md). */
    calendarFeeds: CalendarFeedService;
    /**
     * Shutdown's first step: `/readyz` answers 503 from now on while requests are still served,
     * so that load balancers stop sending before `close()` (which answers everything 503).
     */
    beginDrain(): void;
  }
}

export interface BuildOptions {
  /** An already open database (tests); otherwise the configured one is opened. */
  database?: DatabaseHandle;
  /** The clock of the rate-limit windows and sign-in pauses (epoch ms); tests move it. */
  clock?: () => number;
  /** SQLite cluster workers: turns at writing handed out by the primary (server.ts). */
  writeTurns?: WriteTurns;
  /** Pacing of the notification delivery worker (tests shorten backoffs and polls). */
  notificationWorker?: Partial<NotificationWorkerTuning>;
  /** What `/metrics` answers: a cluster worker asks its primary; default this process's. */
  metricsText?: () => Promise<string>;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: DestinationStream;
  /** Timing of Idempotency-Key claims (tests shorten the wait for a concurrent duplicate). */
  idempotency?: Partial<IdempotencyTuning>;
}

/** Builds the application. Call `app.close()` to release the database. */
export async function buildApp(
  config: Readonly<Config>,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const database =
    options.database ?? connectDatabase(config.database, { writeTurns: options.writeTurns });
  await migrateToLatest(database.db, database.dialect);
  // Refuses to start when a stored secret cannot be decrypted (SECRETS_KEY), re-encrypts the
  // rows not yet under SECRETS_KEY, then loads the keys.
  const { keys, secrets } = await prepareTokenKeys(database, config);
  // Load the IATA and zone-name tables now rather than on the first trip POST (~80 ms).
  zoneForCityCode('LHR');
  isKnownTimeZone('UTC');

  const app = Fastify(serverOptions(config, options.logStream));
  capConnectionsPerAddress(app.server, config.maxConnectionsPerIp);
  app.decorate('database', database);
  app.decorate('tokenKeys', keys);

  registerRequestLogging(app);
  enableProcessMetrics();
  registerRequestMetrics(app);
  registerErrorHandlers(app, config.bodyLimitBytes);
  registerXmlBodyParser(app);
  // Names the query parameters and XML elements a request carried that were ignored.
  registerIgnoredHeader(app);
  // Before any route: the OpenAPI document is made of the routes registered after it.
  registerApiDocs(app, {
    version: packageManifest().version,
    publicBaseUrl: config.publicBaseUrl,
  });
  const regions = new Regions(
    config.region,
    config.regionUrls,
    config.geolocation ?? config.publicBaseUrl,
  );
  const bearer = new BearerAuthenticator(database.db, keys, regions);
  registerAuth(app, (request, token) => bearer.authenticate(request, token));
  // After auth (hooks run in order): the limits are per app and company.
  const rateLimiter = new RateLimiter(database.db, {
    perMinute: config.rateLimitPerMinute,
    perHour: config.rateLimitPerHour,
    now: options.clock,
    log: app.log,
  });
  app.decorate('rateLimiter', rateLimiter);
  registerRateLimits(app, rateLimiter);
  // After auth too: keys belong to the caller. A refused (429) call claims no key.
  registerIdempotency(app, new IdempotencyService(database.db, options.idempotency));

  // One sign-in service: the token endpoint and the authorize page share its throttles.
  const signIn = new SignInService(database.db, regions, {
    now: options.clock,
    // The throttle's HMAC key is a server secret like the others: sealed by SECRETS_KEY.
    hmacSecret: () => serverSecret(database.db, secrets, SIGN_IN_THROTTLE_SECRET),
  });
  const issuer = new TokenIssuer(keys, {
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    refreshTokenTtlSeconds: config.refreshTokenTtlSeconds,
  });
  const tokens = new TokenService({ db: database.db, signIn, issuer });
  await app.register(tokenRoutes, {
    db: database.db,
    tokens,
    keys,
    publicBaseUrl: config.publicBaseUrl,
    geolocation: config.geolocation,
  });
  // Concur's pre-2017 endpoints (/net2/oauth2/*.ashx) on the same sign-in and token machinery.
  await app.register(legacyTokenRoutes, {
    service: new LegacyTokenService({ db: database.db, signIn, issuer }, keys),
    authenticate: (request, token) => bearer.authenticate(request, token),
  });
  await app.register(authorizeRoutes, {
    db: database.db,
    authorize: new AuthorizeService(database.db, signIn, {
      codeTtlSeconds: config.authorizationCodeTtlSeconds,
    }),
    secrets,
  });
  // Trip writes report to the v1.1 and ESS outboxes (docs/NOTIFICATIONS.md, docs/EVENTS.md).
  const itineraries = wireItineraries(database, {
    ...config,
    onTotalsFoldError: (error) => app.log.warn({ err: error }, 'trip day counts fold failed'),
  });
  const essKeys = new EssSigningKeys(database.db, secrets);
  await app.register(tripRoutes, { services: itineraries, publicBaseUrl: config.publicBaseUrl });
  await app.register(tripV10Routes, { services: itineraries, publicBaseUrl: config.publicBaseUrl });
  await app.register(bookingRoutes, { services: itineraries, publicBaseUrl: config.publicBaseUrl });
  // Itinerary v4 (JSON) over the same stored trips; list cursors are signed with a server secret.
  await app.register(tripV4Routes, {
    service: new TripV4Service(database.db, itineraries.reads, () =>
      serverSecret(database.db, secrets, V4_CURSOR_SECRET),
    ),
    publicBaseUrl: config.publicBaseUrl,
  });
  // Insights v3 (docs/INSIGHTS.md): opportunities and latest bookings over the stored trips.
  await app.register(insightsRoutes, {
    service: new InsightsService(database.db, () =>
      serverSecret(database.db, secrets, INSIGHTS_CURSOR_SECRET),
    ),
    publicBaseUrl: config.publicBaseUrl,
  });
  await app.register(eraseRoutes, {
    erase: itineraries.erase,
    publicBaseUrl: config.publicBaseUrl,
  });
  await app.register(updateCouponRoutes, {
    coupons: itineraries.coupons,
    publicBaseUrl: config.publicBaseUrl,
  });
  // The change feed (docs/CHANGE-FEED.md): cursors signed with a server secret.
  const feed = new TripFeedService(database, {
    cursorKey: () => serverSecret(database.db, secrets, FEED_CURSOR_SECRET),
    onPurgeError: (error) => app.log.warn({ err: error }, 'trip change feed purge failed'),
  });
  await app.register(tripFeedRoutes, { feed });
  await app.register(notificationRoutes, {
    database,
    maxAgeSeconds: config.notificationMaxAgeSeconds,
    secrets,
  });
  await app.register(essRoutes, {
    database,
    keys: essKeys,
    allowPrivateTargets: config.notificationAllowPrivateTargets,
  });
  await app.register(usersRoutes, { database });
  // Calendar feeds (docs/CALENDAR.md): tokens made with a server secret, sealed like the others.
  const calendarFeeds = new CalendarFeedService(() =>
    serverSecret(database.db, secrets, CALENDAR_FEED_SECRET),
  );
  app.decorate('calendarFeeds', calendarFeeds);
  // The traveller web app (docs/WEB-APP.md): a public client of the authorize page above.
  await app.register(webRoutes, {
    db: database.db,
    secrets,
    itineraries,
    authenticate: (request, token) => bearer.authenticate(request, token),
    redeemCode: (request, baseUrl) => tokens.redeemPublicClientCode(request, baseUrl),
    publicBaseUrl: config.publicBaseUrl,
    calendarFeeds,
  });
  await app.register(calendarRoutes, {
    db: database.db,
    feeds: calendarFeeds,
    // The v1.1 details' reach and the supplier view (docs/ACCESS.md).
    openTrip: async (principal, tripId, acting) =>
      visibleTrip(
        await (await itineraries.trips.open(principal, acting, tripId)).load(),
        audienceOf(principal),
      ),
    publicBaseUrl: config.publicBaseUrl,
  });
  const readiness = new ReadinessService(database);
  app.decorate('beginDrain', () => readiness.beginDrain());
  await app.register(operationsRoutes, {
    database,
    readiness,
    buildInfo: readBuildInfo(config.commit),
    metricsToken: config.metricsToken,
    metricsPublic: config.metricsPublic,
    metricsText: options.metricsText,
  });
  const stopOutboxProbe = setOutboxProbe(() => outboxBacklog(database.db));

  const delivery = config.notificationDelivery
    ? new NotificationWorker(database, {
        ...options.notificationWorker,
        timeoutMs: config.notificationTimeoutMs,
        allowPrivateTargets: config.notificationAllowPrivateTargets,
        secrets,
        essKeys,
        log: app.log,
      })
    : undefined;
  app.addHook('onClose', async () => {
    stopOutboxProbe();
    // Attempts in flight finish (bounded by their timeout) while the database is still open.
    await delivery?.stop();
    // Share the last counts while the database is still open.
    await rateLimiter.stop();
    if (!options.database) await database.close();
  });
  rateLimiter.start();
  delivery?.start();
  return app;
}
