/**
 * What is wrong with a parsed manifest, naming the field (`answers.name is not a string`), or
 * undefined when it has the shape `Manifest` promises. The manifest is a file the user can edit.
 */
export function manifestProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'it is not a JSON object';
  if (value.generator !== 'create-hardened-api') return 'generator is not "create-hardened-api"';
  if (typeof value.version !== 'string') return 'version is not a string';
  if ('base' in value && value.base !== false) return 'base, when present, must be false';
  if ('support' in value && typeof value.support !== 'string') return 'support is not a string';
  if (!isStringArray(value.features)) return 'features is not a list of feature ids';
  if (!isObject(value.answers)) return 'answers is missing or not an object';
  if (typeof value.answers.name !== 'string') return 'answers.name is not a string';
  const options = value.answers.options;
  if (!isObject(options)) return 'answers.options is missing or not an object';
  for (const [id, choices] of Object.entries(options)) {
    if (!isStringArray(choices)) return `answers.options.${id} is not a list of choices`;
  }
  if (!isObject(value.files)) return 'files is missing or not an object';
  for (const [file, hash] of Object.entries(value.files)) {
    if (typeof hash !== 'string') return `files["${file}"] is not a hash`;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
