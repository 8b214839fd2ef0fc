import { defineFeature } from './define.ts';

export const ci = defineFeature({
  id: 'ci',
  title: 'GitHub Actions CI',
  description:
    'CI on Node 22 and 24 against both databases, npm audit, Dependabot and CodeQL, a weekly pull request with the latest template fixes (upgrade); least-privilege permissions and SHA-pinned actions',
  unsupportedForeign: 'not yet adapted to projects we did not generate.',
  presets: ['standard', 'full'],
});
