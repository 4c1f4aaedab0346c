/**
 * What anonymizing a traveller does to a stored trip or booking document (docs/COMPATIBILITY.md,
 * "Deleting and anonymizing trips"): the travel facts stay (dates, places, vendors, segment
 * types, amounts, record locators), the person goes. Names become a fixed placeholder, so that
 * every rendering still has a traveller to name; everything else that identifies or describes
 * the person is removed (its elements are optional in Concur's schema). Pure functions.
 */
import type { XmlListItem, XmlNode, XmlValue } from '../../../xml/document.js';

/** The placeholder names of an anonymized traveller (profile and documents alike). */
export const ANONYMOUS_FIRST_NAME = 'Anonymized';
export const ANONYMOUS_LAST_NAME = 'Traveller';

/** Name elements kept with the placeholder (the schema's name fields; a GDS `LAST/FIRST`). */
const PLACEHOLDERS: Readonly<Record<string, string>> = {
  NameFirst: ANONYMOUS_FIRST_NAME,
  NameLast: ANONYMOUS_LAST_NAME,
  BookedByFirstName: ANONYMOUS_FIRST_NAME,
  BookedByLastName: ANONYMOUS_LAST_NAME,
  TextName: `${ANONYMOUS_LAST_NAME.toUpperCase()}/${ANONYMOUS_FIRST_NAME.toUpperCase()}`,
  PassengerName: `${ANONYMOUS_LAST_NAME.toUpperCase()}/${ANONYMOUS_FIRST_NAME.toUpperCase()}`,
};

/**
 * Elements removed wherever they are: the rest of a person's name, contact details, loyalty
 * and payment identifiers, ticket numbers, free text (remarks, notes, comments, custom fields),
 * the client's own reference and the traveller's login id.
 */
const REMOVED = new Set([
  'NameMiddle',
  'NamePrefix',
  'NameSuffix',
  'NameTitle',
  'NameRemark',
  'NameReference',
  'PhoneNumbers',
  'PhoneNumberData',
  'FrequentTravelerPrograms',
  'FrequentFlyerNumber',
  'FrequentFlyer',
  'LoyaltyProgramNumber',
  'Comments',
  'CancelComments',
  'Notes',
  'Description',
  'Remarks',
  'SpecialInstructions',
  'CustomAttributes',
  'ClientLocator',
  'FormOfPaymentName',
  'FormOfPayment',
  'UserLoginId',
  'BookedByEmail',
  'PlatingControlNumber',
]);

/** Name patterns removed too: e-mail addresses, card numbers, ticket numbers, addresses of people. */
const REMOVED_PATTERN =
  /^Email|EmailAddress|CreditCard|CardNumber|TicketNumber$|DeliveryAddress|CollectionAddress/;

/** In a `Passenger`, only the (placeholder) names stay: the rest describes the person. */
const KEPT_IN_PASSENGER = new Set(['NameFirst', 'NameLast', 'TextName']);

/** What a traveller's name, e-mail or login id looks like in free text. */
export interface PersonalWords {
  /** Whole values (an e-mail, a login id, a full name), lower-case: found anywhere in a text. */
  values: readonly string[];
  /** Single name words, lower-case: found as whole words only ("Ann" is not in "Annapolis"). */
  words: readonly string[];
}

/** Splits text into lower-case words (letters and digits of any script). */
function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * The words to look for: `names` (the profile's and those posted) by their words of three
 * letters or more and, when of several words, as they are; `identifiers` (e-mail, login id)
 * anywhere in a text.
 */
export function personalWordsOf(
  names: readonly (string | null | undefined)[],
  identifiers: readonly (string | null | undefined)[],
): PersonalWords {
  const whole = new Set<string>();
  const words = new Set<string>();
  for (const value of identifiers) {
    const text = value?.trim().toLowerCase();
    if (text && text.length >= 3) whole.add(text);
  }
  // A full name is looked for as it is; a single name only as a word ("Ann" not in "Annapolis").
  for (const name of names) {
    const text = name?.trim().toLowerCase();
    if (text && wordsOf(text).length > 1) whole.add(text);
  }
  for (const name of names) {
    for (const word of wordsOf(name ?? '')) if (word.length >= 3) words.add(word);
  }
  for (const value of Object.values(PLACEHOLDERS)) {
    for (const word of wordsOf(value)) {
      words.delete(word);
      whole.delete(word);
    }
  }
  return { values: [...whole], words: [...words] };
}

function mentions(text: string, personal: PersonalWords): boolean {
  const lower = text.toLowerCase();
  if (personal.values.some((value) => lower.includes(value))) return true;
  return wordsOf(lower).some((word) => personal.words.includes(word));
}

/** The names a document holds (passengers, bookers), for `personalWordsOf`. */
export function namesIn(node: XmlNode, found: string[] = []): string[] {
  for (const [key, value] of Object.entries(node)) {
    if (typeof value === 'string') {
      if (key in PLACEHOLDERS || key === 'NameMiddle') found.push(value);
    } else if (Array.isArray(value)) {
      for (const item of value) namesIn(item.node, found);
    } else namesIn(value, found);
  }
  return found;
}

function anonymizeValue(
  key: string,
  value: XmlValue,
  personal: PersonalWords,
  inPassenger: boolean,
): XmlValue | undefined {
  if (inPassenger && !KEPT_IN_PASSENGER.has(key)) return undefined;
  const placeholder = PLACEHOLDERS[key];
  if (placeholder !== undefined) return placeholder;
  if (REMOVED.has(key) || REMOVED_PATTERN.test(key)) return undefined;
  if (typeof value === 'string') {
    if (!mentions(value, personal)) return value;
    // A trip's name is required by the schema: a neutral one replaces a name that names someone.
    return key === 'TripName' ? 'Trip' : undefined;
  }
  if (Array.isArray(value)) {
    return value.map(
      (item): XmlListItem => ({
        element: item.element,
        node: anonymizeNode(item.node, personal, item.element === 'Passenger'),
      }),
    );
  }
  return anonymizeNode(value, personal, false);
}

/**
 * The document with the person removed (see the file comment); a new object, the input is left
 * as it was. `personal`: words that no remaining text may contain (such text is removed).
 */
export function anonymizeNode(
  node: XmlNode,
  personal: PersonalWords,
  inPassenger = false,
): XmlNode {
  const result: XmlNode = {};
  for (const [key, value] of Object.entries(node)) {
    const kept = anonymizeValue(key, value, personal, inPassenger);
    if (kept !== undefined) result[key] = kept;
  }
  return result;
}
