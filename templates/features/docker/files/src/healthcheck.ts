// The container's HEALTHCHECK: exits 0 when this container's API answers /health/live, 1 otherwise.
// The runtime image has no curl; this needs nothing but Node.js and the PORT the API listens on.
const port = process.env.PORT || '3000';

try {
  const response = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(3000) });
  process.exitCode = response.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
