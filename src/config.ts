/**
 * Configuration: read once from the environment at start-up, validated, frozen and passed into
 * `buildApp`. Nothing else reads `process.env`. Every invalid variable is reported at once.
 */
import path from 'node:path';
import { readEnvironment } from './config.schema.js';

export type DatabaseConfig =
  | {
      dialect: 'sqlite';
      filename: string;
      /**
       * SQLITE_SYNCHRONOUS: `full` (absent: the default) syncs the WAL at every commit, so an
       * acknowledged write survives an OS crash or power loss; `normal` syncs at checkpoints only.
       */
      synchronous?: SqliteSynchronous;
      /** SQLITE_CACHE_MB: SQLite's page cache per connection (absent: 16 MB). */
      cacheMb?: number;
      /** SQLITE_MMAP_MB: bytes of the file SQLite reads through a memory map (absent: none). */
      mmapMb?: number;
    }
  | { dialect: 'postgres'; connectionString: string; schema?: string };

/** How often SQLite syncs its write-ahead log to the disk (docs/OPERATIONS.md, "Durability"). */
export type SqliteSynchronous = 'full' | 'deferred' | 'normal';

export interface Config {
  /** TCP port the HTTP server listens on. */
  port: number;
  /** Interface to bind; 0.0.0.0 to serve other hosts. */
  host: string;
  /** The database: SQLite file (embedded default) or PostgreSQL. */
  database: DatabaseConfig;
  /** Public base URL used in `id` elements and paging links; when unset it is taken from
   * each request's Host, so that a client can follow the links it is given. */
  publicBaseUrl?: string;
  /** Base URL returned as `geolocation` by the token endpoint; defaults like publicBaseUrl. */
  geolocation?: string;
  /** The region this instance serves (`us`, `emea` …); unset: every region. */
  region?: string;
  /** Base URL of each region's instances, returned as `geolocation` for users of that region. */
  regionUrls: Readonly<Record<string, string>>;
  /**
   * Issuer (`iss`) of access and id tokens and the OpenID `issuer`: TOKEN_ISSUER, else
   * PUBLIC_BASE_URL; unset: the base URL each token request came through.
   */
  tokenIssuer?: string;
  /** Audience (`aud`) of access tokens, required when they are verified: TOKEN_AUDIENCE. */
  tokenAudience: string;
  /** Access token lifetime in seconds (Concur: one hour). */
  accessTokenTtlSeconds: number;
  /** Refresh token lifetime in seconds (Concur: six months). */
  refreshTokenTtlSeconds: number;
  /** Authorization code lifetime in seconds (RFC 6749 §4.1.2: at most ten minutes advised). */
  authorizationCodeTtlSeconds: number;
  /** Largest accepted request body in bytes; larger bodies get 413. */
  bodyLimitBytes: number;
  /** Most bookings one trip may hold (MAX_TRIP_BOOKINGS; docs/MERGE.md). */
  maxTripBookings: number;
  /** Most segments over all the bookings of one trip (MAX_TRIP_SEGMENTS). */
  maxTripSegments: number;
  /** Time to receive a request's headers; never above `requestTimeoutMs` (see OPERATIONS.md). */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Connections one client address may hold open in one process; 0: no cap. */
  maxConnectionsPerIp: number;
  /** pino log level (fatal … trace, or silent); 'silent' in tests. */
  logLevel: string;
  /** HTTP worker processes sharing the port (node:cluster); 1 serves from the main process. */
  workers: number;
  /** Memory for whole trip list pages kept until their data changes, per process; 0: none. */
  listCacheMb: number;
  /** Memory for trips kept for their details until their data changes, per process; 0: none. */
  tripCacheMb: number;
  /** Itinerary requests allowed per minute for one (app, company); 0: no minute limit. */
  rateLimitPerMinute: number;
  /** Itinerary requests allowed per hour for one (app, company); 0: no hour limit. */
  rateLimitPerHour: number;
  /** A notification that still fails this long after its change is given up (marked dead). */
  notificationMaxAgeSeconds: number;
  /** How long one delivery attempt may take, connecting to reading the answer. */
  notificationTimeoutMs: number;
  /** Whether postback URLs may resolve to loopback or private addresses (off: SSRF guard). */
  notificationAllowPrivateTargets: boolean;
  /** Whether this process delivers notifications (off: an instance that only serves HTTP). */
  notificationDelivery: boolean;
  /**
   * Which proxies' `X-Forwarded-*` headers count (Fastify's `trustProxy`): false (none), true
   * (any), a hop count, or addresses and CIDR ranges.
   */
  trustProxy: boolean | number | string[];
  /** Bearer token a scraper sends to read `/metrics`; unset: see `metricsPublic`. */
  metricsToken?: string;
  /** Serve `/metrics` without a token (a private network); off by default. */
  metricsPublic: boolean;
  /** The commit `/version` reports (ITINERA_COMMIT); unset: read from the checkout's `.git`. */
  commit?: string;
  /** 32-byte key that encrypts signing keys and server secrets at rest; unset: stored clear. */
  secretsKey?: Buffer;
  /** The key before the last rotation: still decrypts, and rows are re-encrypted with the new. */
  secretsKeyPrevious?: Buffer;
}

