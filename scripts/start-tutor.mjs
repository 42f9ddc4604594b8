/**
 * `npm start` (`node scripts/start-tutor.mjs`): starts the tutor server quickly.
 *
 * 1. Builds the widget (dist/web) only when it is missing or older than what it is built from.
 * 2. Bundles the server (src/main.ts and the src modules it imports; packages stay external) into dist/server.mjs and
 *    the chunks it imports lazily (dist/server-chunks/) with esbuild, only when a file under src/ (or the lock file) is newer than the bundle, and runs it with plain Node and
 *    source maps. The same code as `tsx src/main.ts`, compiled ahead of time: running through tsx's loader hooks
 *    costs every one of the hundreds of modules the server loads a round trip to the hooks thread, which was most of the
 *    cold-start time (see docs/BENCHMARKS.md, "Cold start").
 *
 * Plain JavaScript on purpose: it must run before anything TypeScript is compiled. The bundle sits directly under
 * dist/, so `import.meta.url` in src/main.ts still resolves the repository root as `..` of its folder, and
 * `createRequire(import.meta.url)` (src/support/installed-package.ts) still finds the repository's node_modules. If
 * another src module uses `import.meta` otherwise (its own location would change in a bundle), this falls back to tsx
 * and says which module.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);

const WIDGET_OUTPUTS = ['widget.js', 'demo.js', 'demo.css'].map((name) => at('dist', 'web', name));
const WIDGET_INPUTS = { folders: [at('web'), at('src', 'shared')], files: [at('scripts', 'build-widget.ts'), at('package-lock.json')] };
const SERVER_ENTRY = at('src', 'main.ts');
const SERVER_BUNDLE = at('dist', 'server.mjs');
/** Folder (under dist/) of the bundle's chunks: the modules src/ imports lazily, see below. */
const SERVER_CHUNKS = 'server-chunks';
/** The one use of import.meta that means the same in the bundle: resolving installed packages from inside the repository. */
const BUNDLE_SAFE_IMPORT_META = 'createRequire(import.meta.url)';
const SERVER_INPUTS = { folders: [at('src')], files: [at('package-lock.json'), at('package.json'), fileURLToPath(import.meta.url)] };

/** Why `outputs` must be rebuilt from `inputs`, or undefined when every output is newer than every input. */
async function staleReason(outputs, inputs) {
  let oldestOutput = Number.POSITIVE_INFINITY;
  for (const output of outputs) {
    const info = await stat(output).catch(() => undefined);
    if (!info) return `${path.relative(root, output)} does not exist`;
    oldestOutput = Math.min(oldestOutput, info.mtimeMs);
  }
  const files = [...inputs.files];
  for (const folder of inputs.folders) {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) if (entry.isFile()) files.push(path.join(entry.parentPath, entry.name));
  }
  for (const file of files) {
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs > oldestOutput)
      return `${path.relative(root, file)} changed since ${path.relative(root, outputs[0])} was built`;
  }
  return undefined;
}

const widgetStale = await staleReason(WIDGET_OUTPUTS, WIDGET_INPUTS);
if (widgetStale !== undefined) {
  process.stdout.write(`Building the widget: ${widgetStale}\n`);
  const build = spawnSync(process.execPath, ['--import', 'tsx', at('scripts', 'build-widget.ts')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

let runBundle = true;
const serverStale = await staleReason([SERVER_BUNDLE], SERVER_INPUTS);
if (serverStale !== undefined) {
  process.stdout.write(`Bundling the server: ${serverStale}\n`);
  const { build } = await import('esbuild');
  // Code splitting: what src/ imports with `import()` (the LLM wiring, the Redis stores) becomes a chunk of its own
  // under dist/server-chunks/, with its own package imports, so an offline start neither parses it nor loads
  // LangChain, the OpenAI clients or ioredis. Without splitting esbuild would inline it and hoist those imports.
  const result = await build({
    entryPoints: { server: SERVER_ENTRY },
    outdir: path.dirname(SERVER_BUNDLE),
    entryNames: '[name]',
    chunkNames: `${SERVER_CHUNKS}/[name]-[hash]`,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const usesImportMeta = [];
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(root, input);
    const text = (await readFile(file, 'utf8')).replaceAll(BUNDLE_SAFE_IMPORT_META, '');
    if (file !== SERVER_ENTRY && text.includes('import.meta')) usesImportMeta.push(input);
  }
  if (usesImportMeta.length > 0) {
    process.stderr.write(
      `Running through tsx instead of a bundle: import.meta is used in ${usesImportMeta.join(', ')}, and a bundle would change it\n`,
    );
    runBundle = false;
  } else {
    // Every file is renamed into place, the chunks (content-hashed names) and maps first and dist/server.mjs last, so a
    // start running at the same moment never loads half a bundle.
    const files = [...result.outputFiles].sort((a, b) => Number(a.path === SERVER_BUNDLE) - Number(b.path === SERVER_BUNDLE));
    await mkdir(at('dist', SERVER_CHUNKS), { recursive: true });
    for (const file of files) {
      const temporary = `${file.path}.${process.pid}.tmp`;
      await writeFile(temporary, file.contents);
      await rename(temporary, file.path);
    }
    // Chunks of earlier bundles: a running server has imported all of its chunks before it listens (createApp awaits
    // every `import()`), so only a start in its first second could still want one.
    const current = new Set(files.map((file) => file.path));
    for (const name of await readdir(at('dist', SERVER_CHUNKS))) {
      const file = at('dist', SERVER_CHUNKS, name);
      if (!current.has(file)) await rm(file, { force: true });
    }
  }
}

process.setSourceMapsEnabled(true);
if (runBundle) {
  await import(pathToFileURL(SERVER_BUNDLE).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(SERVER_ENTRY).href);
}
