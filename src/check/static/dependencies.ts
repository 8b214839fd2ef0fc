import { findingInFile } from '../locate.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';
import { parseDockerfile } from './docker.ts';

export const noLockfile: Rule = {
  id: 'dependencies.no-lockfile',
  severity: 'medium',
  title: 'No committed lockfile',
  why: 'Without a lockfile every install resolves the ranges again: what runs in production is not what was tested, and a hijacked new release is picked up automatically.',
  owasp: 'API8:2023 Security Misconfiguration (supply chain)',
  checklist: [47],
  remedy: 'Commit package-lock.json (or yarn.lock / pnpm-lock.yaml) and install with npm ci in CI and images.',
};

export const eolRuntime: Rule = {
  id: 'node.end-of-life',
  severity: 'medium',
  title: 'Runs on an end-of-life Node.js',
  why: 'An end-of-life Node.js line gets no security fixes: known vulnerabilities in its HTTP parser, TLS and crypto stay open.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [45, 47],
  remedy: 'Move .nvmrc / .node-version and the image to a maintained LTS line (22 or 24).',
};

export const eolEngines: Rule = {
  id: 'node.engines-end-of-life',
  severity: 'low',
  title: 'package.json engines admits an end-of-life Node.js',
  why: 'engines tells installers and platforms which Node.js lines are fine; admitting an end-of-life one invites running on it.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [47],
  remedy: 'Raise engines.node to a maintained line (e.g. ">=22").',
};

/** End of life of each Node.js line (https://github.com/nodejs/Release); lines up to 15 ended long ago. */
const END_OF_LIFE: Record<number, string> = {
  16: '2023-09-11',
  17: '2022-06-01',
  18: '2025-04-30',
  19: '2023-06-01',
  20: '2026-04-30',
  21: '2024-06-01',
  22: '2027-04-30',
  23: '2025-06-01',
  24: '2028-04-30',
  25: '2026-06-01',
  26: '2029-04-30',
  27: '2027-06-01',
};
const CODENAMES: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/** The end-of-life date of a major line if it has passed on `today`. */
export function endedOn(major: number, today: Date): string | undefined {
  if (major <= 15) return 'long ago';
  const date = END_OF_LIFE[major];
  return date && new Date(`${date}T00:00:00Z`) <= today ? date : undefined;
}

/** The lowest major an engines range admits (`>=18`, `^20 || ^22`, `18.x`), or undefined when open-ended below. */
export function lowestMajor(range: string): number | undefined {
  let lowest: number | undefined;
  for (const alternative of range.split('||')) {
    const match = /^(?:>=?|\^|~|=)?\s*v?(\d+)/.exec(alternative.trim());
    if (!match) return undefined;
    const major = Number(match[1]);
    lowest = lowest === undefined ? major : Math.min(lowest, major);
  }
  return lowest;
}

/** The version line of .nvmrc / .node-version (nvm allows `#` comments) and its major. */
function versionFile(text: string): { major: number; value: string } | undefined {
  const value = text
    .split(/\r?\n/)
    .map((line) => line.replace(/#.*/, '').trim())
    .find(Boolean);
  if (!value) return undefined;
  const codename = /^lts\/(\w+)$/i.exec(value)?.[1]?.toLowerCase();
  if (codename) return CODENAMES[codename] === undefined ? undefined : { major: CODENAMES[codename], value };
  const match = /^v?(\d+)/.exec(value);
  return match ? { major: Number(match[1]), value } : undefined;
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];
const DOCKERFILE = /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/i;

export function dependencyChecks(today: Date): StaticCheck {
  return {
    rules: [noLockfile, eolRuntime, eolEngines],
    run(project: ProjectFiles): Finding[] {
      const findings: Finding[] = [];
      if (!project.packageJson) return findings;
      if (!LOCKFILES.some((f) => project.has(f))) {
        findings.push(findingInFile(project, noLockfile, 'package.json', `none of ${LOCKFILES.join(', ')} is committed`));
      }
      const engines = project.packageJson.engines?.node;
      const lowest = engines ? lowestMajor(engines) : undefined;
      const enginesEnded = lowest === undefined ? undefined : endedOn(lowest, today);
      if (enginesEnded) {
        findings.push(
          findingInFile(
            project,
            eolEngines,
            'package.json',
            `engines.node "${engines}" admits Node.js ${lowest} (end of life ${enginesEnded})`,
            '"node"',
          ),
        );
      }
      for (const file of ['.nvmrc', '.node-version']) {
        const version = project.has(file) ? versionFile(project.read(file) ?? '') : undefined;
        const ended = version && endedOn(version.major, today);
        if (version && ended) {
          findings.push(
            findingInFile(
              project,
              eolRuntime,
              file,
              `Node.js ${version.major} (end of life ${ended})`,
              new RegExp(`^\\s*${version.value.replace(/[/.]/g, '\\$&')}`, 'm'),
            ),
          );
        }
      }
      for (const file of project.files.filter((f) => DOCKERFILE.test(f))) {
        for (const instruction of parseDockerfile(project.read(file) ?? '').filter((i) => i.keyword === 'FROM')) {
          const image = instruction.args.split(/\s+/).find((w) => !w.startsWith('--')) ?? '';
          const match = /^(?:docker\.io\/)?(?:library\/)?node:v?(\d+)/.exec(image);
          const ended = match ? endedOn(Number(match[1]), today) : undefined;
          if (ended) {
            findings.push({
              rule: eolRuntime,
              location: { file, line: instruction.line, column: instruction.column },
              seen: `FROM ${image}: Node.js ${match?.[1]} (end of life ${ended})`,
            });
          }
        }
      }
      return findings;
    },
  };
}
