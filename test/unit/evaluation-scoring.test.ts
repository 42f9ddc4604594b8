import { describe, expect, it } from 'vitest';
import { findHeldSentence, measureProseLanguage } from '../../src/evaluation/answer-checks.js';
import { answerCase } from '../../src/evaluation/case-runner.js';
import { createCorpusSentences } from '../../src/evaluation/corpus-sentences.js';
import type { EvaluationCase } from '../../src/evaluation/evaluation-cases.js';
import { computeFigures } from '../../src/evaluation/evaluation-metrics.js';
import { type PassageRanker, scoreCase } from '../../src/evaluation/score-case.js';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import type { Citation, TutorAnswer, TutorAnswerer, TutorQuestion } from '../../src/tutor/tutor-types.js';

const text = '微调假设模型已经具有通用的知识。这个过程涉及调整模型的参数。\n调教这个词通常更广义。';
const chunk: ChunkRecord = {
  chunkId: 'c1',
  documentId: 'doc',
  title: 'T',
  source: '',
  language: 'zh',
  headingPath: [],
  ordinal: 0,
  start: 100,
  end: 100 + text.length,
  text,
  translation: {
    language: 'en',
    text: 'Fine-tuning assumes the model already has general knowledge. The process adjusts the parameters of the model. Tuning is broader.',
    sentences: [
      'Fine-tuning assumes the model already has general knowledge.',
      'The process adjusts the parameters of the model.',
      'Tuning is broader.',
    ],
  },
};
const sentences = createCorpusSentences([chunk]);
const citation = (spans?: { start: number; end: number }[]): Citation => ({
  marker: 1,
  chunkId: 'c1',
  title: 'T',
  source: '',
  text,
  start: chunk.start,
  end: chunk.end,
  ...(spans ? { spans } : {}),
});
const answer = (body: string, citations: Citation[], grounded = true): TutorAnswer => ({
  answer: body,
  citations,
  followUps: [],
  grounded,
  searchedFor: 'q',
  mode: 'offline',
  language: 'en',
});
const rankFirst: PassageRanker = async () => ({ ranked: [{ chunk }], confidence: 1 });
const baseCase: EvaluationCase = {
  id: 'case',
  language: 'en',
  category: 'definition',
  turns: ['What does fine-tuning assume?'],
  covered: true,
  expect: [],
  must: ['微调假设模型已经具有通用的知识'],
};

describe('corpus sentences', () => {
  it('splits passages like the chunker, with document offsets and the aligned rendering of each sentence', () => {
    const found = sentences.find('调教这个词');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ key: 'c1#2', text: '调教这个词通常更广义。', rendering: 'Tuning is broader.' });
    expect(text.slice((found[0]?.start ?? 0) - chunk.start, (found[0]?.end ?? 0) - chunk.start)).toBe('调教这个词通常更广义。');
  });
});

describe('findHeldSentence', () => {
  const documentOf = (): string => 'doc';
  const held = (body: string, citations: Citation[] = []) =>
    findHeldSentence(body, citations, '微调假设模型已经具有通用的知识', sentences.find('微调假设模型已经具有通用的知识'), documentOf);

  it('finds the original phrase, full-width or with markers and bold in between', () => {
    expect(held('文章说：**微调假设模型已经具有通用的知识**，[1]')).toBe('original');
  });
  it('finds the English rendering of the sentence, without its final stop', () => {
    expect(held('In short, fine-tuning assumes the model already has general knowledge [1], so...')).toBe('rendering');
  });
  it('accepts a citation span over the sentence when the answer is in its own words', () => {
    expect(held('The model knows a lot already [1].', [citation([{ start: 100, end: 116 }])])).toBe('span');
    expect(held('The model knows a lot already [1].', [citation([{ start: 116, end: 130 }])])).toBeUndefined();
  });
});

describe('measureProseLanguage', () => {
  const originals = [text];
  it('leaves quotes of the original out: an English frame around a Chinese quote is English prose', () => {
    expect(
      measureProseLanguage('The article says:\n> 微调假设模型已经具有通用的知识。[1]\nKey term: 微调 = fine-tuning', originals).english,
    ).toBe(true);
  });
  it('counts Chinese written by the answer itself', () => {
    expect(measureProseLanguage('关于微调，文章这样解释：它需要调整。Fine-tuning', originals).english).toBe(false);
  });
});

