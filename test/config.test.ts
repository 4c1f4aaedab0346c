import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults to port 8080 and the embedded SQLite file ./data/itinera.db', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({
      dialect: 'sqlite',
      filename: path.resolve('data/itinera.db'),
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
});
