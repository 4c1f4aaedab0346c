/**
 * What the benchmark scenarios share: an access token from the server under test, and the
 * number of trips in a database file.
 */
import SQLite from 'better-sqlite3';

/** An access token from the token endpoint for the given form fields (any grant). */
export async function requestToken(baseUrl: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth2/v0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  if (response.status !== 200)
    throw new Error(`token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

/** How many trips a SQLite database file holds. */
export function countTrips(file: string): number {
  const sqlite = new SQLite(file, { readonly: true });
  try {
    return (sqlite.prepare('select count(*) as n from trips').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}
