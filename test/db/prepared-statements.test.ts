/**
 * The statements PostgreSQL keeps prepared: fixed texts get a name from the text alone, and
 * texts whose result columns are `*` stay unnamed (a migration adding a column must not break
 * a running instance's prepared statement).
 */
import { describe, expect, it } from 'vitest';
import { preparedName, prepareStatement } from '../../src/db/prepared-statements.js';

describe('prepared statements', () => {
  it('name a text by its content, the same every time', () => {
    const text = 'update "trips" set "name" = $1 where "id" = $2 -- prepared-statements test';
    expect(preparedName(text)).toBeUndefined();
    prepareStatement(text);
    const name = preparedName(text);
    expect(name).toMatch(/^itinera_[0-9a-f]{20}$/);
    prepareStatement(text);
    expect(preparedName(text)).toBe(name);
    expect(preparedName(`${text} `)).toBeUndefined();
  });

  it('leave statements on * unnamed', () => {
    const text = 'select * from "bookings" where "trip_id" = $1 -- prepared-statements test';
    prepareStatement(text);
    expect(preparedName(text)).toBeUndefined();
  });
});
