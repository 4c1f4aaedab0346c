/**
 * Geolocation: each company lives in a home region (`us`, `emea` …) served by its own
 * instances. The token endpoint tells clients the base URL of their user's region
 * (`geolocation`, SPEC §2.10), and an instance configured for one region refuses users of
 * another, naming where they belong.
 */

export class Regions {
  constructor(
    /** The region this instance serves; undefined: all. */
    private readonly own: string | undefined,
    private readonly urls: Readonly<Record<string, string>>,
    /** Used for regions without a configured URL (GEOLOCATION), else the request's base URL. */
    private readonly fallback: string | undefined,
  ) {}

  /** Whether this instance serves users of `region`. */
  serves(region: string): boolean {
    return this.own === undefined || this.own === region;
  }

  /** The base URL clients should use for `region`. */
  geolocationOf(region: string, requestBaseUrl: string): string {
    return this.urls[region] ?? this.fallback ?? requestBaseUrl;
  }
}
