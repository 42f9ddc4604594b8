import { spawn } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../src/ingest/corpus-loader.js';
import { readMarkdownBlocks } from '../../src/ingest/markdown-blocks.js';
import { createFakeOpenAIServer, type FakeOpenAIServer, scripted } from '../support/fake-openai-server.js';
import { createTemporaryDirectory, repositoryRoot } from '../support/test-runtime.js';

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');
const script = path.join(repositoryRoot, 'src', 'cli', 'translate-command.ts');
/** Each run starts a tsx process (several seconds on a loaded machine). */
const RUNS_TIMEOUT_MS = 120_000;

const ORIGINAL = [
  '---',
  'title: 测试文章',
  'language: zh',
  'source: 测试',
  '---',
  '',
  '## 定义',
  '',
  '微调假设模型已经具有通用的知识。调教的范围更广。',
  '',
  '- 应用:模型不更新权重',
  '',
].join('\n');

function runTranslate(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { OPENAI_API_KEY: _key, OPENAI_BASE_URL: _url, ...inherited } = process.env;
    const child = spawn(tsx, [script, ...args], { cwd: repositoryRoot, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

describe('npm run translate', () => {
  let fake: FakeOpenAIServer;
  let corpus: Awaited<ReturnType<typeof createTemporaryDirectory>>;
  let original: string;
  beforeAll(async () => {
    fake = await createFakeOpenAIServer();
  });
  afterAll(() => fake.close());
  afterEach(() => corpus.remove());

  async function freshCorpus(): Promise<{ CORPUS_DIR: string; DATA_DIR: string }> {
    corpus = await createTemporaryDirectory('tutor-translate-');
    original = path.join(corpus.dir, 'article.md');
    await writeFile(original, ORIGINAL);
    return { CORPUS_DIR: corpus.dir, DATA_DIR: path.join(corpus.dir, '.data') };
  }

  it(
    'drafts a rendering with align markers beside the document, one model call per block, that ingests without warnings',
    async () => {
      const env = await freshCorpus();
      fake.enqueue(
        scripted.text('{"sentences": ["Definition"]}'),
        scripted.text(
          '```json\n{"sentences": ["Fine-tuning assumes that the model already has general knowledge.", "Tuning is broader."]}\n```',
        ),
        scripted.text('{"sentences": ["Application: the model does not update its weights"]}'),
      );
      const before = fake.chatRequests.length;
      const result = await runTranslate([original], { ...env, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(fake.chatRequests.length - before).toBe(3);
      expect(JSON.stringify(fake.chatRequests.at(-2)?.body.messages)).toContain('调教的范围更广。');

      const draftPath = path.join(corpus.dir, 'article.en.md.draft');
      const draft = await readFile(draftPath, 'utf8');
      expect(result.stdout).toContain('article.en.md.draft');
      const ids = readMarkdownBlocks((await loadCorpus(corpus.dir)).documents[0]!.content).map((block) => block.id);
      for (const id of ids) expect(draft).toContain(`<!-- align: ${id} -->`);
      expect(draft).toContain('translation-of: article\n');
      expect(draft).toContain('## Definition');
      expect(draft).toContain('- Application: the model does not update its weights');

      await rename(draftPath, path.join(corpus.dir, 'article.en.md'));
      const loaded = await loadCorpus(corpus.dir);
      expect(loaded.documents.map((document) => document.documentId)).toEqual(['article']);
      expect(loaded.translationWarnings).toEqual([]);
      expect(loaded.translations?.get('article')?.blocks.size).toBe(3);

      // A second draft never touches the reviewed rendering, and refuses to replace a draft without --force.
      fake.enqueue(
        scripted.text('{"sentences": ["Definition"]}'),
        scripted.text('{"sentences": ["One.", "Two."]}'),
        scripted.text('{"sentences": ["Three"]}'),
      );
      const reviewed = await readFile(path.join(corpus.dir, 'article.en.md'), 'utf8');
      expect((await runTranslate([original], { ...env, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url })).code).toBe(0);
      const again = await runTranslate([original], { ...env, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url });
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/exists.*--force/);
      expect(await readFile(path.join(corpus.dir, 'article.en.md'), 'utf8')).toBe(reviewed);
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    'marks a block whose draft does not align sentence by sentence for review',
    async () => {
      const env = await freshCorpus();
      fake.enqueue(
        scripted.text('{"sentences": ["Definition"]}'),
        scripted.text('{"sentences": ["Fine-tuning assumes general knowledge, and tuning is broader."]}'),
        scripted.text('not JSON at all'),
      );
      const result = await runTranslate([original], { ...env, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url });
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/needs review/);
      const draft = await readFile(path.join(corpus.dir, 'article.en.md.draft'), 'utf8');
      expect(draft).toContain('<!-- review: 2 sentence(s) in the original, 1 drafted');
      expect(draft).toContain("<!-- review: the model's reply was not the JSON asked for");
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    'fails with exit 1 and names what to set when no model is configured; --template needs none',
    async () => {
      const env = await freshCorpus();
      const result = await runTranslate([original], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('set OPENAI_API_KEY');
      const template = await runTranslate(['--template', original], env);
      expect(template.code).toBe(0);
      expect(template.stdout).toContain('translation-of: article');
      expect(template.stdout).toMatch(/<!-- align: [0-9a-f]{8} -->\n## 定义/);
    },
    RUNS_TIMEOUT_MS,
  );

  it(
    'fails with exit 1 when the model endpoint fails, writing no draft',
    async () => {
      const env = await freshCorpus();
      fake.enqueue(scripted.httpError(500, 'boom'));
      const result = await runTranslate([original], { ...env, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.url });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('MODEL_FAILED');
      await expect(readFile(path.join(corpus.dir, 'article.en.md.draft'), 'utf8')).rejects.toThrow();
    },
    RUNS_TIMEOUT_MS,
  );
});
