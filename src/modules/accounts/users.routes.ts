/**
 * `GET /users`: find users of the caller's company by login id or primary e-mail, or page
 * through them (the TMC guide's user profile look-up, SPEC §2.9). Administrators only.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DatabaseHandle } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { concurQuery } from '../../http/query-parameters.js';
import { QueryBoolean, QueryInteger } from '../../http/query-schema.js';
import { isAdmin, principalOf, WRITE_ADMIN_ROLES } from './principal.js';
import { countUsers, findUsers, type UserFilter } from './user.repository.js';
import { presentUsers } from './users.presenter.js';

/** At most this many users per page, as the Concur user APIs allow. */
const MAX_LIMIT = 100;
const MAX_OFFSET = 1_000_000_000;

const wholeNumber = (name: string, min: number, max: number) =>
  QueryInteger({
    minimum: min,
    maximum: max,
    invalid: `${name} must be a whole number from ${min} to ${max} (got '{value}').`,
  });

/** The look-up's query, names lower-cased; checked in this order. */
const UsersQuery = Type.Object({
  loginid: Type.Optional(Type.String()),
  primaryemail: Type.Optional(Type.String()),
  isactive: Type.Optional(
    QueryBoolean({ invalid: "isactive must be true or false (got '{value}')." }),
  ),
  offset: Type.Optional(wholeNumber('offset', 0, MAX_OFFSET)),
  limit: Type.Optional(wholeNumber('limit', 1, MAX_LIMIT)),
});
type UsersQuery = Static<typeof UsersQuery>;

/** Before the query is read: a traveller hears 403 whatever parameters it sent. */
async function administratorsOnly(request: FastifyRequest): Promise<void> {
  if (!isAdmin(principalOf(request), WRITE_ADMIN_ROLES)) {
    throw errors.forbidden('Looking up users requires an administrator role.');
  }
}

function filterOf(query: UsersQuery, companyIds: readonly string[]): UserFilter {
  const filter: UserFilter = { companyIds };
  if (query.loginid) filter.loginId = query.loginid;
  if (query.primaryemail) filter.primaryEmail = query.primaryemail;
  if (query.isactive !== undefined) filter.active = query.isactive;
  return filter;
}

/** Registers the users look-up. */
export async function usersRoutes(app: FastifyInstance, options: { database: DatabaseHandle }) {
  const { db } = options.database;
  app.withTypeProvider<TypeBoxTypeProvider>().get(
    '/users',
    {
      config: { scope: ['user.read', 'USER', 'ITINER'], errorFormat: 'json' },
      schema: { summary: 'Find users of the company', tags: ['Users'], querystring: UsersQuery },
      preValidation: [administratorsOnly, concurQuery(UsersQuery)],
    },
    async (request) => {
      const filter = filterOf(request.query, principalOf(request).companyIds);
      const { offset = 0, limit = MAX_LIMIT } = request.query;
      const [rows, total] = await Promise.all([
        findUsers(db, filter, { offset, limit }),
        countUsers(db, filter),
      ]);
      return presentUsers({
        total,
        offset,
        limit,
        companyName: rows[0]?.company_name ?? '',
        users: rows,
      });
    },
  );
}
