/**
 * Who may read `/metrics`. Metrics say how busy the service is and which routes are called;
 * they are not public unless the operator says so: METRICS_TOKEN asks scrapers for a bearer
 * token, METRICS_PUBLIC=true opens them (a private network), and with neither they are off.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The decision for one request. */
export type MetricsAccess = 'allowed' | 'unauthorized' | 'disabled';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Decides from the configuration which `/metrics` requests are answered. */
export function metricsAccessCheck(settings: {
  metricsToken?: string;
  metricsPublic: boolean;
}): (authorization: string | undefined) => MetricsAccess {
  const token = settings.metricsToken;
  if (token) {
    // Both sides hashed first: equal lengths for timingSafeEqual, and the token's length is
    // not revealed by how long the comparison takes.
    const expected = digest(token);
    return (authorization) => {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
      const equal = timingSafeEqual(digest(match?.[1] ?? ''), expected);
      return match && equal ? 'allowed' : 'unauthorized';
    };
  }
  if (settings.metricsPublic) return () => 'allowed';
  return () => 'disabled';
}
