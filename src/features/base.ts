import type { BaseDefinition } from './types.ts';

export const base: BaseDefinition = {
  id: 'base',
  title: 'Hardened Fastify skeleton',
  patchTargets: ['package.json', '.env.example', 'README.md', 'src/app.ts', 'src/config.ts'],
  shared: ['contract'],
};
