import { randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWidget, WIDGET_GZIP_BUDGET_BYTES, WidgetBuildError } from '../../scripts/build-widget.js';
import { repoRoot } from '../support/browser.js';

const scratch = await mkdtemp(path.join(tmpdir(), 'tutor-widget-build-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('buildWidget', () => {
  it('bundles one minified widget.js within the gzip budget, with a source map back to web/', async () => {
    const outDir = path.join(scratch, 'out');
    const report = await buildWidget({ outDir });
    const widget = await readFile(path.join(outDir, 'widget.js'));
    expect(report.widgetGzipBytes).toBe(gzipSync(widget, { level: 9 }).byteLength);
    expect(report.widgetGzipBytes).toBeLessThanOrEqual(WIDGET_GZIP_BUDGET_BYTES);
    // The socket.io client is inside (no second request), and the bundle is an IIFE, not a module.
    expect(widget.toString()).toContain('socket.io');
    expect(widget.toString()).not.toMatch(/^\s*(?:import|export)\s/m);
    expect(widget.toString().trimEnd().endsWith('//# sourceMappingURL=widget.js.map')).toBe(true);
    const map = JSON.parse(await readFile(path.join(outDir, 'widget.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.some((source) => source.endsWith('web/tutor-chat-element.ts'))).toBe(true);
    expect(map.sources.some((source) => source.includes('node_modules/socket.io-client/'))).toBe(true);
    const demo = await readFile(path.join(outDir, 'demo.js'), 'utf8');
    expect(demo).toContain('tutor:citation');
    const css = await readFile(path.join(outDir, 'demo.css'), 'utf8');
    expect(css).toContain('.passage.is-cited');
    const recorded = JSON.parse(await readFile(path.join(outDir, 'build-report.json'), 'utf8')) as { widgetGzipBytes: number };
    expect(recorded.widgetGzipBytes).toBe(report.widgetGzipBytes);
  });

  it('fails, writing nothing, when widget.js would be over the gzip budget', async () => {
    const sourceDir = path.join(scratch, 'web-too-big');
    await mkdir(sourceDir, { recursive: true });
    await cp(path.join(repoRoot, 'web'), sourceDir, { recursive: true });
    // Incompressible data pushes the bundle past 45 KB gzipped.
    await writeFile(
      path.join(sourceDir, 'widget.ts'),
      `import './tutor-chat-element.js';\n(globalThis as any).blob = ${JSON.stringify(randomBytes(48 * 1024).toString('base64'))};\n`,
    );
    const outDir = path.join(scratch, 'out-too-big');
    const failure = await buildWidget({ outDir, sourceDir }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WidgetBuildError);
    expect((failure as WidgetBuildError).code).toBe('WIDGET_OVER_BUDGET');
    expect((failure as WidgetBuildError).message).toMatch(/over its budget of 45\.0 kB/);
    await expect(readFile(path.join(outDir, 'widget.js'))).rejects.toThrow();
  });
});
