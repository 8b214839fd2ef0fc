// Regenerates the feature table in README.md from the registry: `node scripts/readme-features.ts`.
import { readFileSync, writeFileSync } from 'node:fs';
import { featureTable, replaceFeatureTable } from '../test/helpers/readme.ts';

const readme = readFileSync('README.md', 'utf8');
writeFileSync('README.md', replaceFeatureTable(readme, featureTable()));
