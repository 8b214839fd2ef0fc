import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import type { Manifest } from '../../src/engine/manifest.ts';
import { UserError } from '../../src/errors.ts';
import { generatorVersion } from '../../src/paths.ts';
import { renderVersion } from '../../src/upgrade/render-version.ts';
import { bin, tempDir } from '../helpers/cli.ts';

it('upgrade refuses a manifest name that is a path: the render stays in its scratch directory', async () => {
  const parent = tempDir('upgrade-name-');
  const scratch = path.join(parent, 'a', 'scratch');
  mkdirSync(scratch, { recursive: true });
  const manifest = {
    generator: 'create-hardened-api',
    version: generatorVersion,
    features: [],
    answers: { name: '../../escaped', options: {} },
    files: {},
  } as unknown as Manifest;
  await assert.rejects(renderVersion(bin, generatorVersion, manifest, parent, scratch), UserError);
  assert.equal(existsSync(path.join(parent, 'escaped')), false);
});
