import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import { repoRoot } from './cli.ts';
import { packedTarball } from './packed.ts';

/**
 * An npm registry on 127.0.0.1 that serves this repository's packed tarball as
 * create-hardened-api@<version>, as if it were published, and passes every other request on to the
 * registry npm is configured with. Generated projects depend on the generator (their lint step runs
 * `create-hardened-api check`); with `npm_config_registry` set to this URL they install as a user's do.
 */
export interface LocalRegistry {
  url: string;
  close(): Promise<void>;
}

const NAME = 'create-hardened-api';

export async function startLocalRegistry(): Promise<LocalRegistry> {
  const tarball = await packedTarball();
  const manifest = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8')) as Record<string, unknown> & { version: string };
  const bytes = readFileSync(tarball);
  const integrity = `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
  const shasum = createHash('sha1').update(bytes).digest('hex');
  const upstream = (await execa('npm', ['config', 'get', 'registry'], { stdin: 'ignore' })).stdout.trim().replace(/\/?$/, '/');
  const tarballPath = `/${NAME}/-/${NAME}-${manifest.version}.tgz`;

  const server = http.createServer((request, response) => {
    const url = request.url ?? '/';
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (url === `/${NAME}` || url === `/${NAME}/${manifest.version}` || url === `/${NAME}/latest`) {
      const { name, version, description, license, bin, engines, type, dependencies } = manifest;
      const version1 = {
        name,
        version,
        description,
        license,
        bin,
        engines,
        type,
        dependencies,
        dist: { tarball: `${base}${tarballPath}`, integrity, shasum },
      };
      const body = url === `/${NAME}` ? { name, 'dist-tags': { latest: version }, versions: { [version]: version1 } } : version1;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(body));
      return;
    }
    if (url === tarballPath) {
      response.setHeader('content-type', 'application/octet-stream');
      createReadStream(tarball).pipe(response);
      return;
    }
    // Everything else: the real registry (fetch decompresses, so the encoding headers are dropped).
    const forwarded: Record<string, string> = {};
    for (const header of ['accept', 'npm-command', 'user-agent']) {
      const value = request.headers[header];
      if (typeof value === 'string') forwarded[header] = value;
    }
    fetch(new URL(url.replace(/^\//, ''), upstream), { headers: forwarded, redirect: 'follow' })
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
