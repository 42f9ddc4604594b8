/**
 * `npm run translate -- <file>` drafts an English rendering of a corpus document with the configured chat model
 * (OPENAI_API_KEY), align markers in place, written beside it as `<name>.en.md.draft` for a maintainer to review and
 * rename to `<name>.en.md` (see corpus/README.md). It never writes a reviewed rendering, and never runs at request time.
 * `npm run translate -- --template <file>` prints the same skeleton with the original's text and block ids, no model.
 */
import { access, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { TutorError } from '../errors/tutor-error.js';
import type { CorpusDocument } from '../ingest/chunk-types.js';
import { readCorpusFile } from '../ingest/corpus-loader.js';
import { isRendering } from '../ingest/corpus-translations.js';
import { createRenderingDrafter } from '../ingest/rendering-drafter.js';
import { renderingMarkdown } from '../ingest/rendering-template.js';
import { createChatModelFromConfig } from '../providers/provider-registry.js';
import { loadCliConfig, runCli } from './cli-support.js';
import { readCommandLine } from './command-line.js';

const USAGE = `usage: npm run translate -- [--template] [--force] <corpus document, e.g. corpus/finetune-vs-tuning.md>
  --template   print the rendering skeleton (block ids and original text) without a model
  --force      replace an existing draft`;

/** Per block call: a block is at most a few hundred characters, so a minute and 1024 tokens are ample. */
const DRAFT_USE = { timeoutMs: 60_000, maxCompletionTokens: 1024 } as const;

runCli(async () => {
  const { options, positionals: files } = readCommandLine({
    usage: USAGE,
    options: { template: { type: 'boolean' }, force: { type: 'boolean' } },
    positionals: true,
  });
  const { template, force } = options;
  if (files.length !== 1) throw new TutorError('INVALID_REQUEST', `Name one corpus document to render; ${USAGE}`);
  const config = loadCliConfig();
  const file = path.resolve(files[0] as string);
  const document = await readOriginal(file, config.corpusDir);

  if (template) {
    process.stdout.write(renderingMarkdown(document, { translator: '' }));
    return;
  }
  const chatModel = await createChatModelFromConfig(config, DRAFT_USE);
  if (!chatModel) {
    throw new TutorError(
      'CONFIG_INVALID',
      'Drafting a rendering needs a chat model: set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server, ' +
        'OPENAI_MODEL for another model). Without one, `npm run translate -- --template <file>` prints the block ids to translate by hand.',
    );
  }
  const draftPath = `${file.replace(/\.[^./]+$/, '')}.en.md.draft`;
  if (!force && (await exists(draftPath))) {
    throw new TutorError('INVALID_REQUEST', `${relative(draftPath)} exists (a draft under review?); pass --force to replace it`);
  }
  const drafter = createRenderingDrafter({ chatModel });
  const drafted = await drafter.draft(document, (done, total) => {
    if (process.stderr.isTTY) process.stderr.write(`\r drafting block ${done}/${total}`);
  });
  if (process.stderr.isTTY) process.stderr.write('\n');
  await writeFile(draftPath, renderingMarkdown(document, { renderedBlocks: drafted.blocks, translator: 'unreviewed draft' }));
  process.stdout.write(
    `Drafted ${drafted.blocks.size} blocks of ${document.documentId} -> ${relative(draftPath)}\n` +
      (drafted.needsReview.length > 0 ? `  needs review (see <!-- review --> notes): ${drafted.needsReview.join(', ')}\n` : '') +
      `Review it, set translator, rename it to ${path.basename(draftPath, '.draft')}, then run \`npm run ingest\`.\n`,
  );
});

/** The corpus document at `file` (under the corpus folder, since `translation-of` names its id there); not a rendering. */
async function readOriginal(file: string, corpusDir: string): Promise<CorpusDocument> {
  const relativePath = path.relative(corpusDir, file).split(path.sep).join('/');
  if (relativePath.startsWith('..') || path.isAbsolute(relativePath)) {
    throw new TutorError('INVALID_REQUEST', `${file} is not in the corpus folder ${corpusDir} (CORPUS_DIR)`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new TutorError('CORPUS_UNREADABLE', `Cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  let read: ReturnType<typeof readCorpusFile>;
  try {
    read = readCorpusFile(relativePath, bytes);
  } catch (error) {
    throw new TutorError('CORPUS_UNREADABLE', `${relativePath} ${(error as Error).message}`, { cause: error });
  }
  if (isRendering(read))
    throw new TutorError('INVALID_REQUEST', `${relativePath} is itself a rendering (translation-of); name its original`);
  return read.document;
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
