import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCommandLine } from '../../src/cli/command-line.js';
import { isTutorError } from '../../src/errors/tutor-error.js';
import { loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import { createTemporaryDirectory } from '../support/test-runtime.js';

const SPEC = {
  usage: 'usage: npm run eval -- [--file <cases.json>] [--cases]',
  options: { file: { type: 'string' }, cases: { type: 'boolean' } },
} as const;

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isTutorError(error, 'INVALID_REQUEST')) return error.message;
    throw error;
  }
  throw new Error('expected the command line to be refused');
}

describe('command-line arguments', () => {
  it('reads flags and options, and leaves absent ones false or undefined', () => {
    expect(readCommandLine(SPEC, { args: ['--file', 'x.json'] }).options).toEqual({ file: 'x.json', cases: false });
    expect(readCommandLine(SPEC, { args: ['--cases'] }).options).toEqual({ file: undefined, cases: true });
  });

  it('refuses a misspelt option or an option without its value, naming it and giving the usage', () => {
    expect(refusal(() => readCommandLine(SPEC, { args: ['--fiel', 'x.json'] }))).toMatch(/'--fiel'[\s\S]*usage: npm run eval/);
    expect(refusal(() => readCommandLine(SPEC, { args: ['--file'] }))).toMatch(/--file <value>' argument missing/);
    expect(refusal(() => readCommandLine(SPEC, { args: ['stray'] }))).toMatch(/'stray'/);
  });

  it('prints the usage for --help and -h instead of running', () => {
    for (const flag of ['--help', '-h']) {
      let written = '';
      const exited = () => {
        throw new Error('exited');
      };
      expect(() => readCommandLine(SPEC, { args: [flag], write: (text) => (written += text), exit: exited })).toThrow('exited');
      expect(written).toBe(`${SPEC.usage}\n`);
    }
  });

  it('takes a question that starts with a dash after --', () => {
    const line = readCommandLine({ usage: 'u', options: {}, positionals: true }, { args: ['--', '-什么是微调？'] });
    expect(line.positionals).toEqual(['-什么是微调？']);
  });
});

describe('evaluation case files', () => {
  it('names the file and the faulty field of a malformed case file', async () => {
    const folder = await createTemporaryDirectory('tutor-cases-');
    try {
      const notWrapped = path.join(folder.dir, 'array.json');
      await writeFile(notWrapped, '[{"id": "a"}]');
      await expect(loadEvaluationCases(notWrapped)).rejects.toThrow(/array\.json is not a valid case file[\s\S]*expected object/);
      const badTurns = path.join(folder.dir, 'turns.json');
      await writeFile(badTurns, JSON.stringify({ cases: [{ id: 'a', language: 'zh', category: 'definition', turns: 'x' }] }));
      await expect(loadEvaluationCases(badTurns)).rejects.toThrow(/cases\[0\]\.turns|cases\.0\.turns/);
      const notJson = path.join(folder.dir, 'torn.json');
      await writeFile(notJson, '{"cases": [');
      await expect(loadEvaluationCases(notJson)).rejects.toThrow(/torn\.json is not a readable JSON file/);
    } finally {
      await folder.remove();
    }
  });
});
