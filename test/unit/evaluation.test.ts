import path from 'node:path';
import { pinyin } from 'pinyin-pro';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusSentences, createCorpusSentences } from '../../src/evaluation/corpus-sentences.js';
import { CASE_CATEGORIES, type EvaluationCase, evidencePhrases, loadEvaluationCases } from '../../src/evaluation/evaluation-cases.js';
import type { FigureName } from '../../src/evaluation/evaluation-metrics.js';
import { FIGURE_LABELS, formatFiguresTable, formatTargetGaps } from '../../src/evaluation/report-table.js';
import { type EvaluationReport, runEvaluation } from '../../src/evaluation/run-evaluation.js';
import { unknownPhrases } from '../../src/evaluation/score-case.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * The floors the offline tutor must keep on test/eval/cases.json (overall figures). Each is what main reached when it
 * was set (all mechanisms merged, 2026-12-01: hit@1 0.667, hit@3 0.903, MRR 0.793, sentence-level citation precision
 * 0.526, not-covered accuracy 0.935, answer recall 0.676, both sides 0.565, out-of-scope recall 0.680), never above; the lead raises them toward ISSUE_TARGETS (src/evaluation/evaluation-targets.ts) as the
 * mechanisms land. Answer plans by evidence (h/answers, 2026-12-02: citation precision 0.870, answer recall 0.884, both
 * sides 0.913) raised those three; evidence chosen per side and the coverage stop rule (h/plans, 2026-12-02: citation
 * precision 0.914, answer recall 0.933, both sides 1.000 on 184 cases) raised them again, with a margin. Then 19 cases
 * the engineers had written but left out because the tutor missed them went in (2026-12-02, 233 cases: hit@1 0.877,
 * MRR 0.919, citation precision 0.890, answer recall 0.909): a case set is not chosen by what passes, so the floors
 * came down to those figures. Retrieval by the shared-ground heading, intensified definitions and scale bridges
 * (h/ranking-misses, 2026-12-02: hit@1 0.897, hit@3 0.979, MRR 0.936) raised the ranking floors again; the plan's anchor
 * on the question's most specific term and the analogy's mapping sentence (h/plan-misses, 2026-12-02: citation
 * precision 0.892, answer recall 0.926) raised those two. Pinyin correction that leaves ordinary words alone, glossary
 * terms kept whole and 'only' as a function word (h/understanding, 2026-12-02) raised hit@1 to 0.923 on those 233 cases
 * and brought 19 everyday-word cases of its own, five of them missed (252 cases: hit@1 0.913, hit@3 0.986, MRR 0.947,
 * citation precision 0.882, the 233 cases' own 0.892 unchanged): the ranking floors went up, citation precision's came
 * down to the new set's figure. Then 30 cases at the article's edges (h/oos: amounts, other senses of its terms, the
 * analogy's dishes) and 24 everyday contrast, sameness and explain-again cases (h/sides-b), each with its mechanism,
 * and 5 English questions naming Chinese terms (311 cases, 2026-12-02: hit@1 0.902, hit@3 0.984, MRR 0.939, citation
 * precision 0.875, not-covered accuracy 0.981, answer recall 0.919, both sides 0.953, out-of-scope recall 0.923). Then
 * 113 cases from six engineers (2026-12-03: b4-, c4-, d4-, e4-, f4-, g4-), written before the tutor was run on them and
 * kept whatever it answered (425 cases: hit@1 0.876, hit@3 0.976, MRR 0.925, citation precision 0.866, not-covered
 * accuracy 0.986, answer recall 0.901, both sides 0.968, out-of-scope recall 0.965), then 16 more out-of-scope ones
 * and their neighbours (f5-; 441 cases: hit@1 0.879, hit@3 0.980, MRR 0.927, citation precision 0.863, not-covered
 * accuracy 0.991, answer recall 0.907, both sides 0.968, out-of-scope recall 0.989). Then 62 contrast and aspect
 * cases in other learners' forms (h-, h2-, h3-: "哪个成本更低", "Is X cheaper than Y?", "pros and cons", two clauses
 * asking the same of each side), 19 English everyday-word cases (e-), 20 definition, which-term, why/how, purpose and
 * risk cases (p7-), 18 Chinese everyday-word cases (z-: 16 paraphrases, 2 out-of-scope guards) and 59 coverage cases (o5-: 43 out-of-scope questions sharing the article's words, 16 in-scope
 * neighbours), each set written from the corpus before the tutor was run on it and kept whatever it answered (619
 * cases: hit@1 0.876, hit@3 0.960, MRR 0.919, citation precision 0.865, not-covered accuracy 0.981, answer recall
 * 0.917, both sides 0.944, out-of-scope recall 0.958). Then 16 everyday-word cases (q6-: 11 paraphrases, 5
 * out-of-scope guards), written from the corpus before the tutor was run on them and kept (635 cases, with the Chinese
 * aspect words that came with them: hit@1 0.870, hit@3 0.961, MRR 0.916, citation precision 0.856, not-covered accuracy
 * 0.983, answer recall 0.912, both sides 0.944, out-of-scope recall 0.960; on the 619 cases citation precision fell
 * 0.865 → 0.863, the rest did not drop), so citation precision's floor came down to 0.85. Then the respect a comparison
 * is asked in credits the section its heading names (main), definition and comparative questions read in more forms
 * and a sentence opening with an anaphor carries the topic before it (h/defs, with 8 q6- definition and yes/no cases
 * of its own): 643 cases, 2026-12-04: hit@1 0.903, hit@3 0.974, MRR 0.938, citation precision 0.855, not-covered
 * accuracy 0.983, answer recall 0.910, both sides 0.944, out-of-scope recall 0.960, every issue target met; the
 * ranking floors went up to the targets. Then 51 coverage cases (q7-: 34 out-of-scope questions sharing the article's
 * words, 17 in-scope neighbours in everyday words), written from the corpus before the tutor was run on them and kept
 * whatever it answered (694 cases; 21 of the 34 refused before any change). After its mechanism (compound terms and
 * the terms a corpus word only modifies, the article's gist, words anchoring a question in the article; h/oos,
 * 2026-12-04: hit@1 0.896, not-covered accuracy 0.977, out-of-scope recall 0.940, the 643 cases' own figures not
 * lower) out-of-scope recall came down to that set's figure; hit@1 came back above its target with the merges of the same
 * day (0.909 on 775 cases). With them 44 everyday-word cases (q7-para-, 11 of them out-of-scope guards) and their
 * mechanisms (h/para: English words reached through the Chinese words meaning them, headed quality poles and the
 * shared section in yes/no and ranking, analogy mappings a sentence or two on, everyday risk words). FLOORS follow the
 * merged set, and with the contrast (q8-ct-, 52) and definition (q8-def-, 40) cases and their mechanisms, 911 cases
 * on 2026-12-04 (hit@1 0.891, hit@3 0.974, MRR 0.931, citation precision 0.866, not-covered accuracy 0.978, answer
 * recall 0.930, both sides 0.966, out-of-scope recall 0.943: every issue target met but hit@1; docs/BENCHMARKS.md). A floor of
 * null would mean "not measurable on main yet" and is not asserted.
 */
const FLOORS: Readonly<Partial<Record<FigureName, number | null>>> = {
  // Stop 27's side pairs (src/retrieval/side-pairs.ts) put hit@1 at 0.898 and hit@3 at 0.972 on 936 cases.
  hitAt1: 0.89,
  hitAt3: 0.97,
  meanReciprocalRank: 0.93,
  // 0.85 (the issue's target): the 62 harder cases of stop 28's helpers (wr-, ed-, ee-: which-term choices, enumeration
  // follow-ups and everyday English they still cite loosely) put it at 0.859 on 1,058 cases; the 996 before them 0.874.
  citationPrecision: 0.85,
  notCoveredAccuracy: 0.975,
  answerRecall: 0.925,
  bothSides: 0.96,
  // 0.935: the ee- cases (2026-12-05) add an out-of-scope guard the tutor still answers ("Is a ready-made meal good
  // enough for dinner guests?": the glossary's bare "ready-made", which Chinese 现成 needs through CC-CEDICT, reads the
  // meal as model application), 195/208 = 0.9375; the case stays, as a case is not chosen by what passes.
  outOfScopeRecall: 0.935,
  typoCorrected: 1,
  englishProse: 1,
  englishProseRendered: 1,
};

const QUESTION_KINDS = ['definition', 'contrast', 'aspect', 'example', 'analogy', 'why-how', 'risk', 'which-term', 'yes-no'] as const;
const NOISE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\uff01-\uff5e]|<\/?[a-z][^>]*>|&[a-z]+;|&#\d+;/i;

