import { UserError } from '../errors.ts';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

interface Parsed {
  release: [number, number, number];
  prerelease: string[];
}

function parse(version: string): Parsed | undefined {
  const match = SEMVER.exec(version);
  if (!match) return undefined;
  return {
    release: [Number(match[1]), Number(match[2]), Number(match[3])],
    prerelease: match[4] ? match[4].split('.') : [],
  };
}

/** A version as npm publishes them (semver 2), or a user error naming where it came from. */
export function assertVersion(version: string, from: string): void {
  if (!parse(version)) throw new UserError(`${from} is not a version: "${version}".`, 'Versions look like 1.4.0 or 1.5.0-beta.1.');
}

/** Semver 2 precedence: negative when a < b, 0 when equal, positive when a > b (build metadata ignored). */
export function compareVersions(a: string, b: string): number {
  const left = parse(a);
  const right = parse(b);
  if (!left || !right) throw new Error(`Cannot compare versions ${a} and ${b}`);
  for (let i = 0; i < 3; i++) {
    const difference = (left.release[i] as number) - (right.release[i] as number);
    if (difference !== 0) return difference;
  }
  // A pre-release sorts before its release; identifiers compare numerically when both are numbers.
  if (left.prerelease.length === 0 || right.prerelease.length === 0) return right.prerelease.length - left.prerelease.length;
  for (let i = 0; i < Math.max(left.prerelease.length, right.prerelease.length); i++) {
    const x = left.prerelease[i];
    const y = right.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    const numeric = /^\d+$/.test(x) && /^\d+$/.test(y);
    if (numeric) return Number(x) - Number(y);
    if (/^\d+$/.test(x)) return -1;
    if (/^\d+$/.test(y)) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}
