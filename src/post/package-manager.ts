import { UserError } from '../errors.ts';

export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn', 'bun'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

/** The package manager that invoked us (`npm create`, `pnpm create`, ...), else npm. */
export function detectPackageManager(userAgent = process.env.npm_config_user_agent ?? ''): PackageManager {
  const name = userAgent.split('/')[0];
  return PACKAGE_MANAGERS.find((pm) => pm === name) ?? 'npm';
}

export function parsePackageManager(value: string): PackageManager {
  const pm = PACKAGE_MANAGERS.find((p) => p === value);
  if (!pm) throw new UserError(`Unknown package manager "${value}".`, `Use one of: ${PACKAGE_MANAGERS.join(', ')}.`);
  return pm;
}

export function installArgs(pm: PackageManager): string[] {
  return pm === 'npm' ? ['install', '--no-audit', '--no-fund'] : ['install'];
}

export function runScript(pm: PackageManager, script: string): string {
  return pm === 'npm' ? `npm run ${script}` : `${pm} ${script}`;
}
