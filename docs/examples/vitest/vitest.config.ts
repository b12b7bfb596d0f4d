import { defineConfig } from 'vitest/config';

// The engine starts real processes: one file at a time is plenty, and its own timeouts come first.
export default defineConfig({ test: { include: ['*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } });
