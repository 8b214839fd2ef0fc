import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface Registry {
  url: string;
  close(): Promise<void>;
}

/**
 * An npm registry on 127.0.0.1 that publishes the given tarballs of create-hardened-api (our package is
 * not on the registry these machines reach) and sends every other request to the real registry. The
 * CLI under test installs old versions through it exactly as it would from npmjs.org.
 */
export async function startRegistry(tarballs: readonly string[], upstream = 'https://registry.npmjs.org/'): Promise<Registry> {
  const published = new Map<string, { file: string; bytes: Buffer; manifest: Record<string, unknown> }>();
  for (const file of tarballs) {
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    published.set(String(manifest.version), { file: path.basename(file), bytes: readFileSync(file), manifest });
  }
  const server = createServer((request, response) => {
    const url = request.url ?? '/';
    const address = server.address() as AddressInfo;
    const origin = `http://127.0.0.1:${address.port}`;
    if (url === '/create-hardened-api') {
      const versions = Object.fromEntries(
        [...published].map(([version, { file, bytes, manifest }]) => [
          version,
          {
            ...manifest,
            dist: {
              tarball: `${origin}/create-hardened-api/-/${file}`,
              shasum: createHash('sha1').update(bytes).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
            },
          },
        ]),
      );
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ name: 'create-hardened-api', 'dist-tags': { latest: Object.keys(versions).at(-1) }, versions }));
      return;
    }
    const tarball = [...published.values()].find((p) => url === `/create-hardened-api/-/${p.file}`);
    if (tarball) {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.end(tarball.bytes);
      return;
    }
    response.writeHead(302, { location: new URL(url.slice(1), upstream).href });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
