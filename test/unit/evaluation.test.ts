import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EvaluationCase, loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import { type EvaluationReport, isRelevant, runEvaluation } from '../../src/evaluation/run-evaluation.js';
import { createTestRuntime } from '../support/test-runtime.js';

describe('evaluation on test/eval/cases.json', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  let cases: EvaluationCase[];
  let report: EvaluationReport;
  beforeAll(async () => {
    fixture = await createTestRuntime();
    cases = await loadEvaluationCases(path.join(import.meta.dirname, '..', 'eval', 'cases.json'));
    report = await runEvaluation(fixture.runtime, cases);
  });
  afterAll(() => fixture.dispose());

  it('has at least 40 cases of every kind: Chinese, English, follow-ups, out of scope', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((entry) => entry.id)).size).toBe(cases.length);
    expect(cases.filter((entry) => entry.language === 'zh' && entry.turns.length === 1 && entry.covered).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((entry) => entry.language === 'en' && entry.turns.length === 1 && entry.covered).length).toBeGreaterThanOrEqual(10);
    expect(cases.filter((entry) => entry.turns.length > 1).length).toBeGreaterThanOrEqual(6);
    expect(cases.filter((entry) => !entry.covered).length).toBeGreaterThanOrEqual(8);
  });

  it('makes every passage of the article the answer to at least one case, with expectations that exist', () => {
    const chunks = fixture.runtime.currentIndex().chunks;
    const unanswered = chunks.filter((chunk) => !cases.some((entry) => isRelevant(chunk, entry)));
    expect(unanswered.map((chunk) => chunk.text.slice(0, 30))).toEqual([]);
    for (const entry of cases)
      for (const phrase of entry.expect)
        expect(
          chunks.some((chunk) => chunk.text.includes(phrase)),
          `${entry.id}: ${phrase}`,
        ).toBe(true);
  });

  it('retrieves a relevant passage in the top 3 for at least 90% of covered questions', () => {
    expect(report.hitAt3).toBeGreaterThanOrEqual(0.9);
  });

  it('decides covered / not covered rightly for at least 90% of all questions', () => {
    expect(report.notCoveredAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('mostly cites relevant passages, and never cites in a not-covered answer', () => {
    expect(report.citationPrecision).toBeGreaterThanOrEqual(0.5);
    for (const outcome of report.outcomes) if (!outcome.grounded) expect(outcome.citedChunkIds).toEqual([]);
  });
});
