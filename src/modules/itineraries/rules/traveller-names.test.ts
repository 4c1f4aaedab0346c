import { describe, expect, it } from 'vitest';
import { guestKeyOf, tripGuestKeyOf } from './guest-bookings.js';
import { foldedName, givenNameWords, nameWords, samePerson } from './traveller-names.js';

const john = { first: 'John', last: 'Smith' };

describe('nameWords', () => {
  it('folds case, accents, ligatures and punctuation', () => {
    expect(nameWords('  Zoë  MÜLLER-Łukasz ')).toEqual(['zoe', 'muller', 'lukasz']);
    expect(nameWords("O'Brien")).toEqual(['o', 'brien']);
    expect(nameWords('Straße Ørsted')).toEqual(['strasse', 'orsted']);
    expect(nameWords(undefined)).toEqual([]);
  });
});

describe('givenNameWords', () => {
  it('drops GDS titles and middle initials, keeping one word', () => {
    expect(givenNameWords('JOHN MR')).toEqual(['john']);
    expect(givenNameWords('MR JOHN')).toEqual(['john']);
    expect(givenNameWords('John A.')).toEqual(['john']);
    expect(givenNameWords('JOHNMR')).toEqual(['john']);
    expect(givenNameWords('MR')).toEqual(['mr']);
    expect(givenNameWords('Mary Ann')).toEqual(['mary', 'ann']);
  });
});

describe('samePerson', () => {
  it('matches the spellings of one person', () => {
    expect(samePerson(john, { first: 'JOHN MR', last: 'SMITH' })).toBe(true);
    expect(samePerson(john, { first: 'john a', last: 'smith' })).toBe(true);
    expect(samePerson(john, { first: 'JOHN PAUL', last: 'SMITH JR' })).toBe(true);
    expect(samePerson(john, { last: 'Smith' })).toBe(true);
    expect(samePerson({ first: 'Zoë', last: 'Müller' }, { first: 'ZOE', last: 'MULLER' })).toBe(
      true,
    );
    expect(
      samePerson({ first: 'Mary-Ann', last: "O'Neil" }, { first: 'MARYANN', last: 'ONEIL' }),
    ).toBe(true);
  });

  it('tells other people apart', () => {
    expect(samePerson(john, { first: 'John', last: 'Smythe' })).toBe(false);
    expect(samePerson(john, { first: 'Jane', last: 'Smith' })).toBe(false);
    expect(samePerson(john, { first: 'John' })).toBe(false);
  });
});

describe('foldedName', () => {
  it('gives one value for the spellings of one guest, none without a last name', () => {
    expect(foldedName({ first: 'JOHN MR', last: 'SMITH' })).toBe('smith/john');
    expect(foldedName({ first: 'John', last: 'Smith' })).toBe('smith/john');
    expect(foldedName({ first: 'John' })).toBeUndefined();
  });
});

/** A booking document naming these passengers. */
function booking(...passengers: { NameFirst?: string; NameLast?: string; TextName?: string }[]) {
  return {
    RecordLocator: 'L1',
    Passengers: passengers.map((node) => ({ element: 'Passenger', node })),
  };
}

describe('guestKeyOf', () => {
  const owner = { first_name: 'Chris', last_name: 'Miller' };

  it('is null for the traveller’s own booking, whichever passenger names the traveller', () => {
    expect(guestKeyOf(booking({ NameFirst: 'CHRIS MR', NameLast: 'MILLER' }), owner)).toBeNull();
    const withGuest = booking(
      { NameFirst: 'Ann', NameLast: 'Lee' },
      { NameFirst: 'Chris', NameLast: 'Miller' },
    );
    expect(guestKeyOf(withGuest, owner)).toBeNull();
  });

  it('reads the GDS name of TextName (LAST/FIRST) when NameLast is absent', () => {
    expect(guestKeyOf(booking({ TextName: 'MILLER/CHRIS MR' }), owner)).toBeNull();
    const ann = guestKeyOf(booking({ NameFirst: 'Ann', NameLast: 'Lee' }), owner);
    expect(guestKeyOf(booking({ TextName: 'LEE/ANN MRS' }), owner)).toBe(ann);
    expect(guestKeyOf(booking({ TextName: 'Ann Lee' }), owner)).toBeNull();
  });

  it('is null when it cannot tell: no passengers, no last name, an owner without names', () => {
    expect(guestKeyOf(booking(), owner)).toBeNull();
    expect(guestKeyOf({ RecordLocator: 'L1' }, owner)).toBeNull();
    expect(guestKeyOf(booking({ NameFirst: 'Ann' }), owner)).toBeNull();
    const ann = booking({ NameFirst: 'Ann', NameLast: 'Lee' });
    expect(guestKeyOf(ann, { first_name: null, last_name: 'Miller' })).toBeNull();
    expect(guestKeyOf(ann, { first_name: 'Chris', last_name: ' ' })).toBeNull();
  });

  it('gives the same key to every spelling of the same guests, another to others', () => {
    const key = guestKeyOf(booking({ NameFirst: 'Ann', NameLast: 'Lee' }), owner);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(guestKeyOf(booking({ NameFirst: 'ANN MRS', NameLast: 'LEE' }), owner)).toBe(key);
    expect(guestKeyOf(booking({ NameFirst: 'Ann', NameLast: 'Leeds' }), owner)).not.toBe(key);
    const two = booking({ NameFirst: 'Ann', NameLast: 'Lee' }, { NameFirst: 'Bo', NameLast: 'Li' });
    const reversed = booking(
      { NameFirst: 'BO', NameLast: 'LI' },
      { NameFirst: 'ANN', NameLast: 'LEE' },
    );
    expect(guestKeyOf(two, owner)).toBe(guestKeyOf(reversed, owner));
    expect(guestKeyOf(two, owner)).not.toBe(key);
  });
});

describe('tripGuestKeyOf', () => {
  it('is a guest key only when every booking is a guest booking', () => {
    expect(tripGuestKeyOf([])).toBeNull();
    expect(tripGuestKeyOf([{ guestKey: 'a' }, { guestKey: 'a' }])).toBe('a');
    expect(tripGuestKeyOf([{ guestKey: 'a' }, { guestKey: null }])).toBeNull();
    const mixed = tripGuestKeyOf([{ guestKey: 'a' }, { guestKey: 'b' }]);
    expect(mixed).not.toBeNull();
    expect(mixed).not.toBe('a');
    expect(tripGuestKeyOf([{ guestKey: 'b' }, { guestKey: 'a' }])).toBe(mixed);
  });
});
