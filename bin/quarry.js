#!/usr/bin/env node
// Runs a JavaScript build of the TypeScript sources, made here on the first run and whenever a
// source changes (bin/prebuilt.js); where none can be made, the sources through tsx. No build
// step either way, from a checkout or a global install.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { builtEntry } from './prebuilt.js';

const entry = await builtEntry(fileURLToPath(new URL('..', import.meta.url)));
if (entry) {
  // Stack traces name source lines; the maps are read only when asked for.
  if (process.env.QUARRY_DEBUG) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
