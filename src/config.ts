/**
 * Configuration: read once from the environment at start-up, validated, frozen and passed into
 * `buildApp`. Nothing else reads `process.env`. Every invalid variable is reported at once.
 */
import { availableParallelism } from 'node:os';
import path from 'node:path';

export type DatabaseConfig =
  | { dialect: 'sqlite'; filename: string }
  | { dialect: 'postgres'; connectionString: string; schema?: string };

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
  /** Issuer (`iss`) of the access tokens. */
  tokenIssuer: string;
  /** Access token lifetime in seconds (Concur: one hour). */
  accessTokenTtlSeconds: number;
  /** Refresh token lifetime in seconds (Concur: six months). */
  refreshTokenTtlSeconds: number;
  /** Authorization code lifetime in seconds (RFC 6749 §4.1.2: at most ten minutes advised). */
  authorizationCodeTtlSeconds: number;
  /** Largest accepted request body in bytes; larger bodies get 413. */
  bodyLimitBytes: number;
  /** pino log level; 'silent' in tests. */
  logLevel: string;
  /** HTTP worker processes sharing the port (node:cluster); 1 serves from the main process. */
  workers: number;
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

/** Parses `REGION_URLS`: `us=https://us.example.com,emea=https://emea.example.com`. */
function parseRegionUrls(raw: string | undefined, problems: string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  if (!raw?.trim()) return urls;
  for (const entry of raw.split(',')) {
    const [region, url] = entry.split('=').map((part) => part.trim());
    if (!region || !url || !/^https?:\/\/[^\s/]+/.test(url)) {
      problems.push(`REGION_URLS entries must look like region=https://host (got '${entry}')`);
      continue;
    }
    urls[region] = url.replace(/\/+$/, '');
  }
  return urls;
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  problems: string[],
  min = 1,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    problems.push(`${name} must be an integer >= ${min} (got '${raw}')`);
    return fallback;
  }
  return value;
}

function flag(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: boolean,
  problems: string[],
): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  problems.push(`${name} must be true or false (got '${env[name]}')`);
  return fallback;
}

/** Parses `TRUST_PROXY`: true/false, a hop count, or comma-separated addresses and CIDR ranges. */
function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string[] {
  const value = raw?.trim() ?? '';
  if (value === '' || /^(false|no|off)$/i.test(value)) return false;
  if (/^(true|yes|on)$/i.test(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry));
  if (bad.length > 0) {
    problems.push(
      `TRUST_PROXY must be true, false, a hop count or addresses/CIDR ranges (got '${raw}')`,
    );
    return false;
  }
  return entries;
}

/** Parses a 32-byte key given as 64 hex digits or as base64 (44 characters). */
function secretKey(env: NodeJS.ProcessEnv, name: string, problems: string[]): Buffer | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const key = /^[0-9a-fA-F]{64}$/.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32 || (!/^[0-9a-fA-F]{64}$/.test(raw) && key.toString('base64') !== raw)) {
    problems.push(
      `${name} must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)`,
    );
    return undefined;
  }
  return key;
}

/** Builds the configuration from environment variables; throws listing every invalid one. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];
  let database: DatabaseConfig = { dialect: 'sqlite', filename: path.resolve(DEFAULT_SQLITE_FILE) };
  try {
    database = parseDatabaseUrl(env.DATABASE_URL);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const port = integer(env, 'PORT', 8080, problems, 0);
  const config: Config = {
    port,
    host: env.HOST ?? '0.0.0.0',
    database,
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined,
    geolocation: env.GEOLOCATION?.replace(/\/+$/, '') || undefined,
    region: env.REGION?.trim() || undefined,
    regionUrls: parseRegionUrls(env.REGION_URLS, problems),
    tokenIssuer: env.TOKEN_ISSUER ?? 'itinera',
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600, problems),
    refreshTokenTtlSeconds: integer(env, 'REFRESH_TOKEN_TTL_SECONDS', 182 * 24 * 3600, problems),
    authorizationCodeTtlSeconds: integer(env, 'AUTHORIZATION_CODE_TTL_SECONDS', 600, problems),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, problems),
    logLevel: env.LOG_LEVEL ?? 'info',
    // One worker per CPU by default: parsing and rendering XML is CPU-bound, and SQLite (WAL,
    // immediate write transactions) and PostgreSQL both serve several processes.
    workers: integer(env, 'WORKERS', availableParallelism(), problems),
    // Concur's published limits per domain on the itinerary endpoint (SPEC §6).
    rateLimitPerMinute: integer(env, 'RATE_LIMIT_PER_MINUTE', 4000, problems, 0),
    rateLimitPerHour: integer(env, 'RATE_LIMIT_PER_HOUR', 240_000, problems, 0),
    notificationMaxAgeSeconds: integer(env, 'NOTIFICATION_MAX_AGE_SECONDS', 72 * 3600, problems),
    notificationTimeoutMs: integer(env, 'NOTIFICATION_TIMEOUT_MS', 10_000, problems),
    notificationAllowPrivateTargets: flag(
      env,
      'NOTIFICATION_ALLOW_PRIVATE_TARGETS',
      false,
      problems,
    ),
    notificationDelivery: flag(env, 'NOTIFICATION_DELIVERY', true, problems),
    trustProxy: parseTrustProxy(env.TRUST_PROXY, problems),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPublic: flag(env, 'METRICS_PUBLIC', false, problems),
    secretsKey: secretKey(env, 'SECRETS_KEY', problems),
    secretsKeyPrevious: secretKey(env, 'SECRETS_KEY_PREVIOUS', problems),
  };
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return Object.freeze(config);
}
