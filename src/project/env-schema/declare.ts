import type { SourceFile } from 'ts-morph';
import type { ConfigProperty } from '../../patch/config-property.ts';
import type { CodeStyle } from '../code-style.ts';
import { styleOfText } from '../code-style.ts';
import { extendEnvSchema } from './extend-env-schema.ts';
import type { EnvSchemaLocation } from './find-env-schema.ts';
import { type PropertySpec, propertySpec } from './property-spec.ts';

/**
 * Our features' variables, declared in the project's own environment schema as well (see extendEnvSchema),
 * as optional and without their defaults: its validation checks them when they are set, and its config
 * object stays exactly as it was when they are not (its own tests may compare it whole). Our settings
 * module applies the defaults.
 */
export function declareInProjectSchema(
  file: SourceFile,
  location: EnvSchemaLocation,
  properties: readonly ConfigProperty[],
  style: CodeStyle,
): string[] {
  const specs = properties
    .map((p) => propertySpec(p.name, p.schema))
    .filter((s): s is PropertySpec => s !== undefined)
    .map(({ default: _default, ...spec }) => ({ ...spec, optional: true }));
  return extendEnvSchema(file, location, specs, styleOfText(file.getFullText(), style));
}
