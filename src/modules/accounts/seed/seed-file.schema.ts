/**
 * The seed file format of `itinera seed FILE`: companies, users and OAuth apps.
 */
import { type Static, Type } from '@sinclair/typebox';
import { SEGMENT_TYPES } from '../../../domain/segment-types.js';
import { ADMIN_ROLES } from '../principal.js';

const Name = Type.String({ minLength: 1, maxLength: 255 });

export const SeedFile = Type.Object(
  {
    companies: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Name,
            region: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z0-9-]+$' }),
            /** Concur's PreExpenseAir: ticketed air is ready to expense before the trip ends. */
            preExpenseAir: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    users: Type.Optional(
      Type.Array(
        Type.Object(
          {
            loginId: Type.String({ minLength: 3, maxLength: 255 }),
            password: Type.String({ minLength: 8, maxLength: 1024 }),
            company: Name,
            firstName: Type.Optional(Type.String({ maxLength: 255 })),
            lastName: Type.Optional(Type.String({ maxLength: 255 })),
            email: Type.Optional(Type.String({ maxLength: 255 })),
            roles: Type.Optional(Type.Array(Type.Union(ADMIN_ROLES.map((r) => Type.Literal(r))))),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    apps: Type.Optional(
      Type.Array(
        Type.Object(
          {
            clientId: Type.String({ minLength: 1, maxLength: 255 }),
            clientSecret: Type.String({ minLength: 16, maxLength: 1024 }),
            name: Name,
            kind: Type.Union([
              Type.Literal('tmc'),
              Type.Literal('supplier'),
              Type.Literal('partner'),
            ]),
            scopes: Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S+$' })),
            companies: Type.Array(Name),
            bookingSource: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 32 }), Type.Null()]),
            ),
            travelTypes: Type.Optional(
              Type.Array(Type.Union(SEGMENT_TYPES.map((t) => Type.Literal(t)))),
            ),
            agencyId: Type.Optional(
              Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
            ),
            postbackUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
            // Where the authorization code grant may send users back, matched exactly.
            redirectUris: Type.Optional(
              Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { maxItems: 20 }),
            ),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

export type SeedFile = Static<typeof SeedFile>;
