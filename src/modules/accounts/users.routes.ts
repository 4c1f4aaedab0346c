/**
 * `GET /users`: find users of the caller's company by login id or primary e-mail, or page
 * through them (the TMC guide's user profile look-up, NOTES §2.9). Administrators only.
 */
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { lowerCaseParameters } from '../../http/query-parameters.js';
import { isAdmin, principalOf, WRITE_ADMIN_ROLES } from './principal.js';
import { countUsers, findUsers, type UserFilter } from './user.repository.js';

/** At most this many users per page, as the Concur user APIs allow. */
const MAX_LIMIT = 100;

function integerParameter(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
  fallback: number,
) {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw errors.badRequest(
      `${name} must be a whole number from ${min} to ${max} (got '${value}').`,
    );
  }
  return Number(value);
}

/** Registers the users look-up. */
export async function usersRoutes(app: FastifyInstance, options: { database: DatabaseHandle }) {
  const { db } = options.database;
  app.get(
    '/users',
    { config: { scope: ['user.read', 'USER', 'ITINER'], errorFormat: 'json' } },
    async (request) => {
      const principal = principalOf(request);
      if (!isAdmin(principal, WRITE_ADMIN_ROLES)) {
        throw errors.forbidden('Looking up users requires an administrator role.');
      }
      const { lower } = lowerCaseParameters(request.query);
      const filter: UserFilter = { companyIds: principal.companyIds };
      if (lower.loginid) filter.loginId = lower.loginid;
      if (lower.primaryemail) filter.primaryEmail = lower.primaryemail;
      if (lower.isactive !== undefined && lower.isactive !== '') {
        const value = lower.isactive.toLowerCase();
        if (value !== 'true' && value !== 'false') {
          throw errors.badRequest(`isactive must be true or false (got '${lower.isactive}').`);
        }
        filter.active = value === 'true';
      }
      const offset = integerParameter(lower.offset, 'offset', 0, 1_000_000_000, 0);
      const limit = integerParameter(lower.limit, 'limit', 1, MAX_LIMIT, MAX_LIMIT);
      const [rows, total] = await Promise.all([
        findUsers(db, filter, { offset, limit }),
        countUsers(db, filter),
      ]);
      return {
        total,
        offset,
        limit,
        companyinfo: {
          name: rows[0]?.company_name ?? null,
          address: null,
          city: null,
          state: null,
          zip: null,
          country: null,
        },
        Items: rows.map((user) => ({
          Active: user.active === 1,
          CountryCode: null,
          CellPhoneNumber: null,
          PrimaryEmail: user.email,
          EmployeeID: null,
          ID: user.id,
          Emails: {
            PrimaryEmail: user.email,
            VerifiedEmail: null,
            email2: null,
            email3: null,
            email4: null,
            email5: null,
          },
          OrganizationUnit: null,
          MiddleName: null,
          LastName: user.last_name,
          FirstName: user.first_name,
          LoginID: user.login_id,
        })),
      };
    },
  );
}