const DEFAULT_SQLITE_FILE = './data/itinera.db';

/** Parses a `DATABASE_URL`: `postgres://…`, `sqlite:PATH`, or empty for the embedded default. */
export function parseDatabaseUrl(url: string | undefined): DatabaseConfig {
  if (!url) return { dialect: 'sqlite', filename: path.resolve(DEFAULT_SQLITE_FILE) };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', connectionString: url };
  }
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file) throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/x.db');
    return { dialect: 'sqlite', filename: file === ':memory:' ? file : path.resolve(file) };
  }
  throw new Error('DATABASE_URL must start with postgres://, postgresql:// or sqlite:');
}

/** A SQLite database's own settings; PostgreSQL's durability and memory are its server's. */
function withSqliteSettings(
  database: DatabaseConfig,
  settings: { synchronous: SqliteSynchronous; cacheMb: number; mmapMb: number },
): DatabaseConfig {
  return database.dialect === 'sqlite' ? { ...database, ...settings } : database;
}

/** Parses a checked `REGION_URLS`: `us=https://us.example.com,emea=https://emea.example.com`. */
function parseRegionUrls(raw: string | undefined): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const entry of raw?.split(',') ?? []) {
    const [region = '', url = ''] = entry.split('=').map((part) => part.trim());
    urls[region] = withoutTrailingSlash(url);
  }
  return urls;
}

/** Parses a checked `TRUST_PROXY`: true/false, a hop count, or addresses and CIDR ranges. */
function parseTrustProxy(value: string): boolean | number | string[] {
  // Digits are a hop count (`1`: the one proxy in front), never a boolean.
  if (/^(false|no|off)$/i.test(value)) return false;
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(',').map((entry) => entry.trim());
}

/** A checked 32-byte key given as 64 hex digits or as base64. */
function secretKey(raw: string | undefined): Buffer | undefined {
  if (!raw) return undefined;
  return /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Builds the configuration from environment variables (src/config.schema.ts); throws one
 * error listing every invalid variable. Pure: reads only `env`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const { values: v, problems } = readEnvironment(env);
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  const publicBaseUrl = v.PUBLIC_BASE_URL ? withoutTrailingSlash(v.PUBLIC_BASE_URL) : undefined;
  const config: Config = {
    port: v.PORT,
    host: v.HOST,
    database: withSqliteSettings(parseDatabaseUrl(v.DATABASE_URL), {
      synchronous: v.SQLITE_SYNCHRONOUS,
      cacheMb: v.SQLITE_CACHE_MB,
      mmapMb: v.SQLITE_MMAP_MB,
    }),
    publicBaseUrl,
    geolocation: v.GEOLOCATION ? withoutTrailingSlash(v.GEOLOCATION) : undefined,
    region: v.REGION,
    regionUrls: parseRegionUrls(v.REGION_URLS),
    // As given: an OpenID issuer is compared exactly, trailing slash included.
    tokenIssuer: v.TOKEN_ISSUER ?? publicBaseUrl,
    tokenAudience: v.TOKEN_AUDIENCE,
    accessTokenTtlSeconds: v.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlSeconds: v.REFRESH_TOKEN_TTL_SECONDS,
    authorizationCodeTtlSeconds: v.AUTHORIZATION_CODE_TTL_SECONDS,
    bodyLimitBytes: v.BODY_LIMIT_BYTES,
    maxTripBookings: v.MAX_TRIP_BOOKINGS,
    maxTripSegments: v.MAX_TRIP_SEGMENTS,
    // Node closes a stalled body only when the headers timeout is no larger (issue 16).
    headersTimeoutMs: Math.min(v.HEADERS_TIMEOUT_MS, v.REQUEST_TIMEOUT_MS),
    requestTimeoutMs: v.REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: v.KEEP_ALIVE_TIMEOUT_MS,
    maxConnectionsPerIp: v.MAX_CONNECTIONS_PER_IP,
    logLevel: v.LOG_LEVEL,
    workers: v.WORKERS,
    listCacheMb: v.LIST_CACHE_MB,
    tripCacheMb: v.TRIP_CACHE_MB,
    rateLimitPerMinute: v.RATE_LIMIT_PER_MINUTE,
    rateLimitPerHour: v.RATE_LIMIT_PER_HOUR,
    notificationMaxAgeSeconds: v.NOTIFICATION_MAX_AGE_SECONDS,
    notificationTimeoutMs: v.NOTIFICATION_TIMEOUT_MS,
    notificationAllowPrivateTargets: v.NOTIFICATION_ALLOW_PRIVATE_TARGETS,
    notificationDelivery: v.NOTIFICATION_DELIVERY,
    trustProxy: parseTrustProxy(v.TRUST_PROXY),
    metricsToken: v.METRICS_TOKEN,
    metricsPublic: v.METRICS_PUBLIC,
    commit: v.ITINERA_COMMIT,
    secretsKey: secretKey(v.SECRETS_KEY),
    secretsKeyPrevious: secretKey(v.SECRETS_KEY_PREVIOUS),
  };
  return Object.freeze(config);
}
