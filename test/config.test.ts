import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from '../src/config.js';
import { EnvSchema } from '../src/config.schema.js';
import { REPO_ROOT } from './helpers/reference-files.js';

describe('loadConfig', () => {
  it('defaults to port 8080 and the embedded SQLite file ./data/itinera.db', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({
      dialect: 'sqlite',
      filename: path.resolve('data/itinera.db'),
      synchronous: 'full',
      cacheMb: 16,
      mmapMb: 0,
    });
    expect(config.accessTokenTtlSeconds).toBe(3600);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('switches to PostgreSQL or another SQLite file through DATABASE_URL', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/db')).toEqual({
      dialect: 'postgres',
      connectionString: 'postgres://u@h:5432/db',
    });
    expect(parseDatabaseUrl('sqlite:./x/y.db')).toEqual({
      dialect: 'sqlite',
      filename: path.resolve('x/y.db'),
    });
    expect(parseDatabaseUrl('sqlite:///tmp/z.db')).toEqual({
      dialect: 'sqlite',
      filename: '/tmp/z.db',
    });
  });

  it('lists every invalid variable at once', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BODY_LIMIT_BYTES: '-1' }),
    ).toThrow(/PORT[\s\S]*BODY_LIMIT_BYTES|DATABASE_URL[\s\S]*PORT/);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', BODY_LIMIT_BYTES: '-1' });
    } catch (error) {
      const message = (error as Error).message;
      for (const name of ['PORT', 'DATABASE_URL', 'BODY_LIMIT_BYTES'])
        expect(message).toContain(name);
    }
  });

  it('times slow clients out by default, the headers never after the whole request', () => {
    const defaults = loadConfig({});
    expect(defaults.headersTimeoutMs).toBe(10_000);
    expect(defaults.requestTimeoutMs).toBe(30_000);
    expect(defaults.keepAliveTimeoutMs).toBe(72_000);
    // Node closes a stalled body only when the headers timeout is no larger.
    const inverted = loadConfig({ HEADERS_TIMEOUT_MS: '60000', REQUEST_TIMEOUT_MS: '5000' });
    expect(inverted.headersTimeoutMs).toBe(5_000);
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS/);
  });

  it('reads the served region and the base URL of each region', () => {
    const config = loadConfig({
      REGION: 'emea',
      REGION_URLS: 'us=https://us.example.com/, emea=https://emea.example.com',
    });
    expect(config.region).toBe('emea');
    expect(config.regionUrls).toEqual({
      us: 'https://us.example.com',
      emea: 'https://emea.example.com',
    });
    expect(() => loadConfig({ REGION_URLS: 'us' })).toThrow(/REGION_URLS/);
  });

  it("defaults the itinerary rate limits to Concur's 4,000 a minute and 240,000 an hour", () => {
    expect(loadConfig({})).toMatchObject({ rateLimitPerMinute: 4000, rateLimitPerHour: 240_000 });
    expect(loadConfig({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_PER_HOUR: '100' })).toMatchObject({
      rateLimitPerMinute: 0,
      rateLimitPerHour: 100,
    });
    expect(() => loadConfig({ RATE_LIMIT_PER_MINUTE: '-1', RATE_LIMIT_PER_HOUR: 'x' })).toThrow(
      /RATE_LIMIT_PER_MINUTE[\s\S]*RATE_LIMIT_PER_HOUR/,
    );
  });

  it('defaults notifications to 72 h of retries, 10 s attempts and no private targets', () => {
    expect(loadConfig({})).toMatchObject({
      notificationMaxAgeSeconds: 72 * 3600,
      notificationTimeoutMs: 10_000,
      notificationAllowPrivateTargets: false,
    });
    expect(
      loadConfig({ NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'true', NOTIFICATION_TIMEOUT_MS: '500' }),
    ).toMatchObject({ notificationAllowPrivateTargets: true, notificationTimeoutMs: 500 });
    expect(() => loadConfig({ NOTIFICATION_ALLOW_PRIVATE_TARGETS: 'maybe' })).toThrow(
      /NOTIFICATION_ALLOW_PRIVATE_TARGETS/,
    );
  });

  it('delivers notifications unless NOTIFICATION_DELIVERY is off', () => {
    expect(loadConfig({}).notificationDelivery).toBe(true);
    expect(loadConfig({ NOTIFICATION_DELIVERY: 'false' }).notificationDelivery).toBe(false);
    expect(() => loadConfig({ NOTIFICATION_DELIVERY: 'sometimes' })).toThrow(
      /NOTIFICATION_DELIVERY/,
    );
  });

  it('keeps TRUST_PROXY, METRICS_* and SECRETS_KEY* as they were', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'off' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '::1',
    ]);
    const key = Buffer.alloc(32, 7);
    const config = loadConfig({
      METRICS_TOKEN: 'scrape-me',
      METRICS_PUBLIC: 'yes',
      SECRETS_KEY: key.toString('base64'),
      SECRETS_KEY_PREVIOUS: key.toString('hex'),
    });
    expect(config).toMatchObject({ metricsToken: 'scrape-me', metricsPublic: true });
    expect(config.secretsKey).toEqual(key);
    expect(config.secretsKeyPrevious).toEqual(key);
  });
});

