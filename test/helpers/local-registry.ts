import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import { packedTarball } from './packed.ts';

/**
 * An npm registry on 127.0.0.1 that publishes tarballs of create-hardened-api as if they were on the
 * registry (our package is not on the one these machines reach) and passes every other request on to
 * the registry npm is configured with. Generated projects depend on the generator (their lint step runs
 * `create-hardened-api check`), and `upgrade` fetches old versions: with `npm_config_registry` set to
 * this URL they install exactly as a user's would.
 */
export interface LocalRegistry {
  url: string;
  close(): Promise<void>;
}

const NAME = 'create-hardened-api';

interface Published {
  file: string;
  bytes: Buffer;
  manifest: Record<string, unknown>;
}

/** Publishes `tarballs` (default: this repository packed as it is now); the last one is `latest`. */
export async function startLocalRegistry(tarballs?: readonly string[]): Promise<LocalRegistry> {
  const published = new Map<string, Published>();
  for (const file of tarballs ?? [await packedTarball()]) {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    published.set(String(manifest.version), { file: path.basename(file), bytes: readFileSync(file), manifest });
  }
  const upstream = (await execa('npm', ['config', 'get', 'registry'], { stdin: 'ignore' })).stdout.trim().replace(/\/?$/, '/');

  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const versionOf = (p: Published) => ({
      ...p.manifest,
      dist: {
        tarball: `${origin}/${NAME}/-/${p.file}`,
        shasum: createHash('sha1').update(p.bytes).digest('hex'),
        integrity: `sha512-${createHash('sha512').update(p.bytes).digest('base64')}`,
      },
    });
    const latest = [...published.keys()].at(-1) ?? '';
    const single = new RegExp(`^/${NAME}/([^/]+)$`).exec(url)?.[1];
    if (url === `/${NAME}`) {
      const versions = Object.fromEntries([...published].map(([version, p]) => [version, versionOf(p)]));
      return json(response, { name: NAME, 'dist-tags': { latest }, versions });
    }
    if (single !== undefined && single !== '-') {
      const entry = published.get(single === 'latest' ? latest : single);
      if (entry) return json(response, versionOf(entry));
    }
    const tarball = [...published.values()].find((p) => url === `/${NAME}/-/${p.file}`);
    if (tarball) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(tarball.bytes);
      return;
    }
    forward(request, response, new URL(url.replace(/^\//, ''), upstream));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(response: http.ServerResponse, body: unknown): void {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(body));
}

/** The real registry's answer (fetch decompresses, so the encoding headers are dropped). */
function forward(request: http.IncomingMessage, response: http.ServerResponse, target: URL): void {
  const headers: Record<string, string> = {};
  for (const header of ['accept', 'npm-command', 'user-agent']) {
    const value = request.headers[header];
    if (typeof value === 'string') headers[header] = value;
  }
  fetch(target, { headers, redirect: 'follow' })
    .then((answer) => {
      response.statusCode = answer.status;
      const type = answer.headers.get('content-type');
      if (type) response.setHeader('content-type', type);
      if (!answer.body) return response.end();
      Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream).pipe(response);
    })
    .catch((error: Error) => {
      response.statusCode = 502;
      response.end(error.message);
    });
}
