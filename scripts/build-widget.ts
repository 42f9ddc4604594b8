import { mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildResult, build } from 'esbuild';

/**
 * Builds the embeddable widget and the demo page assets with esbuild:
 *   web/widget.ts → dist/web/widget.js (+ widget.js.map): one minified ES2020 IIFE, socket.io client included
 *   web/demo.ts   → dist/web/demo.js (+ map)   web/demo.css → dist/web/demo.css
 * and records the sizes in dist/web/build-report.json. The build fails when widget.js is over its gzip budget.
 *
 * Run: `npm run build:widget` (or `npx tsx scripts/build-widget.ts`).
 */

/** 45 kB (decimal: 45,000 bytes, the stricter reading of "45 KB"). */
export const WIDGET_GZIP_BUDGET_BYTES = 45_000;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface WidgetBuildOptions {
  /** @default <repo>/dist/web */
  readonly outDir?: string;
  /** Where web/ lives. @default <repo>/web */
  readonly sourceDir?: string;
}

export interface WidgetBuildReport {
  readonly widgetBytes: number;
  readonly widgetGzipBytes: number;
  readonly widgetGzipBudgetBytes: number;
  readonly demoScriptBytes: number;
  readonly demoStylesBytes: number;
  /** Largest bundled inputs of widget.js, bytes after minification. */
  readonly largestInputs: ReadonlyArray<{ readonly input: string; readonly bytes: number }>;
  readonly builtAt: string;
}

export class WidgetBuildError extends Error {
  readonly code: 'WIDGET_BUILD_FAILED' | 'WIDGET_OVER_BUDGET';

  constructor(code: WidgetBuildError['code'], message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WidgetBuildError';
    this.code = code;
  }
}

export async function buildWidget(options: WidgetBuildOptions = {}): Promise<WidgetBuildReport> {
  const outDir = options.outDir ?? path.join(repoRoot, 'dist', 'web');
  const sourceDir = options.sourceDir ?? path.join(repoRoot, 'web');
  let result: BuildResult<{ metafile: true; write: false }>;
  try {
    result = await build({
      absWorkingDir: repoRoot,
      // Sources outside the repo (a copy of web/ in a test) still resolve packages from the repo's node_modules.
      nodePaths: [path.join(repoRoot, 'node_modules')],
      entryPoints: [path.join(sourceDir, 'widget.ts'), path.join(sourceDir, 'demo.ts'), path.join(sourceDir, 'demo.css')],
      outbase: sourceDir,
      outdir: outDir,
      bundle: true,
      minify: true,
      format: 'iife',
      target: 'es2020',
      platform: 'browser',
      sourcemap: 'linked',
      // Licences of the bundled packages go to widget.js.LEGAL.txt (served beside it), not into every page load.
      legalComments: 'linked',
      metafile: true,
      write: false,
      logLevel: 'silent',
      define: { 'process.env.NODE_ENV': '"production"' },
    });
  } catch (error) {
    throw new WidgetBuildError('WIDGET_BUILD_FAILED', `esbuild could not build the widget: ${(error as Error).message}`, { cause: error });
  }

  const files = new Map<string, Uint8Array>();
  for (const file of result.outputFiles) {
    files.set(path.basename(file.path), file.contents);
  }
  const widget = files.get('widget.js');
  const demoScript = files.get('demo.js');
  const demoStyles = files.get('demo.css');
  if (widget === undefined || demoScript === undefined || demoStyles === undefined) {
    throw new WidgetBuildError('WIDGET_BUILD_FAILED', `esbuild produced an unexpected set of files: ${[...files.keys()].join(', ')}`);
  }
  const widgetGzipBytes = gzipSync(widget, { level: 9 }).byteLength;
  const widgetOutput = Object.entries(result.metafile.outputs).find(([name]) => name.endsWith('widget.js'))?.[1];
  const largestInputs = Object.entries(widgetOutput?.inputs ?? {})
    .map(([input, info]) => ({ input, bytes: info.bytesInOutput }))
    .sort((left, right) => right.bytes - left.bytes)
    .slice(0, 8);
  const report: WidgetBuildReport = {
    widgetBytes: widget.byteLength,
    widgetGzipBytes,
    widgetGzipBudgetBytes: WIDGET_GZIP_BUDGET_BYTES,
    demoScriptBytes: demoScript.byteLength,
    demoStylesBytes: demoStyles.byteLength,
    largestInputs,
    builtAt: new Date().toISOString(),
  };
  if (widgetGzipBytes > WIDGET_GZIP_BUDGET_BYTES) {
    throw new WidgetBuildError(
      'WIDGET_OVER_BUDGET',
      `widget.js is ${formatKb(widgetGzipBytes)} gzipped, over its budget of ${formatKb(WIDGET_GZIP_BUDGET_BYTES)}; largest inputs: ${largestInputs
        .map((entry) => `${entry.input} ${formatKb(entry.bytes)}`)
        .join(', ')}`,
    );
  }

  // Write each file next to its final name and rename it into place: a server (or a parallel test) reading
  // dist/web never sees a half-written widget.js.
  await mkdir(outDir, { recursive: true });
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  const written = [...files.entries(), ['build-report.json', new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`)] as const];
  for (const [name, contents] of written) {
    const target = path.join(outDir, name);
    await writeFile(target + suffix, contents);
    await rename(target + suffix, target);
  }
  return report;
}

async function newestMtime(target: string): Promise<number> {
  const info = await stat(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(target)) newest = Math.max(newest, await newestMtime(path.join(target, entry)));
  return newest;
}

let buildIfStaleOnce: Promise<void> | undefined;

/**
 * Builds the widget when dist/web/widget.js (or its map, demo.js, demo.css) is missing or older than web/, the wire
 * contract in src/shared/ or this build script. Once per process: tests call it before every server they start.
 */
export function buildWidgetIfStale(): Promise<void> {
  buildIfStaleOnce ??= (async () => {
    const outputs = ['widget.js', 'widget.js.map', 'demo.js', 'demo.css'].map((name) => path.join(repoRoot, 'dist', 'web', name));
    const sourceTime = Math.max(
      await newestMtime(path.join(repoRoot, 'web')),
      await newestMtime(path.join(repoRoot, 'scripts', 'build-widget.ts')),
      await newestMtime(path.join(repoRoot, 'src', 'shared')),
    );
    const outputTimes = await Promise.all(
      outputs.map((output) =>
        stat(output).then(
          (info) => info.mtimeMs,
          () => 0,
        ),
      ),
    );
    if (outputTimes.some((time) => time < sourceTime)) await buildWidget();
  })();
  return buildIfStaleOnce;
}

export function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

async function main(): Promise<void> {
  try {
    const report = await buildWidget();
    console.log(
      `widget.js ${formatKb(report.widgetBytes)} minified, ${formatKb(report.widgetGzipBytes)} gzipped ` +
        `(budget ${formatKb(report.widgetGzipBudgetBytes)}); demo.js ${formatKb(report.demoScriptBytes)}, demo.css ${formatKb(report.demoStylesBytes)}`,
    );
    console.log(`largest inputs: ${report.largestInputs.map((entry) => `${entry.input} ${formatKb(entry.bytes)}`).join(', ')}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await main();
