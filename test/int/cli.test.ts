import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDirectory, repositoryRoot } from '../support/test-runtime.js';

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');

function runCommand(
  script: string,
  args: string[],
  options: { env: Record<string, string>; stdin?: string },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [path.join(repositoryRoot, 'src', 'cli', script), ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

describe('command line', () => {
  let data: Awaited<ReturnType<typeof createTemporaryDirectory>>;
  beforeAll(async () => {
    data = await createTemporaryDirectory('tutor-cli-');
  });
  afterAll(() => data.remove());

  it('ingests the corpus and prints a summary line', async () => {
    const result = await runCommand('ingest-command.ts', [], { env: { DATA_DIR: data.dir } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Indexed 2 documents, \d+ chunks in \d+\.\d\d s \(embedder local-hash-v1/);
  });

  it('answers one question with markers and a numbered source list', async () => {
    const result = await runCommand('ask-command.ts', ['微调和调教有什么区别？'], { env: { DATA_DIR: data.dir } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\[1\]/);
    expect(result.stdout).toMatch(/来源：\n {2}\[1\] 《理解大模型的微调和调教的区别》/);
    expect(result.stdout).toContain('离线模式：引自文章原文');
  });

  it('keeps the conversation in the interactive prompt so follow-ups work', async () => {
    const result = await runCommand('ask-command.ts', [], { env: { DATA_DIR: data.dir }, stdin: '微调是什么？\n那调教呢？\n/exit\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('检索: 调教是什么？');
    expect(result.stdout).toContain('调教这个词通常更广义');
  });

  it('prints its usage for --help and refuses an unknown option instead of answering it as a question', async () => {
    const help = await runCommand('ask-command.ts', ['--help'], { env: { DATA_DIR: data.dir } });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run ask/);
    expect(help.stdout).not.toContain('The article does not cover');
    const typo = await runCommand('eval-command.ts', ['--fiel', 'x.json'], { env: { DATA_DIR: data.dir } });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/INVALID_REQUEST.*'--fiel'[\s\S]*usage: npm run eval/);
    // An empty question is refused, not taken for a request to open the interactive prompt.
    const empty = await runCommand('ask-command.ts', ['  '], { env: { DATA_DIR: data.dir } });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/INVALID_REQUEST.*The question is empty/);
  });

  it('fails with a message naming the variable when the configuration is wrong', async () => {
    const result = await runCommand('ask-command.ts', ['hi'], { env: { DATA_DIR: data.dir, COVERAGE_THRESHOLD: 'high' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CONFIG_INVALID.*\n\s+COVERAGE_THRESHOLD: .*\(got "high"\)/);
  });

  it('summarises stored feedback per passage, the most disliked first, with reasons', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { loadCorpus } = await import('../../src/ingest/corpus-loader.js');
    const { chunkDocument } = await import('../../src/ingest/passage-chunker.js');
    const corpus = await loadCorpus(path.join(repositoryRoot, 'corpus'));
    const [first, second] = chunkDocument(corpus.documents[0]!);
    // Each entry a vote on a different answer (one vote per answer counts: a repeated vote replaces the earlier one).
    let answers = 0;
    const entry = (rating: string, chunkId: string | undefined, reason?: string) =>
      JSON.stringify({
        feedbackId: Math.random().toString(36),
        conversationId: 'c',
        messageId: `m${(answers += 1)}`,
        rating,
        mode: 'offline',
        createdAt: new Date().toISOString(),
        ...(chunkId ? { chunkId } : {}),
        ...(reason ? { reason } : {}),
      });
    await mkdir(path.join(data.dir, 'feedback'), { recursive: true });
    await writeFile(
      path.join(data.dir, 'feedback', 'feedback.jsonl'),
      [
        entry('up', first!.chunkId),
        entry('down', second!.chunkId, '太长了'),
        entry('down', second!.chunkId, '太长了'),
        entry('up', undefined),
        '{"torn',
      ].join('\n'),
    );
    const result = await runCommand('feedback-report-command.ts', [], { env: { DATA_DIR: data.dir } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('4 entries (2 up, 2 down)');
    const lines = result.stdout.split('\n');
    const secondAt = lines.findIndex((line) => line.includes(`+0 -2  ${second!.chunkId}`));
    const firstAt = lines.findIndex((line) => line.includes(`+1 -0  ${first!.chunkId}`));
    expect(secondAt).toBeGreaterThan(0);
    expect(firstAt).toBeGreaterThan(secondAt);
    expect(lines[secondAt + 1]).toContain('2× 太长了');
    expect(result.stdout).toContain('(answers as a whole)');
  });
});
