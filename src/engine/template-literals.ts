import type Handlebars from 'handlebars';

/**
 * Helpers that put a value into generated code as a literal, never as code: a project name such as
 * `x' + String(process.exit(7)) + '` must stay a string. `{{json value}}` is a double-quoted literal
 * (JSON, YAML, TypeScript); `{{tsString value}}` a single-quoted one (the generated project's style);
 * `{{jsonInner value}}` the escaped text to place inside a double-quoted literal next to fixed text;
 * `{{oneLine value}}` the value on one line (a Markdown title).
 */
export function registerLiteralHelpers(handlebars: typeof Handlebars): void {
  handlebars.registerHelper('json', (value: unknown) => JSON.stringify(String(value)));
  handlebars.registerHelper('jsonInner', (value: unknown) => JSON.stringify(String(value)).slice(1, -1));
  handlebars.registerHelper('tsString', (value: unknown) => singleQuoted(String(value)));
  handlebars.registerHelper('oneLine', (value: unknown) => String(value).replace(/\s+/g, ' '));
}

export function singleQuoted(value: string): string {
  // JSON escapes backslashes, double quotes and control characters; a double quote needs no escape
  // between single quotes, a single quote does.
  const inner = JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${inner}'`;
}
