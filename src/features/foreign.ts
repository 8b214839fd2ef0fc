/**
 * What every project we did not generate gets with its first feature: our folder's core (the hub
 * plugin, the settings schema, the runtime contract of templates/shared/contract) and the packages
 * that code imports.
 */
export const foreignSupport = {
  id: 'create-hardened-api',
  dependencies: { 'fastify-plugin': '6.0.1', typebox: '1.4.3' },
  fastify4: { dependencies: { 'fastify-plugin': '4.5.1' } },
  shared: ['contract'],
} as const;
