import { describe, expect, it } from 'vitest';
import { METRO_AREAS } from './metro-codes.js';
import { isKnownTimeZone, localToUtc, resolveTimeZone, zoneForCityCode } from './time-zone.js';

describe('zoneForCityCode', () => {
  it.each([
    ['MIL', 'Europe/Rome'],
    ['ROM', 'Europe/Rome'],
    ['LIN', 'Europe/Rome'],
    ['FCO', 'Europe/Rome'],
    ['SEA', 'America/Los_Angeles'],
    ['DFW', 'America/Chicago'],
    ['NYC', 'America/New_York'],
    ['JFK', 'America/New_York'],
    ['WAS', 'America/New_York'],
    ['CHI', 'America/Chicago'],
    ['LON', 'Europe/London'],
    ['LHR', 'Europe/London'],
    ['PAR', 'Europe/Paris'],
    ['TYO', 'Asia/Tokyo'],
    ['BUE', 'America/Argentina/Buenos_Aires'],
    ['SAO', 'America/Sao_Paulo'],
  ])('%s → %s', (code, zone) => {
    expect(zoneForCityCode(code)).toBe(zone);
  });

  it('is case-insensitive and trims', () => {
    expect(zoneForCityCode('mil')).toBe('Europe/Rome');
    expect(zoneForCityCode(' fco ')).toBe('Europe/Rome');
    expect(zoneForCityCode('Sea')).toBe('America/Los_Angeles');
  });

  it('gives undefined for unknown or malformed codes', () => {
    expect(zoneForCityCode('QQQ')).toBeUndefined();
    expect(zoneForCityCode('')).toBeUndefined();
    expect(zoneForCityCode('LOND')).toBeUndefined();
    expect(zoneForCityCode('L1')).toBeUndefined();
  });

  it('metro table agrees with the airport dataset for every member airport', () => {
    for (const [code, metro] of Object.entries(METRO_AREAS)) {
      // A metro code the dataset also carries resolves through the dataset: it must agree.
      expect(zoneForCityCode(code), code).toBe(metro.zone);
      for (const airport of metro.airports) {
        expect(zoneForCityCode(airport), `${code}/${airport}`).toBe(metro.zone);
      }
    }
  });

  it('resolves only zones the runtime can convert', () => {
    for (const code of ['MIL', 'NYC', 'JFK', 'NRT', 'SYD', 'DEL', 'CCS', 'KTM']) {
      const zone = zoneForCityCode(code);
      expect(zone, code).toBeDefined();
      expect(resolveTimeZone({ cityCode: code }), code).toBe(zone);
    }
  });
});

