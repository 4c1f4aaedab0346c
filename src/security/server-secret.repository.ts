/**
 * Secrets every Itinera process must share (a form's HMAC key checked by whichever worker
 * receives the POST), created once in the database by whichever process needs one first.
 */
import type { Executor } from '../db/database.js';

/** The secret called `name`, created with `fresh` if there is none yet. */
export async function ensureServerSecret(
  db: Executor,
  name: string,
  fresh: string,
  now: number,
): Promise<string> {
  // Another process may insert at the same moment: the first row wins and both read it.
  await db
    .insertInto('server_secrets')
    .values({ name, secret: fresh, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('server_secrets')
    .select('secret')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.secret;
}

/** Every server secret as stored (clear or sealed), for the start-up check and re-encryption. */
export async function listServerSecrets(db: Executor): Promise<{ name: string; secret: string }[]> {
  return db.selectFrom('server_secrets').select(['name', 'secret']).orderBy('name').execute();
}

/** Replaces the stored form of a secret (re-encrypted; its clear value stays the same). */
export async function updateServerSecret(
  db: Executor,
  name: string,
  secret: string,
): Promise<void> {
  await db.updateTable('server_secrets').set({ secret }).where('name', '=', name).execute();
}

/** The secrets whose names start with `prefix`, oldest first (e.g. a rotating key's versions). */
export async function listServerSecretsNamed(
  db: Executor,
  prefix: string,
): Promise<{ name: string; secret: string; created_at: number }[]> {
  const rows = await db
    .selectFrom('server_secrets')
    .select(['name', 'secret', 'created_at'])
    .where('name', '>=', prefix)
    .where('name', '<', `${prefix}\uffff`)
    .orderBy('created_at')
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ ...row, created_at: Number(row.created_at) }));
}

/** Deletes a secret (a retired key version). */
export async function deleteServerSecret(db: Executor, name: string): Promise<void> {
  await db.deleteFrom('server_secrets').where('name', '=', name).execute();
}
