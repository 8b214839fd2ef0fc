import type { Patch } from './types.ts';

export interface ConfigProperty {
  name: string;
  /** The TypeBox expression, e.g. `Type.String({ default: '' })`. */
  schema: string;
}

/** A patch that adds one property; the engine applies all of a file's in one edit (see applyConfigProperties). */
export interface ConfigPropertyPatch extends Patch {
  readonly configProperty: ConfigProperty;
}

/** Adds one environment variable to the `ConfigSchema = Type.Object({...})` literal that config loading validates. */
export function addConfigProperty(name: string, schema: string): ConfigPropertyPatch {
  return {
    description: `add ${name} to the validated configuration`,
    role: 'config',
    kind: 'config',
    identity: name,
    configProperty: { name, schema },
    // Loaded only when a patch runs (ts-morph); the engine usually applies a file's properties at once.
    async apply({ file, path, order, key }) {
      const { applyConfigProperties } = await import('./config-property-apply.ts');
      applyConfigProperties(file, path, order, [{ name, schema, key }]);
    },
  };
}

export function isConfigPropertyPatch(patch: Patch): patch is ConfigPropertyPatch {
  return 'configProperty' in patch;
}
