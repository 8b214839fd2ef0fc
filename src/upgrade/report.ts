import type { FileAction, UpgradePlan } from './plan.ts';

export interface UpgradeReport {
  from: string;
  to: string;
  updated: string[];
  merged: string[];
  conflicted: { path: string; reason: string }[];
  kept: { path: string; reason: string }[];
  created: string[];
  removed: string[];
  dependencies: {
    updated: { name: string; section: string; from: string | undefined; to: string | undefined }[];
    kept: { name: string; yours: unknown; ours: unknown }[];
  };
  actions: string[];
}

const ORDER: readonly FileAction[] = ['conflict', 'merge', 'update', 'create', 'remove', 'keep'];
const LABEL: Record<FileAction, string> = {
  conflict: 'CONFLICT',
  merge: 'MERGE',
  update: 'UPDATE',
  create: 'CREATE',
  remove: 'REMOVE',
  keep: 'KEEP',
};

/** The plan as a report: what happened to each file, which dependencies moved, what the user must do. */
export function upgradeReport(plan: UpgradePlan, from: string, to: string, packageManager = 'npm'): UpgradeReport {
  const paths = (action: FileAction) => plan.files.filter((f) => f.action === action).map((f) => f.path);
  const withReason = (action: FileAction) =>
    plan.files.filter((f) => f.action === action).map((f) => ({ path: f.path, reason: f.reason ?? '' }));
  const dependencyEntries = plan.dependencies.applied.filter((c) => c.section !== 'scripts');
  const conflicted = withReason('conflict');
  const actions: string[] = [];
  if (conflicted.length > 0) {
    actions.push(`Resolve the conflicts (between <<<<<<< and >>>>>>>) in ${conflicted.map((c) => c.path).join(', ')}, then commit.`);
  }
  if (plan.writes.some((w) => w.path === 'package.json')) actions.push(`Run \`${packageManager} install\`: package.json changed.`);
  for (const name of plan.newEnvironment) actions.push(`Set ${name} where the API runs, if the default does not suit (see .env.example).`);
  if (plan.newMigrations.length > 0) {
    actions.push(`Run \`${packageManager} run migrate\` where the API runs: new migrations ${plan.newMigrations.join(', ')}.`);
  }
  return {
    from,
    to,
    updated: paths('update'),
    merged: paths('merge'),
    conflicted,
    kept: withReason('keep'),
    created: paths('create'),
    removed: paths('remove'),
    dependencies: {
      updated: dependencyEntries.map(({ name, section, from: before, to: after }) => ({ name, section, from: before, to: after })),
      kept: plan.dependencies.kept.map(({ key, yours, ours }) => ({ name: key, yours, ours })),
    },
    actions,
  };
}

/** The report for people (and the body of the weekly upgrade pull request): Markdown that reads as plain text. */
export function formatReport(report: UpgradeReport, plan: UpgradePlan, dryRun: boolean): string {
  const lines = [`# create-hardened-api ${report.from} -> ${report.to}${dryRun ? ' (dry run: nothing written)' : ''}`, ''];
  const files = [...plan.files].sort((a, b) => ORDER.indexOf(a.action) - ORDER.indexOf(b.action) || (a.path < b.path ? -1 : 1));
  if (files.length === 0) lines.push('Nothing to change: the project already has everything this version writes.');
  else {
    lines.push('## Files', '');
    for (const file of files) lines.push(`- ${LABEL[file.action]} ${file.path}${file.reason ? ` (${file.reason})` : ''}`);
  }
  const { updated, kept } = report.dependencies;
  if (updated.length + kept.length > 0) {
    lines.push('', '## Dependencies', '');
    for (const d of updated) {
      const change = d.from === undefined ? `added ${d.to}` : d.to === undefined ? `removed (was ${d.from})` : `${d.from} -> ${d.to}`;
      lines.push(`- ${d.section}.${d.name}: ${change}`);
    }
    for (const d of kept) lines.push(`- ${d.name}: yours kept (${show(d.yours)}); ${report.to} has ${show(d.ours)}`);
  }
  if (report.actions.length > 0) {
    lines.push('', '## What you need to do', '');
    for (const action of report.actions) lines.push(`- ${action}`);
  }
  return `${lines.join('\n')}\n`;
}

function show(value: unknown): string {
  return value === undefined ? 'none' : typeof value === 'string' ? value : JSON.stringify(value);
}
