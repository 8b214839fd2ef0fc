import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Project } from 'ts-morph';
import { TEMPLATE_STYLE } from '../../src/project/code-style.ts';
import { declareInProjectSchema } from '../../src/project/env-schema/declare.ts';
import { envSchemaObjects } from '../../src/project/env-schema/find-env-schema.ts';

const PROPERTIES = [
  { name: 'RATE_LIMIT_MAX', schema: 'Type.Integer({ default: 100, minimum: 1 })' },
  { name: 'RATE_LIMIT_ON_STORE_ERROR', schema: "Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' })" },
  { name: 'DOCS_ENABLED', schema: 'Type.Optional(Type.Boolean())' },
  { name: 'METRICS_TOKEN', schema: "Type.String({ default: '', secret: true, maxLength: 512 })" },
];

function declared(source: string): string {
  const file = new Project({ useInMemoryFileSystem: true }).createSourceFile('/src/env.ts', source);
  const [schema] = envSchemaObjects(file);
  assert.ok(schema, 'the schema is found');
  const location = { file: 'src/env.ts', dialect: schema.dialect, index: 0, label: 'it' };
  const added = declareInProjectSchema(file, location, PROPERTIES, TEMPLATE_STYLE);
  assert.deepEqual(added, ['RATE_LIMIT_MAX', 'RATE_LIMIT_ON_STORE_ERROR', 'DOCS_ENABLED'], 'secrets stay out');
  assert.deepEqual(declareInProjectSchema(file, location, PROPERTIES, TEMPLATE_STYLE), [], 'a second time adds nothing');
  return file.getFullText();
}

describe("declaring our variables in the project's own env schema", () => {
  it('zod: optional, constraints kept, no defaults', () => {
    const out = declared(
      "import { z } from 'zod';\nexport const env = z.object({\n  PORT: z.coerce.number().default(3000),\n}).parse(process.env);\n",
    );
    assert.match(out, /RATE_LIMIT_MAX: z\.coerce\.number\(\)\.int\(\)\.min\(1\)\.optional\(\),/);
    assert.match(out, /RATE_LIMIT_ON_STORE_ERROR: z\.enum\(\['open', 'closed'\]\)\.optional\(\),/);
    assert.match(out, /DOCS_ENABLED: z\.enum\(\['true', 'false'\]\)\.transform\(\(value\) => value === 'true'\)\.optional\(\),/);
    assert.doesNotMatch(out, /METRICS_TOKEN/);
  });

  it('envalid: validators imported, default undefined', () => {
    const out = declared(
      "import { cleanEnv, port } from 'envalid';\nexport const env = cleanEnv(process.env, {\n  PORT: port({ default: 3000 }),\n});\n",
    );
    assert.match(out, /import \{ bool, cleanEnv, num, port, str \} from 'envalid';|import \{ cleanEnv, port, (num|str|bool), /);
    assert.match(out, /RATE_LIMIT_MAX: num\(\{ default: undefined \}\),/);
    assert.match(out, /RATE_LIMIT_ON_STORE_ERROR: str\(\{ choices: \['open', 'closed'\], default: undefined \}\),/);
  });

  it('TypeBox, under any local name', () => {
    const out = declared(
      "import { Type as T } from '@sinclair/typebox';\nconst Env = T.Object({\n  PORT: T.Integer({ default: 3000 }),\n});\n",
    );
    assert.match(out, /RATE_LIMIT_MAX: T\.Optional\(T\.Integer\(\{ minimum: 1 \}\)\),/);
    assert.match(out, /RATE_LIMIT_ON_STORE_ERROR: T\.Optional\(T\.Union\(\[T\.Literal\('open'\), T\.Literal\('closed'\)\]\)\),/);
  });

  it('a JSON schema for @fastify/env, and the type that mirrors it', () => {
    const out = declared(
      "import fastifyEnv from '@fastify/env';\ndeclare module 'fastify' {\n  interface FastifyInstance {\n    config: {\n      PORT: number;\n    };\n  }\n}\nexport const schema = {\n  type: 'object',\n  properties: {\n    PORT: { type: 'integer', default: 3000 },\n  },\n};\n",
    );
    assert.match(out, /RATE_LIMIT_MAX: \{ type: 'integer', minimum: 1 \},/);
    assert.match(out, /RATE_LIMIT_ON_STORE_ERROR: \{ type: 'string', enum: \['open', 'closed'\] \},/);
    assert.match(
      out,
      /PORT: number;\n {6}RATE_LIMIT_MAX\?: number;\n {6}RATE_LIMIT_ON_STORE_ERROR\?: 'open' \| 'closed';\n {6}DOCS_ENABLED\?: boolean;/,
    );
  });
});
