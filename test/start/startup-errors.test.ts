/**
 * `explainStartupError`: each known start-up failure, as the libraries raise it, becomes one line
 * naming the path, port or server and what to change; passwords never appear.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { explainStartupError, startupFailure } from '../../src/start/startup-errors.js';

/** An error shaped like Node's system errors and the drivers' errors. */
function failure(code: string, fields: Record<string, unknown> = {}, message = code): Error {
  return Object.assign(new Error(message), { code, ...fields });
}

const sqlite = (file: string): Readonly<Config> =>
  loadConfig({ DATABASE_URL: `sqlite:${file}`, PORT: '8080', HOST: '0.0.0.0' });
const postgres = loadConfig({ DATABASE_URL: 'postgres://app:s3cret@db.internal:6543/itinera' });

describe('explainStartupError', () => {
  it('names the port and host when the port is taken', () => {
    const error = failure('EADDRINUSE', { syscall: 'listen', port: 8080 });
    expect(explainStartupError(error, sqlite('/x/y.db'))).toBe(
      'port 8080 is already in use on 0.0.0.0; stop the other process or set PORT',
    );
  });

  it('says a low port needs privileges', () => {
    const config = loadConfig({ PORT: '80', HOST: '127.0.0.1' });
    expect(explainStartupError(failure('EACCES', { syscall: 'listen' }), config)).toBe(
      'port 80 on 127.0.0.1 needs privileges; set PORT to 1024 or above (behind a proxy) or allow node to bind it (setcap cap_net_bind_service=+ep)',
    );
  });

  it('says HOST is not an address of this machine', () => {
    const config = loadConfig({ HOST: '203.0.113.9' });
    expect(explainStartupError(failure('EADDRNOTAVAIL', { syscall: 'listen' }), config)).toBe(
      'HOST 203.0.113.9 is not an address of this machine; set HOST to one of its addresses or 0.0.0.0',
    );
  });

  it.each([
    ['EROFS', 'the file system is read-only'],
    ['EACCES', 'the directory is read-only'],
  ])('explains %s creating the SQLite directory', (code, reason) => {
    const error = failure(code, { syscall: 'mkdir', path: '/x' });
    expect(explainStartupError(error, sqlite('/x/y.db'))).toBe(
      `cannot open the database file /x/y.db: ${reason}; set DATABASE_URL=sqlite:PATH to a writable place or fix the permissions`,
    );
  });

  it('says the directory is missing when SQLite cannot open a file there', () => {
    const file = path.join(os.tmpdir(), 'itinera-no-such-dir', 'nested', 'y.db');
    expect(explainStartupError(failure('SQLITE_CANTOPEN'), sqlite(file))).toBe(
      `cannot open the database file ${file}: the directory does not exist; set DATABASE_URL=sqlite:PATH to a writable place or fix the permissions`,
    );
  });

  it('blames the file when its directory is writable, and leaves no probe behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'itinera-startup-'));
    try {
      const file = path.join(dir, 'y.db');
      expect(explainStartupError(failure('SQLITE_READONLY'), sqlite(file))).toBe(
        `cannot open the database file ${file}: the file is read-only or locked by another program; set DATABASE_URL=sqlite:PATH to a writable place or fix the permissions`,
      );
      expect(fs.readdirSync(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says a file is not a database', () => {
    expect(explainStartupError(failure('SQLITE_NOTADB'), sqlite('/x/y.db'))).toBe(
      'cannot open the database file /x/y.db: the file is not an SQLite database; restore it from a backup or set DATABASE_URL=sqlite:PATH to another file',
    );
  });

  it('names the PostgreSQL server without the password when it cannot be reached', () => {
    const refused = failure('ECONNREFUSED', { syscall: 'connect' });
    expect(explainStartupError(refused, postgres)).toBe(
      'cannot reach PostgreSQL at db.internal:6543 (connection refused); check the host and port in DATABASE_URL and that the server is running',
    );
    // `localhost` tries ::1 and 127.0.0.1; Node reports both at once.
    const both = Object.assign(new AggregateError([refused, refused], ''), { code: undefined });
    expect(explainStartupError(both, postgres)).toMatch(
      /^cannot reach PostgreSQL at db\.internal:6543 \(connection refused\)/,
    );
    expect(explainStartupError(failure('ENOTFOUND', { syscall: 'getaddrinfo' }), postgres)).toMatch(
      /^cannot reach PostgreSQL at db\.internal:6543 \(host not found\)/,
    );
  });

  it('explains authentication failures and a missing database', () => {
    expect(explainStartupError(failure('28P01'), postgres)).toBe(
      "PostgreSQL at db.internal:6543 refused user 'app': wrong password; fix the password in DATABASE_URL",
    );
    expect(explainStartupError(failure('28000', {}, 'role "app" does not exist'), postgres)).toBe(
      `PostgreSQL at db.internal:6543 refused user 'app' (role "app" does not exist); fix the user in DATABASE_URL or the server's pg_hba.conf`,
    );
    expect(explainStartupError(failure('3D000'), postgres)).toBe(
      "PostgreSQL at db.internal:6543 has no database 'itinera'; create it (createdb itinera) or fix DATABASE_URL",
    );
    for (const code of ['ECONNREFUSED', '28P01', '28000', '3D000', '42501']) {
      expect(explainStartupError(failure(code), postgres)).not.toContain('s3cret');
    }
  });

  it('leaves other errors to their own message', () => {
    expect(explainStartupError(new Error('boom'), postgres)).toBeUndefined();
    expect(startupFailure(new Error('boom'), postgres).message).toBe('boom');
  });

  it('adds the original stack only at LOG_LEVEL debug or trace', () => {
    const error = failure('EADDRINUSE', { syscall: 'listen' });
    const quiet = startupFailure(error, loadConfig({ LOG_LEVEL: 'info' }));
    expect(quiet.message.split('\n')).toHaveLength(1);
    expect(quiet.cause).toBe(error);
    const debug = startupFailure(error, loadConfig({ LOG_LEVEL: 'debug' }));
    expect(debug.message.split('\n')[0]).toMatch(/^port 8080 is already in use/);
    expect(debug.message).toContain(error.stack);
  });
});
