import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, Severity, StaticCheck } from '../types.ts';

export const rootUser: Rule = {
  id: 'docker.root-user',
  severity: 'medium',
  title: 'Container runs as root',
  why: 'A compromise of the API (or of one of its dependencies) gets root inside the container, one kernel bug away from the host.',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [45],
  remedy: 'End the final stage with USER node (or a numeric non-root uid, e.g. USER 1000:1000); or create-hardened-api add docker.',
  feature: 'docker',
};

export const noHealthcheck: Rule = {
  id: 'docker.no-healthcheck',
  severity: 'low',
  title: 'Image without HEALTHCHECK',
  why: 'Docker and Compose cannot tell a hung API from a healthy one. (Kubernetes ignores HEALTHCHECK and uses its own probes.)',
  owasp: 'API8:2023 Security Misconfiguration (operations)',
  checklist: [45],
  remedy: 'Add a HEALTHCHECK that calls the liveness route (with node, if the image has no curl); or create-hardened-api add docker.',
  feature: 'docker',
};

export const latestBase: Rule = {
  id: 'docker.unpinned-base',
  severity: 'medium',
  title: 'Base image not pinned to a version',
  why: 'FROM image or image:latest builds on whatever was pushed last: builds are not reproducible and a new major version (or a compromised tag) arrives unreviewed.',
  owasp: 'API8:2023 Security Misconfiguration (supply chain)',
  checklist: [45, 47],
  remedy:
    'Pin a version tag (node:24.11.0-bookworm-slim), ideally with its digest (@sha256:...), and let Dependabot or Renovate update it.',
};

export const digestBase: Rule = {
  id: 'docker.base-without-digest',
  severity: 'low',
  title: 'Base image pinned by tag, not by digest',
  why: 'A tag can be moved to other content; only a digest names exactly one image.',
  owasp: 'API8:2023 Security Misconfiguration (supply chain)',
  checklist: [45],
  remedy: 'Add the digest: FROM node:24.11.0-bookworm-slim@sha256:<digest> (Dependabot keeps both current).',
};

export const npmInstall: Rule = {
  id: 'docker.npm-install',
  severity: 'medium',
  title: 'Image installs dependencies without the lockfile',
  why: 'npm install (or yarn/pnpm install without a frozen lockfile) may resolve other versions than the ones tested and runs whatever install scripts they bring.',
  owasp: 'API8:2023 Security Misconfiguration (supply chain)',
  checklist: [45, 47],
  remedy: 'Use npm ci --omit=dev --ignore-scripts (yarn install --immutable, pnpm install --frozen-lockfile).',
};

export const secretInImage: Rule = {
  id: 'docker.secret-in-image',
  severity: 'high',
  title: 'Secret baked into the image',
  why: 'ENV and ARG values are stored in the image layers and metadata: anyone who can pull the image reads them (docker history).',
  owasp: 'API8:2023 Security Misconfiguration',
  checklist: [41, 45],
  remedy: 'Pass secrets at run time (environment from a secret store, mounted files) or use BuildKit secret mounts at build time.',
};

interface Instruction {
  keyword: string;
  args: string;
  line: number;
  column: number;
}

/** Instructions with continuation lines joined; comments and parser directives dropped. */
export function parseDockerfile(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const start = i;
    let joined = trimmed;
    while (joined.endsWith('\\') && i + 1 < lines.length) {
      joined = joined.slice(0, -1);
      let next = (lines[++i] as string).trim();
      while (next.startsWith('#') && i + 1 < lines.length) next = (lines[++i] as string).trim();
      joined += ` ${next}`;
    }
    const match = /^(\S+)\s*(.*)$/.exec(joined);
    if (!match) continue;
    instructions.push({
      keyword: (match[1] as string).toUpperCase(),
      args: (match[2] as string).trim(),
      line: start + 1,
      column: raw.length - raw.trimStart().length + 1,
    });
  }
  return instructions;
}

