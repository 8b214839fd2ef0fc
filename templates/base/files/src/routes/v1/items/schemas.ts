import { type Static, Type } from 'typebox';

const Id = Type.String({ format: 'uuid', maxLength: 36 });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const Description = Type.String({ maxLength: 1000 });
const Status = Type.Union([Type.Literal('draft'), Type.Literal('active'), Type.Literal('archived')]);
const Timestamp = Type.String({ format: 'date-time', maxLength: 30 });

export const ItemSchema = Type.Object({
  id: Id,
  name: Name,
  description: Description,
  status: Status,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Item = Static<typeof ItemSchema>;

export const ItemParams = Type.Object({ id: Id }, { additionalProperties: false });

export const CreateItemBody = Type.Object(
  { name: Name, description: Type.Optional(Description), status: Type.Optional(Status) },
  { additionalProperties: false },
);
export type CreateItem = Static<typeof CreateItemBody>;

export const UpdateItemBody = Type.Object(
  { name: Type.Optional(Name), description: Type.Optional(Description), status: Type.Optional(Status) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateItem = Static<typeof UpdateItemBody>;

export const ListItemsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_-]+$' })),
    sort: Type.Union(
      [Type.Literal('createdAt'), Type.Literal('-createdAt'), Type.Literal('name'), Type.Literal('-name')],
      {
        default: '-createdAt',
      },
    ),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);
export type ListItems = Static<typeof ListItemsQuery>;

export const ItemPage = Type.Object({
  data: Type.Array(ItemSchema, { maxItems: 100 }),
  nextCursor: Type.Union([Type.String({ maxLength: 512 }), Type.Null()]),
});
