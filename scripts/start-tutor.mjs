/**
 * `npm start` (`node scripts/start-tutor.mjs`): starts the tutor server quickly.
 *
 * 1. Builds the widget (dist/web) only when it is missing or older than what it is built from.
 * 2. Bundles the server (src/main.ts and the src modules it imports; packages stay external) into dist/server.mjs with
 *    esbuild, only when a file under src/ (or the lock file) is newer than the bundle, and runs it with plain Node and
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
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const at = (...parts) => path.join(root, ...parts);

const WIDGET_OUTPUTS = ['widget.js', 'demo.js', 'demo.css'].map((name) => at('dist', 'web', name));
const WIDGET_INPUTS = { folders: [at('web'), at('src', 'shared')], files: [at('scripts', 'build-widget.ts'), at('package-lock.json')] };
const SERVER_ENTRY = at('src', 'main.ts');
const SERVER_BUNDLE = at('dist', 'server.mjs');
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
  const temporary = `${SERVER_BUNDLE}.${process.pid}.tmp.mjs`;
  const result = await build({
    entryPoints: [SERVER_ENTRY],
    outfile: temporary,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const usesImportMeta = [];
  for (const input of Object.keys(result.metafile.inputs)) {
    const file = path.resolve(root, input);
    const text = (await readFile(file, 'utf8')).replaceAll(BUNDLE_SAFE_IMPORT_META, '');
    if (file !== SERVER_ENTRY && text.includes('import.meta')) usesImportMeta.push(input);
  }
  if (usesImportMeta.length > 0) {
    await rm(temporary, { force: true });
    await rm(`${temporary}.map`, { force: true });
    process.stderr.write(
      `Running through tsx instead of a bundle: import.meta is used in ${usesImportMeta.join(', ')}, and a bundle would change it\n`,
    );
    runBundle = false;
  } else {
    // Renamed into place (the map first), so a start running at the same moment never loads half a bundle.
    const mapText = (await readFile(`${temporary}.map`, 'utf8')).replace(path.basename(temporary), path.basename(SERVER_BUNDLE));
    await writeFile(`${SERVER_BUNDLE}.map`, mapText);
    await rm(`${temporary}.map`, { force: true });
    const bundleText = (await readFile(temporary, 'utf8')).replace(
      `sourceMappingURL=${path.basename(temporary)}.map`,
      `sourceMappingURL=${path.basename(SERVER_BUNDLE)}.map`,
    );
    await writeFile(temporary, bundleText);
    await rename(temporary, SERVER_BUNDLE);
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