interface Stage {
  from: Instruction;
  image: string;
  alias: string | undefined;
  instructions: Instruction[];
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'ARG' && stages.length === 0) {
      const [name, value] = instruction.args.split('=');
      if (name && value !== undefined) args.set(name.trim(), value.trim().replace(/^["']|["']$/g, ''));
    }
    if (instruction.keyword === 'FROM') {
      const words = instruction.args.split(/\s+/).filter((w) => !w.startsWith('--'));
      const image = (words[0] ?? '').replace(/\$\{?(\w+)\}?/g, (whole, name: string) => args.get(name) ?? whole);
      const asIndex = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({ from: instruction, image, alias: asIndex > 0 ? words[asIndex + 1] : undefined, instructions: [] });
    } else stages.at(-1)?.instructions.push(instruction);
  }
  return stages;
}

const DOCKERFILE = /(?:^|\/)(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$|\.dockerfile$/i;
const SECRET_NAME = /secret|token|password|passwd|api_?key|private_?key|access_?key|credential/i;

/** The command's package-manager invocations that install from package.json without the lockfile. */
function installsWithoutLockfile(command: string): string | undefined {
  for (const simple of command.split(/&&|\|\||;|\|/)) {
    const words = simple
      .trim()
      .split(/\s+/)
      .filter((w) => !/^\w+=/.test(w));
    const [tool, verb, ...rest] = words;
    const packages = rest.filter((w) => !w.startsWith('-'));
    if (tool === 'npm' && (verb === 'install' || verb === 'i') && packages.length === 0) return simple.trim();
    if (tool === 'yarn' && (verb === undefined || verb === 'install') && !rest.some((w) => /--frozen-lockfile|--immutable/.test(w)))
      return simple.trim();
    if (tool === 'pnpm' && (verb === 'install' || verb === 'i') && packages.length === 0 && !rest.includes('--frozen-lockfile'))
      return simple.trim();
  }
  return undefined;
}

export const docker: StaticCheck = {
  rules: [rootUser, noHealthcheck, latestBase, digestBase, npmInstall, secretInImage],
  run(project: ProjectFiles): Finding[] {
    const findings: Finding[] = [];
    for (const file of project.files.filter((f) => DOCKERFILE.test(f))) {
      const stages = stagesOf(parseDockerfile(project.read(file) ?? ''));
      const at = (rule: Rule, instruction: Instruction, seen: string, severity?: Severity): Finding => ({
        rule,
        location: { file, line: instruction.line, column: instruction.column },
        seen,
        ...(severity ? { severity } : {}),
      });
      const aliases = new Set(stages.map((s) => s.alias?.toLowerCase()).filter(Boolean));
      const reported = new Set<string>();
      for (const stage of stages) {
        const image = stage.image;
        if (aliases.has(image.toLowerCase()) || image === 'scratch' || image.includes('$') || reported.has(image)) continue;
        reported.add(image);
        const [name, digest] = image.split('@');
        const tag = /:([^/:]+)$/.exec(name ?? '')?.[1];
        if (!digest && (tag === undefined || tag === 'latest')) findings.push(at(latestBase, stage.from, `FROM ${image}`));
        else if (!digest) findings.push(at(digestBase, stage.from, `FROM ${image}`));
      }
      for (const stage of stages) {
        for (const instruction of stage.instructions) {
          if (instruction.keyword === 'RUN') {
            const install = installsWithoutLockfile(instruction.args);
            if (install) findings.push(at(npmInstall, instruction, `RUN ${install}`));
          }
          if (instruction.keyword === 'ENV' || instruction.keyword === 'ARG') {
            for (const match of instruction.args.matchAll(/(\w+)(?:=|\s+)("[^"]*"|'[^']*'|\S+)/g)) {
              const [, key, value] = match;
              const bare = (value ?? '').replace(/^["']|["']$/g, '');
              if (SECRET_NAME.test(key ?? '') && bare !== '' && !bare.startsWith('$') && !/_FILE$/i.test(key ?? '')) {
                findings.push(at(secretInImage, instruction, `${instruction.keyword} ${key}=…`));
              }
            }
          }
        }
      }
      const final = stages.at(-1);
      if (!final) continue;
      const users = final.instructions.filter((i) => i.keyword === 'USER');
      const user = users.at(-1);
      const nonRootImage = /nonroot|distroless.*:nonroot|chainguard/i.test(final.image);
      if (!user && !nonRootImage) findings.push(at(rootUser, final.from, `final stage FROM ${final.image} has no USER`));
      else if (user && /^(?:root|0)(?::.*)?$/.test(user.args)) findings.push(at(rootUser, user, `USER ${user.args}`));
      const healthcheck = final.instructions.filter((i) => i.keyword === 'HEALTHCHECK').at(-1);
      if (!healthcheck || /^NONE$/i.test(healthcheck.args))
        findings.push(at(noHealthcheck, healthcheck ?? final.from, 'no HEALTHCHECK in the final stage'));
    }
    return findings;
  },
};