describe('resolveTimeZone / isKnownTimeZone', () => {
  it('accepts Olson (IANA) names, returning the published spelling', () => {
    expect(resolveTimeZone({ timeZone: 'America/Los_Angeles' })).toBe('America/Los_Angeles');
    expect(resolveTimeZone({ timeZone: 'america/new_york' })).toBe('America/New_York');
    expect(resolveTimeZone({ timeZone: ' Europe/Rome ' })).toBe('Europe/Rome');
    expect(resolveTimeZone({ timeZone: 'America/New York' })).toBe('America/New_York');
    expect(resolveTimeZone({ timeZone: 'Asia/Kolkata' })).toBe('Asia/Kolkata');
    expect(resolveTimeZone({ timeZone: 'Asia/Calcutta' })).toBe('Asia/Calcutta');
    expect(resolveTimeZone({ timeZone: 'US/Pacific' })).toBe('US/Pacific');
    expect(resolveTimeZone({ timeZone: 'UTC' })).toBe('UTC');
    expect(resolveTimeZone({ timeZone: 'Etc/GMT+12' })).toBe('Etc/GMT+12');
    expect(resolveTimeZone({ timeZone: 'cet' })).toBe('CET');
    // tzdb names newer than CLDR's alias list still pass (ICU knows them), kept as spelled.
    expect(resolveTimeZone({ timeZone: 'Europe/Kyiv' })).toBe('Europe/Kyiv');
    expect(resolveTimeZone({ timeZone: 'Pacific/Kanton' })).toBe('Pacific/Kanton');
    expect(resolveTimeZone({ timeZone: 'America/Montreal' })).toBe('America/Montreal');
  });

  it('accepts every name of Concur\'s published time-zone list (TMC3P "Time Zone Formats")', () => {
    const concurNames = `
  Africa/Cairo Africa/Casablanca Africa/Harare Africa/Luanda Africa/Nairobi Africa/Windhoek
  America/Anchorage America/Argentina/Buenos_Aires America/Asuncion America/Bahia America/Bogota
  America/Buenos_Aires America/Caracas America/Chicago America/Chihuahua America/Denver
  America/Godthab America/Guyana America/Halifax America/Indianapolis America/Los_Angeles
  America/Manaus America/Mexico_City America/Montevideo America/New_York America/Phoenix
  America/Regina America/Santiago America/Sao_Paulo America/St_Johns America/Swift_Current
  America/Tijuana Asia/Almaty Asia/Amman Asia/Baghdad Asia/Baku Asia/Bangkok Asia/Beirut
  Asia/Calcutta Asia/Colombo Asia/Damascus Asia/Dhaka Asia/Irkutsk Asia/Jerusalem Asia/Kabul
  Asia/Kamchatka Asia/Karachi Asia/Katmandu Asia/Krasnoyarsk Asia/Magadan Asia/Muscat
  Asia/Novosibirsk Asia/Rangoon Asia/Riyadh Asia/Seoul Asia/Shanghai Asia/Singapore Asia/Taipei
  Asia/Tbilisi Asia/Tehran Asia/Tokyo Asia/Ulaanbaatar Asia/Vladivostok Asia/Yakutsk
  Asia/Yekaterinburg Asia/Yerevan Atlantic/Azores Atlantic/Cape_Verde Atlantic/South_Georgia
  Australia/Adelaide Australia/Brisbane Australia/Darwin Australia/Hobart Australia/Perth
  Australia/Sydney Etc/GMT+12 Etc/GMT-11 Etc/GMT-2 Europe/Athens Europe/Berlin Europe/Helsinki
  Europe/Istanbul Europe/Kaliningrad Europe/London Europe/Minsk Europe/Moscow Europe/Paris
  Europe/Prague Europe/Sarajevo GMT GMT-1200 Indian/Mauritius Pacific/Apia Pacific/Auckland
  Pacific/Fiji Pacific/Guadalcanal Pacific/Guam Pacific/Honolulu Pacific/Tongatapu UTC
    `
      .trim()
      .split(/\s+/);
    expect(concurNames).toHaveLength(100);
    for (const name of concurNames) expect(isKnownTimeZone(name), name).toBe(true);
  });

  it.each([
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Tokyo Standard Time', 'Asia/Tokyo'],
    ['pacific standard time', 'America/Los_Angeles'],
    ['Pacific  Daylight Time', 'America/Los_Angeles'],
    ['India Standard Time', 'Asia/Kolkata'],
    ['FLE Standard Time', 'Europe/Kyiv'],
    ['UTC-11', 'Etc/GMT+11'],
  ])('maps the Windows zone %s → %s', (windows, zone) => {
    expect(resolveTimeZone({ timeZone: windows })).toBe(zone);
    expect(isKnownTimeZone(windows)).toBe(true);
  });

  it('reads whole-hour GMT offsets the human way', () => {
    expect(resolveTimeZone({ timeZone: 'GMT-1200' })).toBe('Etc/GMT+12');
    expect(resolveTimeZone({ timeZone: 'GMT+0100' })).toBe('Etc/GMT-1');
    expect(resolveTimeZone({ timeZone: 'UTC+5' })).toBe('Etc/GMT-5');
    expect(resolveTimeZone({ timeZone: 'GMT-00:00' })).toBe('UTC');
    expect(resolveTimeZone({ timeZone: 'GMT+0530' })).toBeUndefined();
  });

  it('rejects ambiguous abbreviations, Windows short forms and junk', () => {
    for (const name of [
      'PST',
      'CST',
      'IST',
      'BST',
      'Pacific',
      'Central',
      '',
      '  ',
      'Mars/Olympus',
    ]) {
      expect(isKnownTimeZone(name), name).toBe(false);
      expect(resolveTimeZone({ timeZone: name }), name).toBeUndefined();
    }
  });

  it('lets TimeZone win over the city code', () => {
    expect(resolveTimeZone({ timeZone: 'Asia/Tokyo', cityCode: 'SEA' })).toBe('Asia/Tokyo');
    expect(resolveTimeZone({ timeZone: 'Tokyo Standard Time', cityCode: 'MIL' })).toBe(
      'Asia/Tokyo',
    );
  });

  it('falls back to the city code when TimeZone is absent or unrecognised', () => {
    expect(resolveTimeZone({ cityCode: 'ROM' })).toBe('Europe/Rome');
    expect(resolveTimeZone({ timeZone: 'Nowhere/Land', cityCode: 'sea' })).toBe(
      'America/Los_Angeles',
    );
    expect(resolveTimeZone({ timeZone: 'PST', cityCode: 'QQQ' })).toBeUndefined();
    expect(resolveTimeZone({})).toBeUndefined();
  });
});

