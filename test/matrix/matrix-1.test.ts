import { matrixSuite } from './suite.ts';

matrixSuite(0, 2);