/** The problems `loadConfig(env)` reports, one line each. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    const [first, ...lines] = (error as Error).message.split('\n');
    expect(first).toBe('Invalid configuration:');
    return lines.map((line) => line.replace(/^ {2}- /, ''));
  }
  return [];
}

describe('loadConfig validation messages', () => {
  it.each([
    ['PORT', '70000', "PORT must be an integer from 0 to 65535 (got '70000')"],
    ['PORT', '80.5', "PORT must be an integer from 0 to 65535 (got '80.5')"],
    ['PORT', '0x50', "PORT must be an integer from 0 to 65535 (got '0x50')"],
    [
      'HOST',
      'not a host!',
      "HOST must be a host name or an IP address (0.0.0.0 for every interface) (got 'not a host!')",
    ],
    [
      'LOG_LEVEL',
      'loud',
      "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got 'loud')",
    ],
    [
      'PUBLIC_BASE_URL',
      'notaurl',
      "PUBLIC_BASE_URL must be an absolute http(s) URL without query or fragment, e.g. https://itinera.example.com (got 'notaurl')",
    ],
    [
      'GEOLOCATION',
      'ftp://x.example.com',
      "GEOLOCATION must be an absolute http(s) URL without query or fragment, e.g. https://itinera.example.com (got 'ftp://x.example.com')",
    ],
    [
      'TOKEN_ISSUER',
      'itinera',
      "TOKEN_ISSUER must be an absolute http(s) URL without query or fragment, e.g. https://itinera.example.com (got 'itinera')",
    ],
    [
      'PUBLIC_BASE_URL',
      'https://x.example.com/?a=1',
      "PUBLIC_BASE_URL must be an absolute http(s) URL without query or fragment, e.g. https://itinera.example.com (got 'https://x.example.com/?a=1')",
    ],
    [
      'PUBLIC_BASE_URL',
      'https://x.example.com/#top',
      "PUBLIC_BASE_URL must be an absolute http(s) URL without query or fragment, e.g. https://itinera.example.com (got 'https://x.example.com/#top')",
    ],
    [
      'REGION_URLS',
      'us=https://us.example.com,emea=emea.example.com',
      "REGION_URLS must be region=URL pairs separated by commas, e.g. us=https://us.example.com (got 'us=https://us.example.com,emea=emea.example.com')",
    ],
    ['REGION', 'EU West', "REGION must be a region name such as us or emea (got 'EU West')"],
    [
      'ACCESS_TOKEN_TTL_SECONDS',
      '0',
      "ACCESS_TOKEN_TTL_SECONDS must be an integer from 1 to 86400 (got '0')",
    ],
    [
      'REFRESH_TOKEN_TTL_SECONDS',
      '-5',
      "REFRESH_TOKEN_TTL_SECONDS must be an integer from 1 to 315360000 (got '-5')",
    ],
    [
      'AUTHORIZATION_CODE_TTL_SECONDS',
      '3601',
      "AUTHORIZATION_CODE_TTL_SECONDS must be an integer from 1 to 3600 (got '3601')",
    ],
    [
      'BODY_LIMIT_BYTES',
      '1023',
      "BODY_LIMIT_BYTES must be an integer from 1024 to 67108864 (got '1023')",
    ],
    [
      'BODY_LIMIT_BYTES',
      '67108865',
      "BODY_LIMIT_BYTES must be an integer from 1024 to 67108864 (got '67108865')",
    ],
    ['WORKERS', '0', "WORKERS must be an integer from 1 to 64 (got '0')"],
    ['WORKERS', '65', "WORKERS must be an integer from 1 to 64 (got '65')"],
    [
      'RATE_LIMIT_PER_HOUR',
      'lots',
      "RATE_LIMIT_PER_HOUR must be an integer from 0 to 1000000000 (got 'lots')",
    ],
    [
      'NOTIFICATION_TIMEOUT_MS',
      '600001',
      "NOTIFICATION_TIMEOUT_MS must be an integer from 1 to 600000 (got '600001')",
    ],
    [
      'NOTIFICATION_MAX_AGE_SECONDS',
      '0',
      "NOTIFICATION_MAX_AGE_SECONDS must be an integer from 1 to 31536000 (got '0')",
    ],
    ['METRICS_PUBLIC', 'maybe', "METRICS_PUBLIC must be true or false (got 'maybe')"],
    [
      'TRUST_PROXY',
      '10.0.0.0/33',
      "TRUST_PROXY must be true, false, a hop count or comma-separated addresses/CIDR ranges (got '10.0.0.0/33')",
    ],
    [
      'TRUST_PROXY',
      'proxy.example.com',
      "TRUST_PROXY must be true, false, a hop count or comma-separated addresses/CIDR ranges (got 'proxy.example.com')",
    ],
    [
      'DATABASE_URL',
      'mysql://x',
      "DATABASE_URL must be postgres://USER@HOST:PORT/DB, postgresql://… or sqlite:PATH (got 'mysql://x')",
    ],
    [
      'DATABASE_URL',
      'sqlite:',
      "DATABASE_URL must be postgres://USER@HOST:PORT/DB, postgresql://… or sqlite:PATH (got 'sqlite:')",
    ],
  ])('%s=%s: %s', (name, value, message) => {
    expect(problemsOf({ [name]: value })).toEqual([message]);
  });

  it('names secret variables without echoing their value', () => {
    const problems = problemsOf({ SECRETS_KEY: 'short-secret', SECRETS_KEY_PREVIOUS: 'abc' });
    expect(problems).toEqual([
      'SECRETS_KEY must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)',
      'SECRETS_KEY_PREVIOUS must be 32 random bytes as 64 hex digits or base64 (openssl rand -base64 32)',
    ]);
  });

  it('hides the password of a database URL it refuses', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'postgres://app:s3cret@db:99999/x' });
    expect(problem).toMatch(/^DATABASE_URL must be/);
    expect(problem).toContain("'postgres://app:***@db:99999/x'");
    expect(problem).not.toContain('s3cret');
  });

  it('reports every invalid variable at once, in the order of the Configuration table', () => {
    expect(problemsOf({ PORT: '70000', LOG_LEVEL: 'loud', PUBLIC_BASE_URL: 'notaurl' })).toEqual([
      expect.stringMatching(/^PORT /),
      expect.stringMatching(/^PUBLIC_BASE_URL /),
      expect.stringMatching(/^LOG_LEVEL /),
    ]);
  });

  it('accepts IP addresses and host names for HOST, and trims values', () => {
    expect(loadConfig({ HOST: '::' }).host).toBe('::');
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: 'api.internal' }).host).toBe('api.internal');
    expect(loadConfig({ PORT: ' 9090 ' }).port).toBe(9090);
  });

  it('takes the token issuer from TOKEN_ISSUER, else PUBLIC_BASE_URL, else leaves it to requests', () => {
    expect(loadConfig({}).tokenIssuer).toBeUndefined();
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://api.example.com/' })).toMatchObject({
      publicBaseUrl: 'https://api.example.com',
      tokenIssuer: 'https://api.example.com',
    });
    expect(
      loadConfig({
        PUBLIC_BASE_URL: 'https://api.example.com',
        TOKEN_ISSUER: 'https://login.example.com/',
      }).tokenIssuer,
    ).toBe('https://login.example.com/');
  });

  it('takes the commit /version reports from ITINERA_COMMIT, a hash only', () => {
    expect(loadConfig({ ITINERA_COMMIT: 'abc1234' }).commit).toBe('abc1234');
    expect(loadConfig({}).commit).toBeUndefined();
    expect(() => loadConfig({ ITINERA_COMMIT: 'main; rm -rf /' })).toThrow(
      /ITINERA_COMMIT must be a git commit hash \(7 to 64 hex digits\) \(got 'main; rm -rf \/'\)/,
    );
  });

  it("describes in README.md's Configuration table exactly the variables of the schema", () => {
    const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Configuration'));
    const documented = [...table.matchAll(/^\| `([A-Z_]+)` /gm)].map((m) => m[1]);
    expect(documented).toEqual(Object.keys(EnvSchema.properties));
  });
});
