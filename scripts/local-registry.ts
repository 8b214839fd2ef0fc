// Serves this repository's packed tarball as create-hardened-api@<version> on 127.0.0.1 (every other
// package from the configured registry) until stopped; prints its URL. Generated projects depend on the
// generator, which the registry reachable here does not have: demo and bench install through this.
import { startLocalRegistry } from '../test/helpers/local-registry.ts';

const registry = await startLocalRegistry();
process.stdout.write(`${registry.url}\n`);
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void registry.close().then(() => process.exit(0)));
