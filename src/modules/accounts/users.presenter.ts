/**
 * The JSON of `GET /users` in the shape of the TMC guide's sample ("Retrieve UUID by Primary
 * Email ID", SPEC §2.9): its keys in its order and its value types, so that a client whose
 * types were written from the sample decodes it. `total` is a string there (`"1"`) while
 * `offset` and `limit` are numbers; fields Itinera does not hold are empty strings where the
 * sample has a string and null where it has null. `EmployeeID` (a number in the sample) is
 * null: Itinera holds no employee id and does not invent one (COMPATIBILITY.md).
 */

/** A user row as the look-up reads it. */
export interface UserLookupRow {
  id: string;
  login_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  active: number;
}

/** One entry of `Items`. */
function userItem(user: UserLookupRow) {
  const email = user.email ?? '';
  return {
    Active: user.active === 1,
    CountryCode: '',
    CellPhoneNumber: '',
    PrimaryEmail: email,
    EmployeeID: null,
    ID: user.id,
    Emails: {
      PrimaryEmail: email,
      VerifiedEmail: null,
      email2: '',
      email3: '',
      email4: '',
      email5: '',
    },
    OrganizationUnit: null,
    MiddleName: '',
    LastName: user.last_name ?? '',
    FirstName: user.first_name ?? '',
    LoginID: user.login_id,
  };
}

/** The look-up's answer: one page of users, the total as a string, and the company. */
export function presentUsers(page: {
  total: number;
  offset: number;
  limit: number;
  companyName: string;
  users: readonly UserLookupRow[];
}) {
  return {
    total: String(page.total),
    offset: page.offset,
    limit: page.limit,
    companyinfo: {
      name: page.companyName,
      address: '',
      city: '',
      state: '',
      zip: '',
      country: '',
    },
    Items: page.users.map(userItem),
  };
}
