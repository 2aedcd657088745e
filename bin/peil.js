#!/usr/bin/env node
// Runs the compiled CLI when it is built (npm start builds it); in a fresh checkout, runs the
// TypeScript sources through tsx so that `npx peil ...` works without a build step.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');
let mod;
if (existsSync(built) && !process.env.PEIL_FROM_SOURCE) {
  mod = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  mod = await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
}
await mod.run(process.argv.slice(2));