describe('localToUtc', () => {
  it.each([
    // TMC guide: Milan/Rome 07:00 local in January → 06:00 UTC
    ['2021-01-11T07:00:00', 'Europe/Rome', '2021-01-11T06:00:00'],
    ['2021-07-11T07:00:00', 'Europe/Rome', '2021-07-11T05:00:00'],
    ['2013-12-21T12:00:00', 'America/Los_Angeles', '2013-12-21T20:00:00'],
    ['2013-12-21T23:59:00', 'America/Los_Angeles', '2013-12-22T07:59:00'],
    ['2021-01-11T07:00:00', 'Asia/Kolkata', '2021-01-11T01:30:00'],
    ['2021-01-11T07:00:00', 'Asia/Calcutta', '2021-01-11T01:30:00'],
    // Chatham: +13:45 in the southern summer, +12:45 in winter
    ['2021-01-11T07:00:00', 'Pacific/Chatham', '2021-01-10T17:15:00'],
    ['2021-07-11T07:00:00', 'Pacific/Chatham', '2021-07-10T18:15:00'],
    ['2021-01-11T07:00:00', 'Asia/Tokyo', '2021-01-10T22:00:00'],
    ['2021-01-11T07:00:00', 'UTC', '2021-01-11T07:00:00'],
    ['2021-01-11T07:00:00', 'Etc/GMT+12', '2021-01-11T19:00:00'],
    ['2021-01-11T07:00', 'Europe/Rome', '2021-01-11T06:00:00'],
    ['2024-02-29T23:30:00', 'America/New_York', '2024-03-01T04:30:00'],
  ])('%s in %s → %s', (local, zone, utc) => {
    expect(localToUtc(local, zone)).toBe(utc);
  });

  describe('DST transitions', () => {
    it('shifts a time in the spring-forward gap forward by the gap', () => {
      // New York 2021-03-14: 02:00 EST → 03:00 EDT; 02:30 does not exist, read as 03:30 EDT.
      expect(localToUtc('2021-03-14T02:30:00', 'America/New_York')).toBe('2021-03-14T07:30:00');
      expect(localToUtc('2021-03-14T01:59:59', 'America/New_York')).toBe('2021-03-14T06:59:59');
      expect(localToUtc('2021-03-14T03:00:00', 'America/New_York')).toBe('2021-03-14T07:00:00');
      // Rome 2021-03-28: 02:00 CET → 03:00 CEST
      expect(localToUtc('2021-03-28T02:30:00', 'Europe/Rome')).toBe('2021-03-28T01:30:00');
      // Samoa skipped 2011-12-30 entirely (−10 → +14): shifted forward by a day.
      expect(localToUtc('2011-12-30T12:00:00', 'Pacific/Apia')).toBe('2011-12-30T22:00:00');
    });

    it('takes the earlier instant for a time repeated at fall-back', () => {
      // New York 2021-11-07: 01:00–02:00 happens twice; 01:30 EDT (−4) comes first.
      expect(localToUtc('2021-11-07T01:30:00', 'America/New_York')).toBe('2021-11-07T05:30:00');
      expect(localToUtc('2021-11-07T02:00:00', 'America/New_York')).toBe('2021-11-07T07:00:00');
      expect(localToUtc('2021-11-07T00:59:59', 'America/New_York')).toBe('2021-11-07T04:59:59');
      // Rome 2021-10-31: 02:00–03:00 happens twice; 02:30 CEST (+2) comes first.
      expect(localToUtc('2021-10-31T02:30:00', 'Europe/Rome')).toBe('2021-10-31T00:30:00');
      expect(localToUtc('2021-10-31T03:00:00', 'Europe/Rome')).toBe('2021-10-31T02:00:00');
      // Lord Howe moves by only 30 minutes.
      expect(localToUtc('2021-04-04T01:45:00', 'Australia/Lord_Howe')).toBe('2021-04-03T14:45:00');
    });

    it('handles ordinary times on transition days', () => {
      expect(localToUtc('2021-03-14T12:00:00', 'America/New_York')).toBe('2021-03-14T16:00:00');
      expect(localToUtc('2021-11-07T12:00:00', 'America/New_York')).toBe('2021-11-07T17:00:00');
      expect(localToUtc('2021-10-31T12:00:00', 'Europe/Rome')).toBe('2021-10-31T11:00:00');
    });
  });

  it('rejects malformed local times', () => {
    for (const local of [
      '2021-02-29T07:00:00',
      '2021-13-01T07:00:00',
      '2021-01-11T24:00:00',
      '2021-01-11T07:60:00',
      '2021-01-11 07:00:00',
      '2021-01-11T07:00:00Z',
      '2021-01-11',
      '0999-01-01T00:00:00',
      '',
    ]) {
      expect(() => localToUtc(local, 'Europe/Rome'), local).toThrow(RangeError);
    }
  });

  it('rejects zones ICU does not know', () => {
    expect(() => localToUtc('2021-01-11T07:00:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localToUtc('2021-01-11T07:00:00', 'Pacific Standard Time')).toThrow(RangeError);
  });

  it('chains with resolveTimeZone for the TMC guide sample', () => {
    const zone = resolveTimeZone({ cityCode: 'MIL' });
    expect(zone).toBe('Europe/Rome');
    expect(localToUtc('2021-01-11T07:00:00', zone ?? '')).toBe('2021-01-11T06:00:00');
  });
});
