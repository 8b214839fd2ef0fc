import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { validateOptions } from '../../src/commands/feature-options.ts';
import { renderFolder } from '../../src/engine/render.ts';
import { defineFeature } from '../../src/features/define.ts';
import { tempDir } from '../helpers/cli.ts';

const feature = defineFeature({
  id: 'gamma',
  title: 'Gamma',
  description: 'g',
  presets: [],
  option: {
    flag: 'gamma',
    message: 'Which?',
    choices: [
      { value: 'core', description: 'the core' },
      { value: 'extra', description: 'needs the core', requires: ['core'] },
      { value: 'other', description: 'alone' },
    ],
    defaults: ['core'],
    required: true,
  },
});

describe('feature sub-choices', () => {
  it('a choice brings the choices it requires, in the definition order', () => {
    assert.deepEqual(validateOptions([feature], { gamma: ['extra'] }), { gamma: ['core', 'extra'] });
    assert.deepEqual(validateOptions([feature], { gamma: ['other'] }), { gamma: ['other'] });
    assert.deepEqual(validateOptions([feature], {}), { gamma: ['core'] });
  });

  it('a template that renders empty for the chosen options is not written', () => {
    const folder = tempDir('render-');
    mkdirSync(path.join(folder, 'src'), { recursive: true });
    writeFileSync(path.join(folder, 'src/extra.ts.hbs'), '{{#if options.gamma.extra}}\nexport const extra = 1;\n{{/if}}\n');
    writeFileSync(path.join(folder, 'src/always.ts'), '');
    const render = (chosen: Record<string, boolean>) =>
      renderFolder(folder, { options: { gamma: chosen } }).map((f) => [f.path, f.content] as const);
    assert.deepEqual(render({ core: true }), [['src/always.ts', '']]);
    assert.deepEqual(render({ core: true, extra: true }), [
      ['src/always.ts', ''],
      ['src/extra.ts', 'export const extra = 1;\n'],
    ]);
  });
});
