/**
 * Comparing a booking's passenger names with a traveller's profile names, for guest bookings
 * (docs/COMPATIBILITY.md, "Guest bookings"). GDSs and agencies spell one person many ways
 * (`MÜLLER/JOHN MR`, `Muller, John A.`, `o'brien`), so names are compared after folding case,
 * accents, punctuation and spacing, and without the titles and initials GDSs append to a first
 * name. Pure functions.
 */

/**
 * Titles GDSs put before or after a first name (`JOHN MR`, `MRS ANNE`); `chd`/`inf` mark a child
 * or an infant in a PNR name.
 */
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mstr',
  'master',
  'mx',
  'dr',
  'prof',
  'sir',
  'rev',
  'chd',
  'inf',
  'mme',
  'mlle',
  'herr',
  'frau',
]);

/**
 * Titles some GDS feeds glue to the first name (`JOHNMR`). Only the PNR titles: a longer list
 * would cut real names (`Alexandr` is not `Alexan` + `dr`).
 */
const GLUED_TITLES = ['mrs', 'mstr', 'miss', 'mr', 'ms'];

/** Generational suffixes a last name may carry (`SMITH JR`). */
const LAST_NAME_SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv']);

/** Letters NFKD does not decompose into a base letter and a mark. */
const FOLDED_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** The words of a name: lower case, without accents; punctuation and spacing separate words. */
export function nameWords(name: string | undefined): string[] {
  if (!name) return [];
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => FOLDED_LETTERS[letter] ?? letter)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * The words of a first name that identify the person: without leading or trailing titles and
 * trailing initials (`JOHN A`, `JOHN MR`, `MR JOHN` → `john`), keeping at least one word, and
 * without a PNR title glued to a single word (`JOHNMR` → `john`).
 */
export function givenNameWords(first: string | undefined): string[] {
  const words = nameWords(first);
  while (words.length > 1 && TITLES.has(words[0] as string)) words.shift();
  while (words.length > 1) {
    const last = words[words.length - 1] as string;
    if (!TITLES.has(last) && last.length > 1) break;
    words.pop();
  }
  const only = words[0];
  if (words.length === 1 && only !== undefined) {
    const glued = GLUED_TITLES.find((t) => only.endsWith(t) && only.length - t.length >= 2);
    if (glued) words[0] = only.slice(0, -glued.length);
  }
  return words;
}

/** A last name folded to one word, without a generational suffix (`Smith Jr.` → `smith`). */
export function foldedLastName(last: string | undefined): string {
  const words = nameWords(last);
  while (words.length > 1 && LAST_NAME_SUFFIXES.has(words[words.length - 1] as string)) {
    words.pop();
  }
  return words.join('');
}

/** A person as a booking or a profile names them. */
export interface PersonName {
  first?: string | null;
  last?: string | null;
}

/** True when one list of words starts with the other (`john` and `john paul`). */
function startsAlike(a: readonly string[], b: readonly string[]): boolean {
  const shorter = a.length <= b.length ? a : b;
  const longer = shorter === a ? b : a;
  return shorter.every((word, i) => longer[i] === word);
}

/**
 * True when a passenger may be the traveller named `profile`: the same last name, and first
 * names that fold to the same letters (`Mary-Ann`, `MARYANN`) or of which one starts with the
 * other's words (`John` and `JOHN PAUL`). A passenger without a first name matches on the last
 * name alone. Lenient on purpose: a passenger wrongly taken for the traveller is what Itinera
 * did before guest bookings, while one wrongly taken for a guest hides a trip from the list.
 */
export function samePerson(profile: PersonName, passenger: PersonName): boolean {
  const last = foldedLastName(passenger.last ?? undefined);
  if (last === '' || last !== foldedLastName(profile.last ?? undefined)) return false;
  const theirs = givenNameWords(passenger.first ?? undefined);
  if (theirs.length === 0) return true;
  const ours = givenNameWords(profile.first ?? undefined);
  return ours.join('') === theirs.join('') || startsAlike(ours, theirs);
}

/**
 * A person's name as one comparable value (`smith/john` for `SMITH/JOHN MR`), or undefined
 * when the last name is missing: two bookings for one guest carry the same value.
 */
export function foldedName(person: PersonName): string | undefined {
  const last = foldedLastName(person.last ?? undefined);
  if (last === '') return undefined;
  return `${last}/${givenNameWords(person.first ?? undefined).join('')}`;
}
