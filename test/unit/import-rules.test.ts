import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryRoot } from '../support/test-runtime.js';

/**
 * The import rules of docs/ARCHITECTURE.md, checked on the source tree: each rule lists the files that break it, so a
 * newcomer's wrong import fails here with the file and the import named.
 */

interface SourceImport {
  /** Importing file, relative to the repository root. */
  readonly file: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** For relative specifiers: the imported file, relative to the repository root. */
  readonly target?: string;
}

function sourceFiles(folder: string): string[] {
  const absolute = path.join(repositoryRoot, folder);
  return readdirSync(absolute, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name))
    .map((entry) => path.relative(repositoryRoot, path.join(entry.parentPath, entry.name)));
}

function importsOf(file: string): SourceImport[] {
  const text = readFileSync(path.join(repositoryRoot, file), 'utf8');
  const found: SourceImport[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'|import\('([^']+)'\)/gm)) {
    const specifier = (match[1] ?? match[2] ?? match[3]) as string;
    const target = specifier.startsWith('.')
      ? path.relative(repositoryRoot, path.resolve(path.dirname(path.join(repositoryRoot, file)), specifier))
      : undefined;
    found.push({ file, specifier, ...(target === undefined ? {} : { target: target.replace(/\.js$/, '.ts') }) });
  }
  return found;
}

const all = [...sourceFiles('src'), ...sourceFiles('web')].flatMap(importsOf);
const describeImport = (entry: SourceImport): string => `${entry.file} imports ${entry.specifier}`;
const inFolder = (file: string | undefined, folder: string): boolean => file?.startsWith(`${folder}/`) === true;

describe('import rules (docs/ARCHITECTURE.md)', () => {
  it('reads the tree', () => {
    expect(all.length).toBeGreaterThan(200);
  });

  it('only the entry points (main, the CLI, the evaluation) use the composition root src/app/', () => {
    const entryPoints = (file: string): boolean =>
      file === 'src/main.ts' || inFolder(file, 'src/cli') || inFolder(file, 'src/evaluation') || inFolder(file, 'src/app');
    expect(all.filter((entry) => inFolder(entry.target, 'src/app') && !entryPoints(entry.file)).map(describeImport)).toEqual([]);
  });

  it('the wire contract src/shared/ imports nothing of ours or anyone else', () => {
    expect(all.filter((entry) => inFolder(entry.file, 'src/shared')).map(describeImport)).toEqual([]);
  });

  it('the widget (web/) takes from src/ only the wire contract', () => {
    expect(
      all
        .filter((entry) => inFolder(entry.file, 'web') && inFolder(entry.target, 'src') && !inFolder(entry.target, 'src/shared'))
        .map(describeImport),
    ).toEqual([]);
  });

  it('cross-cutting helpers (src/errors/, src/support/) depend on no pipeline stage', () => {
    const base = (file: string | undefined): boolean => inFolder(file, 'src/errors') || inFolder(file, 'src/support');
    expect(all.filter((entry) => base(entry.file) && entry.target !== undefined && !base(entry.target)).map(describeImport)).toEqual([]);
  });

  it('model providers are reached only through src/providers/, the vector library only through src/index/', () => {
    const providerPackage = /^(openai|@langchain\/openai)(\/|$)/;
    const vectorPackage = /^(hnswlib-node|@langchain\/community)(\/|$)/;
    expect(
      all
        .filter(
          (entry) =>
            (providerPackage.test(entry.specifier) && !inFolder(entry.file, 'src/providers')) ||
            (vectorPackage.test(entry.specifier) && !inFolder(entry.file, 'src/index')),
        )
        .map(describeImport),
    ).toEqual([]);
  });

  it('pipeline stages import only stages before them (ingest, index, retrieval, providers, tutor, server)', () => {
    const stages = ['src/ingest', 'src/index', 'src/retrieval', 'src/providers', 'src/tutor', 'src/server'];
    const stageOf = (file: string | undefined): number => stages.findIndex((stage) => inFolder(file, stage));
    expect(all.filter((entry) => stageOf(entry.file) >= 0 && stageOf(entry.target) > stageOf(entry.file)).map(describeImport)).toEqual([]);
  });

  it('import.meta only in src/main.ts and src/support/installed-package.ts (npm start bundles src/ into dist/)', () => {
    // In the bundle a module's own location moves; installed-package.ts only resolves packages, which stays right.
    const allowed = new Set(['src/main.ts', 'src/support/installed-package.ts']);
    const users = sourceFiles('src').filter(
      (file) => !allowed.has(file) && readFileSync(path.join(repositoryRoot, file), 'utf8').includes('import.meta'),
    );
    expect(users).toEqual([]);
  });

  it('only src/config.ts reads process.env', () => {
    const readers = [...sourceFiles('src'), ...sourceFiles('web')].filter(
      (file) => file !== 'src/config.ts' && /process\.env\b/.test(readFileSync(path.join(repositoryRoot, file), 'utf8')),
    );
    expect(readers).toEqual([]);
  });
});
