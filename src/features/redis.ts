/**
 * The Redis client of templates/shared/redis, which rate-limit and caching both use: each declares it
 * (a feature declares the dependencies of the shared folders it lists), with this one version.
 */
export const IOREDIS = { ioredis: '5.9.3' } as const;
