import { spawn } from 'node:child_process';

/**
 * Starts scripts/local-registry.ts in its own process (the bench's installs run synchronously, so it
 * cannot answer from this one) and points npm at it; returns a function that stops it.
 */
export async function useLocalRegistry() {
  const child = spawn(process.execPath, ['scripts/local-registry.ts'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`local registry exited (${code})`)));
  });
  process.env.npm_config_registry = url;
  return () => {
    delete process.env.npm_config_registry;
    child.kill('SIGTERM');
  };
}
