import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { topicOpenings } from '../../src/retrieval/sentence-openings.js';
import { createSentenceRanker } from '../../src/retrieval/sentence-ranking.js';
import { sideOf } from '../../src/retrieval/side-pairs.js';
import { createTextAnalyzer, type TextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { bareChunk, flatIndex, plainQuery } from '../support/ranking-fixtures.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

const chunk = bareChunk;
const query = plainQuery;

describe('a question setting two things against each other ranks the passage that states them side by side', () => {
  let analyzer: TextAnalyzer;
  beforeAll(async () => {
    analyzer = createTextAnalyzer({ glossary: await loadGlossary(path.join(shippedCorpusDir, 'glossary.json')) });
  });

  // Made-up terms: the mechanism reads sentence openings, not the shipped article's wording.
  const introduction = '蒸馏和剪枝是两种不同的压缩方法,它们的侧重点不同。';
  const sideBySide = '- **蒸馏**:用大模型的输出训练一个小模型。\n- **剪枝**:去掉模型里不重要的连接。';
  const figures = '蒸馏:就像是老师把笔记抄给学生。\n剪枝:更像是给树修掉多余的枝条。';
  const sides = [
    ['蒸馏', 'distillation'],
    ['剪枝', 'pruning'],
  ];

  const rank = (passages: readonly string[], withSides: boolean) =>
    createSentenceRanker({ analyzer }).score(
      query('蒸馏', '剪枝'),
      flatIndex,
      passages.map((text) => ({ chunk: chunk(text), fused: 1 })),
      undefined,
      ['蒸馏', '剪枝'],
      [],
      [],
      withSides ? sides : [],
    );

  it('puts "**A**:… **B**:…" above an introduction naming both in one sentence', () => {
    const [intro, pair] = rank([introduction, sideBySide], true) as [number, number];
    expect(pair).toBeGreaterThan(intro);
  });

  it('gives no such credit when the question compares nothing (the introduction holds both words in one sentence)', () => {
    const [intro, pair] = rank([introduction, sideBySide], false) as [number, number];
    expect(intro).toBeGreaterThan(pair);
  });

  it('does not read figures ("A:就像是…", "B:更像是…") as a side-by-side statement', () => {
    const [intro, figure] = rank([introduction, figures], true) as [number, number];
    expect(intro).toBeGreaterThan(figure);
  });

  it('reads the consequence of a conditional as its side ("如果…,使用蒸馏" then "如果…,使用剪枝")', () => {
    const conditions = '- 如果要让小模型学大模型,使用蒸馏\n- 如果要去掉不重要的连接,使用剪枝';
    const [intro, pair] = rank([introduction, conditions], true) as [number, number];
    expect(pair).toBeGreaterThan(intro);
    const [, alone] = rank([introduction, conditions], false) as [number, number];
    expect(alone).toBeLessThan(intro);
  });

  it('takes a figure as its side only for a question on the analogy, whether the original or the rendering likens', () => {
    const sideOpenings = sides.map((forms) =>
      topicOpenings(
        forms,
        () => undefined,
        (topic) => new Set([topic]),
      ),
    );
    const figure = { opening: '蒸馏:就像是老师把笔记抄给学生。', renderingOpening: 'distillation: it is like a teacher copying notes.' };
    expect(sideOf(figure, sideOpenings)).toBe(-1);
    expect(sideOf(figure, sideOpenings, true)).toBe(0);
    const renderedFigure = { opening: '蒸馏:老师把笔记抄给学生。', renderingOpening: 'distillation: it is like a teacher copying notes.' };
    expect(sideOf(renderedFigure, sideOpenings)).toBe(-1);
    expect(sideOf(renderedFigure, sideOpenings, true)).toBe(0);
  });
});
