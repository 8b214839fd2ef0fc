import { Type } from 'typebox';

/** RFC 9457 problem details, as every error response documents it. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ maxLength: 200 }),
    title: Type.String({ maxLength: 200 }),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String({ maxLength: 2000 })),
    instance: Type.Optional(Type.String({ maxLength: 2048 })),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          in: Type.String({ maxLength: 20 }),
          pointer: Type.String({ maxLength: 500 }),
          detail: Type.String({ maxLength: 500 }),
        }),
        { maxItems: 20 },
      ),
    ),
  },
  { $id: 'Problem', title: 'Problem' },
);

/** The error responses every route can give, for its response schema. */
export const problemResponses = {
  400: ProblemSchema,
  404: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  429: ProblemSchema,
  500: ProblemSchema,
  503: ProblemSchema,
} as const;