describe('scoreCase', () => {
  const record = async (reply: TutorAnswer) => answerCase({ answer: async () => reply }, baseCase);

  it('measures citation precision on sentence spans, and on the passage when a citation has none', async () => {
    const spans = await scoreCase(
      baseCase,
      await record(
        answer('x [1]', [
          citation([
            { start: 100, end: 116 },
            { start: 116, end: 130 },
          ]),
        ]),
      ),
      sentences,
      rankFirst,
    );
    expect([spans.preciseUnits, spans.citationUnits, spans.spanLevel]).toEqual([1, 2, true]);
    const passage = await scoreCase(baseCase, await record(answer('x [1]', [citation()])), sentences, rankFirst);
    expect([passage.preciseUnits, passage.citationUnits, passage.spanLevel]).toEqual([1, 1, false]);
  });

  it('holds nothing for a refusal, and a contrast needs a sentence of every side', async () => {
    const refused = await scoreCase(baseCase, await record(answer('Not covered.', [], false)), sentences, rankFirst);
    expect(refused.requirements[0]?.heldBy).toBeUndefined();
    const contrast: EvaluationCase = { ...baseCase, category: 'contrast', sides: [['微调假设模型'], ['调教这个词']] };
    const oneSide = await scoreCase(
      contrast,
      await answerCase({ answer: async () => answer('Fine-tuning assumes the model already has general knowledge.', []) }, contrast),
      sentences,
      rankFirst,
    );
    expect(oneSide.sides?.map((side) => side.heldBy)).toEqual(['rendering', undefined]);
    const figures = computeFigures([oneSide]);
    expect([figures.bothSides, figures.answerRecall, figures.englishProse, figures.englishProseRendered]).toEqual([0, 1, 1, 1]);
  });
});

describe('typo corrections', () => {
  it('counts a pinyin-typo case as corrected only when the answer names that very correction', async () => {
    const typoCase: EvaluationCase = { ...baseCase, category: 'pinyin-typo', turns: ['微掉是什么？'], typo: { from: '微掉', to: '微调' } };
    const score = (corrections: { from: string; to: string }[]) =>
      answerCase({ answer: async () => ({ ...answer('x', []), corrections }) }, typoCase).then((record) =>
        scoreCase(typoCase, record, sentences, rankFirst),
      );
    expect((await score([{ from: '微掉', to: '微调' }])).typoCorrected).toBe(true);
    expect((await score([{ from: '微掉', to: '调教' }])).typoCorrected).toBe(false);
    expect(computeFigures([await score([])]).typoCorrected).toBe(0);
  });
});

describe('answerCase (the seam any answerer plugs into)', () => {
  it('passes prepared questions with the history of earlier turns, and records a throwing turn without stopping', async () => {
    const seen: TutorQuestion[] = [];
    const answerer: TutorAnswerer = {
      async answer(input) {
        seen.push(input);
        if (seen.length === 2) throw new Error('model down');
        return answer(`answer ${seen.length}`, []);
      },
    };
    const threeTurns: EvaluationCase = { ...baseCase, category: 'follow-up-3', turns: ['  one ', 'two', 'three'] };
    const result = await answerCase(answerer, threeTurns, { prepareQuestion: (typed) => typed.trim() });
    expect(seen.map((input) => [input.question, input.history?.map((turn) => turn.question)])).toEqual([
      ['one', []],
      ['two', ['  one ']],
      ['three', ['  one ']],
    ]);
    expect(result.turns[1]?.error).toBe('model down');
    expect(result.final.answer?.answer).toBe('answer 3');
    expect(result.final.answerMs).toBeGreaterThanOrEqual(0);
  });

  it('tells when each turn starts, and times the first streamed word after the last reset', async () => {
    const started: number[] = [];
    const answerer: TutorAnswerer = {
      async answer(input) {
        input.onDelta?.('  ');
        input.onDelta?.('taken back');
        input.onReset?.();
        await new Promise((resolve) => setTimeout(resolve, 20));
        input.onDelta?.('kept');
        return answer('kept', []);
      },
    };
    const twoTurns: EvaluationCase = { ...baseCase, category: 'follow-up-2', turns: ['one', 'two'] };
    const result = await answerCase(answerer, twoTurns, { onTurnStart: (_entry, turn) => started.push(turn) });
    expect(started).toEqual([0, 1]);
    expect(result.final.firstWordMs).toBeGreaterThanOrEqual(15);
    expect(result.final.firstWordMs).toBeLessThanOrEqual(result.final.answerMs);
  });
});
