import { enableCompileCache } from 'node:module';

// Keep compiled JavaScript between starts (in the OS temp directory): restarts become ready sooner.
// Enabled before anything else is imported, so that it covers every module.
enableCompileCache();
await import('./start.ts');
