import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The package root: one level above this file, both from src/ and from dist/. */
export const packageRoot = fileURLToPath(new URL('..', import.meta.url));
export const templatesRoot = fileURLToPath(new URL('../templates/', import.meta.url));

export const generatorVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
