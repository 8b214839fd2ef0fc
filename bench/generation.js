import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { run, timeCommand } from './lib/process.js';
import { median, round } from './lib/stats.js';
import { peerCommands } from './peers/peers.js';

const bin = path.resolve('bin/create-hardened-api.js');
/** A project we did not generate (test/fixtures/fastify) that `add` is timed on, as users run it: no install. */
const FOREIGN = { fixture: 'factory-typeprovider', feature: 'metrics' };
const QUIET = ['--yes', '--no-install', '--no-git'];

function freshDir() {
  return path.join(mkdtempSync(path.join(tmpdir(), 'bench-gen-')), 'api');
}

function createOnce(preset) {
  const dir = freshDir();
  const seconds = timeCommand(process.execPath, [bin, dir, ...QUIET, '--preset', preset]);
  rmSync(path.dirname(dir), { recursive: true, force: true });
  return seconds;
}

/**
 * Generation: each preset and each `add` on a minimal project, fresh directory every run, after a warm-up;
 * peers interleaved with ours in the same rounds when installed.
 */
export function benchGeneration({ runs, features, peers }) {
  const presets = ['minimal', 'standard', 'full'];
  const samples = Object.fromEntries(presets.map((p) => [`create --preset ${p}`, []]));
  for (const id of features) samples[`add ${id}`] = [];
  const foreignName = `add ${FOREIGN.feature} (foreign: ${FOREIGN.fixture})`;
  samples[foreignName] = [];
  for (const peer of peers) samples[peer.name] = [];

  const base = freshDir();
  run(process.execPath, [bin, base, ...QUIET, '--preset', 'minimal']);
  const addOnce = (id) => {
    const dir = freshDir();
    cpSync(base, dir, { recursive: true });
    const seconds = timeCommand(process.execPath, [bin, 'add', id, '--dir', dir, '--no-install']);
    rmSync(path.dirname(dir), { recursive: true, force: true });
    return seconds;
  };

  const addForeignOnce = () => {
    const dir = freshDir();
    cpSync(path.resolve('test/fixtures/fastify', FOREIGN.fixture), dir, { recursive: true });
    const seconds = timeCommand(process.execPath, [bin, 'add', FOREIGN.feature, '--dir', dir, '--no-install']);
    rmSync(path.dirname(dir), { recursive: true, force: true });
    return seconds;
  };

  createOnce('full');
  for (const peer of peers) peer.run();
  for (let round_ = 0; round_ < runs; round_++) {
    for (const preset of presets) samples[`create --preset ${preset}`].push(createOnce(preset));
    for (const id of features) samples[`add ${id}`].push(addOnce(id));
    samples[foreignName].push(addForeignOnce());
    for (const peer of peers) samples[peer.name].push(peer.run());
  }
  rmSync(path.dirname(base), { recursive: true, force: true });

  const ours = median(samples['create --preset full']);
  return Object.entries(samples).map(([name, values]) => ({
    name,
    medianSeconds: round(median(values), 3),
    minSeconds: round(Math.min(...values), 3),
    maxSeconds: round(Math.max(...values), 3),
    runs: values.length,
    ratioToFullPreset: round(median(values) / ours, 2),
  }));
}

export { peerCommands };
