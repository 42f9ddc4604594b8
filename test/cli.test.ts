import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTemporaryDirectory, repositoryRoot } from './support/test-runtime.js';

const tsx = path.join(repositoryRoot, 'node_modules', '.bin', 'tsx');

function runCommand(script: string, args: string[], options: { env: Record<string, string>; stdin?: string }): Promise<{ code: number; stdout: string; stderr: string }> {
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

  it('fails with a message naming the variable when the configuration is wrong', async () => {
    const result = await runCommand('ask-command.ts', ['hi'], { env: { DATA_DIR: data.dir, COVERAGE_THRESHOLD: 'high' } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CONFIG_INVALID.*\n\s+COVERAGE_THRESHOLD: .*\(got "high"\)/);
  });
});
