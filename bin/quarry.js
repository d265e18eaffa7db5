#!/usr/bin/env node
// Runs the TypeScript sources directly (no build step), from a checkout or a global install.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
