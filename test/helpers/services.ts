import { readdirSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function ensure(name: string, port: number, start: () => Promise<unknown>): Promise<void> {
  if (await answers(port)) return;
  await start();
  for (let i = 0; i < 50; i++) {
    if (await answers(port)) return;
    await sleep(200);
  }
  throw new Error(`${name} is not answering on 127.0.0.1:${port} and could not be started`);
}

/** PostgreSQL on 127.0.0.1:5432; started with the machine's cluster when it is down (never skipped). */
export function ensurePostgres(): Promise<void> {
  return ensure('PostgreSQL', 5432, async () => {
    const version = readdirSync('/etc/postgresql')[0];
    await execa('pg_ctlcluster', ['--skip-systemctl-redirect', String(version), 'main', 'start'], { reject: false });
  });
}

/** Redis on 127.0.0.1:6379; started when it is down (never skipped). */
export function ensureRedis(): Promise<void> {
  return ensure('Redis', 6379, () =>
    execa('redis-server', ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', '6379', '--save', '', '--appendonly', 'no'], {
      reject: false,
    }),
  );
}