describe('evaluation on test/eval/cases.json', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  let cases: EvaluationCase[];
  let sentences: CorpusSentences;
  let report: EvaluationReport;
  beforeAll(async () => {
    fixture = await createTestRuntime();
    cases = await loadEvaluationCases(path.join(import.meta.dirname, '..', 'eval', 'cases.json'));
    sentences = createCorpusSentences(fixture.runtime.currentIndex().chunks);
    report = await runEvaluation(fixture.runtime, cases);
  });
  afterAll(() => fixture.dispose());

  it('has at least 120 cases: every category, every question kind in both languages', () => {
    expect(cases.length).toBeGreaterThanOrEqual(120);
    for (const category of CASE_CATEGORIES)
      expect(cases.filter((entry) => entry.category === category).length, category).toBeGreaterThanOrEqual(5);
    for (const kind of QUESTION_KINDS)
      for (const language of ['zh', 'en'] as const)
        expect(
          cases.some((entry) => entry.category === kind && entry.language === language),
          `${kind} in ${language}`,
        ).toBe(true);
    expect(cases.filter((entry) => !entry.covered).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter((entry) => entry.sides !== undefined).length).toBeGreaterThanOrEqual(15);
  });

  it('names every expected sentence by a phrase that lies inside one sentence of the corpus', () => {
    const unknown = cases.flatMap((entry) => unknownPhrases(entry, sentences).map((phrase) => `${entry.id}: ${phrase}`));
    expect(unknown).toEqual([]);
  });

  it('makes every paragraph and list item of the corpus the expected answer of some case', () => {
    const phrases = cases.flatMap((entry) => evidencePhrases(entry));
    const unanswered = fixture.runtime
      .currentIndex()
      .documents.filter((document) => !/\.[a-z]{2}\.md$/.test(document.relativePath))
      .flatMap((document) => readBlocks(document.content).map((block) => ({ document: document.documentId, block })))
      .filter(({ block }) => !phrases.some((phrase) => block.includes(phrase)))
      .map(({ document, block }) => `${document}: ${block.slice(0, 40)}`);
    expect(unanswered).toEqual([]);
  });

  it('types each pinyin typo as a homophone: a word the corpus lacks, with the toneless pinyin of a corpus term', () => {
    const corpusText = fixture.runtime
      .currentIndex()
      .chunks.map((chunk) => chunk.text)
      .join('\n');
    for (const entry of cases.filter((item) => item.typo)) {
      const { from, to } = entry.typo as { from: string; to: string };
      expect(corpusText.includes(from), `${entry.id}: ${from} is not in the corpus`).toBe(false);
      expect(corpusText.includes(to), `${entry.id}: ${to} is in the corpus`).toBe(true);
      expect(sharesTonelessPinyin(from, to), `${entry.id}: ${from} sounds like ${to}`).toBe(true);
    }
  });

  it('puts noise in every noisy case and a pronoun in every self-contained second question', () => {
    for (const entry of cases.filter((item) => item.category === 'noisy')) expect(NOISE.test(entry.turns.join('')), entry.id).toBe(true);
    for (const entry of cases.filter((item) => item.category === 'self-contained'))
      expect(/\bit\b|它/i.test(entry.turns[entry.turns.length - 1] as string), entry.id).toBe(true);
  });

  it('never cites in a not-covered answer, and cites only passages of the index', () => {
    for (const record of report.records) {
      const answer = record.final.answer;
      expect(answer, `${record.id}: ${record.final.error}`).toBeDefined();
      if (!answer?.grounded) expect(answer?.citations, record.id).toEqual([]);
      for (const citation of answer?.citations ?? []) expect(sentences.getChunk(citation.chunkId), record.id).toBeDefined();
    }
  });

  it.each(Object.entries(FLOORS).filter((entry): entry is [FigureName, number] => entry[1] !== null))(
    'keeps %s at or above its floor %s',
    (name, floor) => {
      const value = report.overall[name];
      const context = `${FIGURE_LABELS[name]} fell below its floor ${floor}\n\n${formatFiguresTable(report)}\n\ntargets:\n${formatTargetGaps(report.overall)}`;
      expect(value, context).not.toBeNull();
      expect(value as number, context).toBeGreaterThanOrEqual(floor);
    },
  );
});

/** Paragraphs and list items of a Markdown body (headings skipped), as the corpus README's rule counts them. */
function readBlocks(content: string): string[] {
  const blocks: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push(paragraph.join('\n'));
    paragraph = [];
  };
  for (const line of content.split('\n')) {
    if (/^#{1,6}\s/.test(line) || line.trim() === '') {
      flush();
      continue;
    }
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      paragraph.push(item[1] as string);
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return blocks;
}

function sharesTonelessPinyin(typed: string, term: string): boolean {
  if ([...typed].length !== [...term].length) return false;
  const readings = (word: string): string[][] =>
    [...word].map((character) => pinyin(character, { toneType: 'none', multiple: true, type: 'array' }));
  const termReadings = readings(term);
  return readings(typed).every((options, index) => options.some((reading) => termReadings[index]?.includes(reading)));
}
