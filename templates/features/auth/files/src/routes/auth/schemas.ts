import { type Static, Type } from 'typebox';
import { ProblemSchema, problemResponses } from '../../schemas/problem.ts';

const Id = Type.String({ format: 'uuid', maxLength: 36 });
const Email = Type.String({ format: 'email', minLength: 3, maxLength: 254 });
/** The policy's minimum length is checked by the handler (it is configurable); 128 bounds the hashing work. */
const Password = Type.String({ minLength: 1, maxLength: 128 });
const Timestamp = Type.String({ format: 'date-time', maxLength: 30 });

/** Every error an authenticated route can give, for its response schema. */
export const authProblems = { ...problemResponses, 401: ProblemSchema, 403: ProblemSchema } as const;

export const Credentials = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
export type CredentialsBody = Static<typeof Credentials>;

export const User = Type.Object({ id: Id, email: Email, createdAt: Timestamp });

export const TokenPair = Type.Object({
  tokenType: Type.Literal('Bearer'),
  accessToken: Type.String({ maxLength: 2048 }),
  expiresIn: Type.Integer({ minimum: 1, maximum: 3600 }),
  refreshToken: Type.String({ maxLength: 64 }),
});

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

export const PasswordChange = Type.Object(
  { currentPassword: Password, newPassword: Password },
  { additionalProperties: false },
);

export const Jwks = Type.Object({
  keys: Type.Array(
    Type.Object({
      kty: Type.String({ maxLength: 10 }),
      crv: Type.String({ maxLength: 20 }),
      x: Type.String({ maxLength: 100 }),
      kid: Type.String({ maxLength: 100 }),
      alg: Type.String({ maxLength: 10 }),
      use: Type.String({ maxLength: 10 }),
    }),
    { maxItems: 20 },
  ),
});
