import { matrixSuite } from './suite.ts';

matrixSuite(1, 2);
