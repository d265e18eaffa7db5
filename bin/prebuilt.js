// A JavaScript build of the TypeScript sources in `.build/`, made on the first run and again
// whenever a source changes: starting from it skips loading and transforming ~300 modules through
// tsx, which costs a one-shot `quarry ask` most of a second. It is never stale: the manifest
// records every input's size and modification time, and any difference means a new build (or,
// when one cannot be made here, running the sources).
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILD_DIR = '.build';
const MANIFEST = 'manifest.json';
const ENTRY = 'src/cli.ts';
/** Read by esbuild besides the bundled sources. */
const SETTINGS = ['tsconfig.json'];
/** This file: a build made by other code than what is here now is made again. */
const BUILDER = fileURLToPath(import.meta.url);
/** An input written this close to the start of a build may have been read before its last write. */
const SETTLE_MS = 2000;
/** Outputs the current build does not use are removed once no build has used them for this
 *  long: a process started from an older build may still import one of its chunks. */
const PRUNE_AFTER_MS = 7 * 24 * 3600 * 1000;

/** @param {string} file @returns {[number, number]} size and modification time */
function stamp(file) {
  const s = statSync(file);
  return [s.size, s.mtimeMs];
}

/**
 * The entry file of the build in `root`, when every input is as it was built.
 * @param {string} root
 * @returns {string | null}
 */
export function currentBuild(root) {
  try {
    const dir = join(root, BUILD_DIR);
    /** @type {{ entry: string, inputs: Record<string, [number, number]> }} */
    const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
    for (const [file, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
      const [nowSize, nowMtime] = stamp(resolve(root, file));
      if (nowSize !== size || nowMtime !== mtimeMs) return null;
    }
    const entry = join(dir, manifest.entry);
    statSync(entry);
    return entry;
  } catch {
    // No build yet, an input removed, or a manifest cut short.
    return null;
  }
}

/** Written whole or not at all: a process reading it meanwhile sees the old file or the new.
 * @param {string} file @param {string | Uint8Array} contents */
function writeWhole(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/**
 * `import.meta.url` in a bundled source would name the bundle; the sources resolve files next to
 * themselves (migrations, package.json, the chart worker), so each use names its source file,
 * relative to the bundle so the checkout can move.
 * @param {string} root
 * @returns {import('esbuild').Plugin}
 */
function sourceUrls(root) {
  const outdir = join(root, BUILD_DIR);
  return {
    name: 'source-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const fromBundle = relative(outdir, args.path).split('\\').join('/');
        return {
          contents: source.replaceAll(
            'import.meta.url',
            `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
          ),
          loader: 'ts',
        };
      });
    },
  };
}

/**
 * Builds `src/cli.ts` into `.build/` and returns the entry file. Outputs are named by content,
 * so processes building at once write the same files; the manifest names the entry last.
 * @param {string} root
 * @returns {Promise<string>}
 */
export async function build(root) {
  const dir = join(root, BUILD_DIR);
  // Fails at once where the checkout or install is read-only.
  mkdirSync(dir, { recursive: true });
  const { build: esbuild } = await import('esbuild');
  const startedAt = Date.now();
  const result = await esbuild({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    bundle: true,
    // Every command stays its own chunk, loaded only when run, as in the sources.
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Packages load from node_modules as they do for the sources.
    packages: 'external',
    outdir: dir,
    entryNames: 'cli-[hash]',
    chunkNames: 'chunk-[hash]',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'silent',
    plugins: [sourceUrls(root)],
  });
  const outputs = new Set();
  for (const file of result.outputFiles) {
    const name = relative(dir, file.path);
    outputs.add(name);
    // An output already there has these contents (its name is their hash): it is only marked
    // as used now, for prune().
    if (existsSync(file.path)) utimesSync(file.path, new Date(), new Date());
    else writeWhole(file.path, file.contents);
  }
  const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint === ENTRY)?.[0];
  if (!entry) throw new Error('esbuild reported no entry output');
  const entryFile = join(root, entry);
  /** @type {Record<string, [number, number]>} */
  const inputs = {};
  let settled = true;
  for (const file of [...Object.keys(result.metafile.inputs), ...SETTINGS]) {
    const s = stamp(resolve(root, file));
    inputs[file] = s;
    if (s[1] > startedAt - SETTLE_MS) settled = false;
  }
  // The builder itself is not held to that: it was loaded before the build began.
  inputs[relative(root, BUILDER)] = stamp(BUILDER);
  // A source saved during the build (or just before: timestamps are coarse) may be newer than
  // what was read: this run uses the build, the next makes another.
  if (settled) {
    writeWhole(join(dir, MANIFEST), JSON.stringify({ entry: relative(dir, entryFile), inputs }));
    prune(dir, outputs);
  }
  return entryFile;
}

/** @param {string} dir @param {Set<string>} keep */
function prune(dir, keep) {
  const old = Date.now() - PRUNE_AFTER_MS;
  for (const name of readdirSync(dir)) {
    if (name === MANIFEST || keep.has(name)) continue;
    const file = join(dir, name);
    try {
      if (statSync(file).mtimeMs < old) rmSync(file, { force: true });
    } catch {
      // Removed by another process pruning at the same time.
    }
  }
}

/**
 * The build to run: the current one, else a new one; null when none can be made (a read-only
 * install, a source that does not compile), and the sources run instead (and name the error).
 * @param {string} root
 * @returns {Promise<string | null>}
 */
export async function builtEntry(root) {
  const current = currentBuild(root);
  if (current) return current;
  try {
    return await build(root);
  } catch {
    return null;
  }
}
