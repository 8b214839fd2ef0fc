import type { Document, Pair, Scalar, YAMLMap, YAMLSeq, Node as YamlNode } from 'yaml';
import { position } from '../locate.ts';
import type { ProjectFiles } from '../project.ts';
import type { Finding, Rule, StaticCheck } from '../types.ts';

export const noPermissions: Rule = {
  id: 'workflows.no-permissions',
  severity: 'medium',
  title: 'Workflow without explicit token permissions',
  why: "Without a permissions block the job's GITHUB_TOKEN gets the repository default, which is read-write on older repositories and organisations: a compromised step or dependency can push code or releases.",
  owasp: 'API8:2023 Security Misconfiguration (CI)',
  checklist: [46],
  remedy:
    'Add `permissions: contents: read` at the top of the workflow and grant more only to the job that needs it; or create-hardened-api add ci.',
  feature: 'ci',
};

export const unpinnedAction: Rule = {
  id: 'workflows.unpinned-action',
  severity: 'medium',
  title: 'Action not pinned to a commit SHA',
  why: 'A tag or branch of a third-party action can be moved to malicious code (tj-actions/changed-files, 2025): the next run executes it with your token and secrets.',
  owasp: 'API8:2023 Security Misconfiguration (supply chain)',
  checklist: [46],
  remedy:
    'Pin the full 40-character commit SHA with the version as a comment (uses: actions/checkout@<sha> # v5.0.0); Dependabot keeps both current.',
};

export const pullRequestTarget: Rule = {
  id: 'workflows.pr-target-checkout',
  severity: 'high',
  title: 'pull_request_target checks out the pull request',
  why: "pull_request_target runs with the base repository's secrets and a write token; checking out and building the PR's code lets any fork run code with them (a 'pwn request').",
  owasp: 'API8:2023 Security Misconfiguration (CI)',
  checklist: [46],
  remedy: 'Use pull_request for building PR code; keep pull_request_target for labelling/commenting without checking out the head.',
};

export const untrustedInput: Rule = {
  id: 'workflows.script-injection',
  severity: 'high',
  title: 'Untrusted event data expanded in a script',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub's expression syntax, not a template.
  why: '${{ github.event.* }} text that an outsider controls (titles, bodies, branch names, commit messages) is pasted into the shell script before it runs: a crafted title runs commands with the workflow token.',
  owasp: 'API8:2023 Security Misconfiguration (CI)',
  checklist: [46],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub's expression syntax, not a template.
  remedy: 'Pass the value through an environment variable (env: TITLE: ${{ github.event.issue.title }}) and use "$TITLE" in the script.',
};

const WORKFLOW = /^\.github\/workflows\/[^/]+\.ya?ml$/;
const SHA = /^[0-9a-f]{40}$/;
const UNTRUSTED =
  /\$\{\{\s*(github\.event\.(?:issue\.(?:title|body)|pull_request\.(?:title|body|head\.ref|head\.label|head\.repo\.default_branch)|comment\.body|review\.body|review_comment\.body|pages\.[^}]*\.page_name|commits\.[^}]*\.(?:message|author\.(?:email|name))|head_commit\.(?:message|author\.(?:email|name))|workflow_run\.(?:head_branch|head_commit\.message|display_title)|discussion\.(?:title|body))|github\.head_ref)\s*\}\}/;
const PR_HEAD = /github\.event\.pull_request\.head|github\.head_ref|refs\/pull\//;

export const workflows: StaticCheck = {
  rules: [noPermissions, unpinnedAction, pullRequestTarget, untrustedInput],
  async run(project: ProjectFiles): Promise<Finding[]> {
    const files = project.files.filter((f) => WORKFLOW.test(f));
    if (files.length === 0) return [];
    const yaml = await import('yaml');
    const findings: Finding[] = [];
    for (const file of files) {
      const text = project.read(file) ?? '';
      const document = yaml.parseDocument(text) as Document;
      if (document.errors.length > 0 || !yaml.isMap(document.contents)) continue;
      const root = document.contents as YAMLMap;
      const at = (rule: Rule, node: YamlNode | Pair | null | undefined, seen: string, offset?: number): Finding => {
        const start =
          offset ??
          (node && 'range' in node && node.range
            ? node.range[0]
            : yaml.isPair(node) && yaml.isNode(node.key)
              ? (node.key.range?.[0] ?? 0)
              : 0);
        return { rule, location: { file, ...position(text, start) }, seen };
      };
      const pair = (map: unknown, key: string): Pair | undefined =>
        yaml.isMap(map) ? (map as YAMLMap).items.find((p) => yaml.isScalar(p.key) && (p.key as Scalar).value === key) : undefined;
      const value = (map: unknown, key: string): unknown => pair(map, key)?.value;

      const jobs = value(root, 'jobs');
      const jobPairs = yaml.isMap(jobs) ? (jobs as YAMLMap).items : [];
      const topPermissions = value(root, 'permissions');
      if (yaml.isScalar(topPermissions) && (topPermissions as Scalar).value === 'write-all') {
        findings.push(at(noPermissions, topPermissions as Scalar, 'permissions: write-all'));
      } else if (!topPermissions) {
        const bare = jobPairs.find((job) => !pair(job.value, 'permissions'));
        if (bare)
          findings.push(
            at(noPermissions, bare.key as YamlNode, `no top-level permissions, and job ${String((bare.key as Scalar).value)} sets none`),
          );
      }

      const triggers = value(root, 'on');
      const prTarget = JSON.stringify(yaml.isNode(triggers) ? triggers.toJSON() : (triggers ?? '')).includes('pull_request_target');

      for (const job of jobPairs) {
        const reusable = value(job.value, 'uses');
        const steps = value(job.value, 'steps');
        const uses: Scalar[] = [];
        if (yaml.isScalar(reusable)) uses.push(reusable as Scalar);
        for (const step of yaml.isSeq(steps) ? (steps as YAMLSeq).items : []) {
          const action = value(step, 'uses');
          if (yaml.isScalar(action)) {
            uses.push(action as Scalar);
            const ref = value(value(step, 'with'), 'ref');
            if (
              prTarget &&
              /actions\/checkout@/.test(String((action as Scalar).value)) &&
              yaml.isScalar(ref) &&
              PR_HEAD.test(String((ref as Scalar).value))
            ) {
              findings.push(at(pullRequestTarget, ref as Scalar, `ref: ${String((ref as Scalar).value)}`));
            }
          }
          for (const key of ['run', 'script']) {
            const script = key === 'run' ? value(step, 'run') : value(value(step, 'with'), 'script');
            if (!yaml.isScalar(script)) continue;
            const node = script as Scalar;
            const start = node.range?.[0] ?? 0;
            const end = node.range?.[1] ?? text.length;
            const match = UNTRUSTED.exec(text.slice(start, end));
            if (match) findings.push(at(untrustedInput, node, match[0], start + match.index));
          }
        }
        for (const node of uses) {
          const reference = String(node.value);
          if (reference.startsWith('./') || reference.startsWith('docker://')) continue;
          const ref = reference.split('@')[1];
          if (!ref || !SHA.test(ref)) findings.push(at(unpinnedAction, node, `uses: ${reference}`));
        }
      }
    }
    return findings;
  },
};
