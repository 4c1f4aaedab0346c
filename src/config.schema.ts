/**
 * The environment variables Itinera reads, as one TypeBox schema: type, range or format, default
 * and, for each, the words an error message uses for a valid value (`expected`). README.md's
 * Configuration table describes the same variables. `readEnvironment` checks them all and
 * reports every problem at once; src/config.ts turns the result into the `Config`.
 */
import net from 'node:net';
import { availableParallelism } from 'node:os';
import { FormatRegistry, type Static, type TSchema, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Pino's levels, `silent` included. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const TRUE_WORDS = ['1', 'true', 'yes', 'on'];
const FALSE_WORDS = ['0', 'false', 'no', 'off'];

// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
const HOSTNAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** An absolute http(s) URL with a host and without credentials, query or fragment. */
export function isHttpUrl(value: string): boolean {
  if (/[?#\s]/.test(value)) return false;
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.hostname !== '' &&
      url.username === '' &&
      url.password === ''
    );
  } catch {
    return false;
  }
}

/** An address or CIDR range Fastify's `trustProxy` (proxy-addr) accepts. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A 32-byte key: 64 hex digits, or canonical base64 of 32 bytes. */
export function isSecretKey(value: string): boolean {
  if (/^[0-9a-f]{64}$/i.test(value)) return true;
  const key = Buffer.from(value, 'base64');
  return key.length === 32 && key.toString('base64') === value;
}

FormatRegistry.Set('itinera-host', (v) => net.isIP(v) !== 0 || HOSTNAME.test(v));
FormatRegistry.Set('itinera-http-url', isHttpUrl);
FormatRegistry.Set('itinera-database-url', (v) => {
  if (/^sqlite:./.test(v)) return true;
  if (!/^postgres(ql)?:\/\//.test(v)) return false;
  try {
    new URL(v);
    return true;
  } catch {
    return false;
  }
});
FormatRegistry.Set('itinera-region-urls', (v) =>
  v.split(',').every((entry) => {
    const [region = '', url = '', ...rest] = entry.split('=').map((part) => part.trim());
    return rest.length === 0 && /^[a-z0-9-]{1,32}$/.test(region) && isHttpUrl(url);
  }),
);
FormatRegistry.Set('itinera-trust-proxy', (v) => {
  if ([...TRUE_WORDS, ...FALSE_WORDS].includes(v.toLowerCase()) || /^\d{1,3}$/.test(v)) {
    return true;
  }
  return v.split(',').every((entry) => isAddressOrRange(entry.trim()));
});
FormatRegistry.Set('itinera-secret-key', isSecretKey);

function integer(minimum: number, maximum: number, fallback: number) {
  return Type.Integer({
    minimum,
    maximum,
    default: fallback,
    expected: `an integer from ${minimum} to ${maximum}`,
  });
}

function flag(fallback: boolean) {
  return Type.Boolean({ default: fallback, expected: 'true or false' });
}

function url() {
  return Type.Optional(
    Type.String({
      format: 'itinera-http-url',
      expected:
        'an absolute http(s) URL without query or fragment, e.g. https://itinera.example.com',
    }),
  );
}

const DAY = 24 * 3600;

// One worker per CPU by default (at most 64): parsing and rendering XML is CPU-bound, and SQLite
// (WAL, immediate write transactions) and PostgreSQL both serve several processes.
const DEFAULT_WORKERS = Math.min(64, availableParallelism());

/** Every variable; absent or empty ones take their default (or stay unset). */
export const EnvSchema = Type.Object({
  PORT: integer(0, 65535, 8080),
  HOST: Type.String({
    format: 'itinera-host',
    default: '0.0.0.0',
    expected: 'a host name or an IP address (0.0.0.0 for every interface)',
  }),
  DATABASE_URL: Type.Optional(
    Type.String({
      format: 'itinera-database-url',
      expected: 'postgres://USER@HOST:PORT/DB, postgresql://… or sqlite:PATH',
    }),
  ),
  // Durable acknowledgement by default (issue 16); `normal` trades the last commits on an OS
  // crash for speed (docs/OPERATIONS.md, "Durability").
  SQLITE_SYNCHRONOUS: Type.Union(
    [Type.Literal('full'), Type.Literal('deferred'), Type.Literal('normal')],
    { default: 'full', expected: 'full, deferred or normal' },
  ),
  // Memory per process (issue 15: every server process together within 300 MB at a million
  // trips). Pages SQLite keeps in its own cache, and file bytes it maps (each touched page of
  // the map counts in every worker's RSS); the OS page cache serves the rest of the reads.
  SQLITE_CACHE_MB: integer(1, 4096, 16),
  SQLITE_MMAP_MB: integer(0, 65536, 0),
  // Whole trip list pages kept per process until a trip or user changes (docs/OPERATIONS.md,
  // "Memory"); 0 keeps none.
  LIST_CACHE_MB: integer(0, 4096, 16),
  // Trips kept per process for their details until a trip or user changes; 0 keeps none.
  TRIP_CACHE_MB: integer(0, 4096, 16),
  PUBLIC_BASE_URL: url(),
  GEOLOCATION: url(),
  TOKEN_ISSUER: url(),
  TOKEN_AUDIENCE: Type.String({
    pattern: '^[\\x21-\\x7e]{1,256}$',
    default: 'itinera',
    expected: 'visible ASCII characters without spaces (1 to 256), e.g. itinera',
  }),
  // Upper bounds catch unit slips (milliseconds for seconds) rather than enforce a policy.
  ACCESS_TOKEN_TTL_SECONDS: integer(1, DAY, 3600),
  REFRESH_TOKEN_TTL_SECONDS: integer(1, 10 * 365 * DAY, 182 * DAY),
  AUTHORIZATION_CODE_TTL_SECONDS: integer(1, 3600, 600),
  BODY_LIMIT_BYTES: integer(1024, 64 * 1024 * 1024, 1024 * 1024),
  // The ceiling on a trip (docs/MERGE.md): with BODY_LIMIT_BYTES, so that any stored trip can be
  // read and posted back whole.
  MAX_TRIP_BOOKINGS: integer(1, 100_000, 200),
  MAX_TRIP_SEGMENTS: integer(1, 100_000, 400),
  // Slow clients (docs/OPERATIONS.md, "Timeouts"): a request's headers, the whole request, an
  // idle kept-alive connection.
  HEADERS_TIMEOUT_MS: integer(500, 600_000, 10_000),
  REQUEST_TIMEOUT_MS: integer(500, 600_000, 30_000),
  KEEP_ALIVE_TIMEOUT_MS: integer(100, 600_000, 72_000),
  MAX_CONNECTIONS_PER_IP: integer(0, 1_000_000, 0),
  LOG_LEVEL: Type.Union(
    LOG_LEVELS.map((level) => Type.Literal(level)),
    { default: 'info', expected: `one of ${LOG_LEVELS.join(', ')}` },
  ),
  WORKERS: integer(1, 64, DEFAULT_WORKERS),
  REGION: Type.Optional(
    Type.String({ pattern: '^[a-z0-9-]{1,32}$', expected: 'a region name such as us or emea' }),
  ),
  REGION_URLS: Type.Optional(
    Type.String({
      format: 'itinera-region-urls',
      expected: 'region=URL pairs separated by commas, e.g. us=https://us.example.com',
    }),
  ),
  // Concur's published limits per domain on the itinerary endpoint (SPEC §6).
  RATE_LIMIT_PER_MINUTE: integer(0, 1_000_000_000, 4000),
  RATE_LIMIT_PER_HOUR: integer(0, 1_000_000_000, 240_000),
  NOTIFICATION_MAX_AGE_SECONDS: integer(1, 365 * DAY, 72 * 3600),
  NOTIFICATION_TIMEOUT_MS: integer(1, 600_000, 10_000),
  NOTIFICATION_ALLOW_PRIVATE_TARGETS: flag(false),
  NOTIFICATION_DELIVERY: flag(true),
  TRUST_PROXY: Type.String({
    format: 'itinera-trust-proxy',
    default: 'false',
    expected: 'true, false, a hop count or comma-separated addresses/CIDR ranges',
  }),
  METRICS_TOKEN: Type.Optional(Type.String({ secret: true, expected: 'a token' })),
  METRICS_PUBLIC: flag(false),
  ITINERA_COMMIT: Type.Optional(
    Type.String({
      pattern: '^[0-9a-fA-F]{7,64}$',
      expected: 'a git commit hash (7 to 64 hex digits)',
    }),
  ),
  SECRETS_KEY: Type.Optional(
    Type.String({
      format: 'itinera-secret-key',
      secret: true,
      expected: '32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)',
    }),
  ),
  SECRETS_KEY_PREVIOUS: Type.Optional(
    Type.String({
      format: 'itinera-secret-key',
      secret: true,
      expected: '32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)',
    }),
  ),
});

/** The variables once read: numbers, booleans and checked strings. */
export type Environment = Static<typeof EnvSchema>;

/** The raw text, converted to what the variable's schema expects when it can be. */
function convert(schema: TSchema, raw: string): unknown {
  if (schema.type === 'integer') return /^\d+$/.test(raw) ? Number(raw) : raw;
  if (schema.type === 'boolean') {
    if (TRUE_WORDS.includes(raw.toLowerCase())) return true;
    if (FALSE_WORDS.includes(raw.toLowerCase())) return false;
  }
  return raw;
}

/** The value as an error message may show it: a URL's password hidden, long text cut. */
function shown(raw: string): string {
  const hidden = raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):.*@/i, '$1:***@');
  return hidden.length > 80 ? `${hidden.slice(0, 80)}…` : hidden;
}

/**
 * Reads every variable of `EnvSchema` from `env`. Returns the values, or the problems (one
 * line each, naming the variable, the value, unless secret, and the expected form).
 */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): {
  values: Environment;
  problems: string[];
} {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, schema] of Object.entries(EnvSchema.properties) as [string, TSchema][]) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') {
      if (schema.default !== undefined) values[name] = schema.default;
      continue;
    }
    const value = convert(schema, raw);
    if (Value.Check(schema, value)) {
      values[name] = value;
    } else {
      const got = schema.secret ? '' : ` (got '${shown(raw)}')`;
      problems.push(`${name} must be ${schema.expected}${got}`);
    }
  }
  return { values: values as Environment, problems };
}
