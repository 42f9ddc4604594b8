import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import { type GlossaryTerm, loadGlossary } from '../../src/ingest/glossary.js';
import { createTextAnalyzer, type TextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import type { PlanContext } from '../../src/tutor/offline/plan-types.js';
import { labelsOf } from '../../src/tutor/offline/sentence-evidence.js';
import { splitClaim } from '../../src/tutor/offline/yes-no-claim.js';
import { polarityOf } from '../../src/tutor/offline/yes-no-plan.js';
import { readClaim } from '../../src/tutor/offline/yes-no-reading.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

/**
 * The split of a yes/no question into subject, predicate and compared object, and how a sentence bears on the
 * predicate: stated, negated, opposed (较长 against 更短), both ways (部分或全部), or not at all.
 */
describe('yes/no claims: subject, predicate, object and the verdict of one sentence', () => {
  let analyzer: TextAnalyzer;
  let glossary: readonly GlossaryTerm[];
  /** The shipped article and note, the corpus whose words a claim may rest on. */
  let corpusText = '';
  beforeAll(async () => {
    glossary = (await loadGlossary(path.join(shippedCorpusDir, 'glossary.json'))).terms;
    const files = ['finetune-vs-tuning.md', 'model-application-vs-finetuning.md'];
    corpusText = (await Promise.all(files.map((file) => readFile(path.join(shippedCorpusDir, file), 'utf8')))).join('\n');
    analyzer = createTextAnalyzer({ glossary: { terms: glossary, fingerprint: 'test' } });
  });

  /** A context over a few sentences, each its own passage; the subject is the first topic named. */
  function contextFor(question: string, subject: string, sentences: readonly string[]): PlanContext {
    const queryTerms = [...new Set(analyzer.tokenizeQuery(question))];
    const pool = sentences.map((text, index) => {
      const chunk = { chunkId: `c${index}`, documentId: 'd', text, start: 0, end: text.length, headingPath: [] } as unknown as ChunkRecord;
      const tokens = new Set(analyzer.tokenize(text));
      const terms = new Set(queryTerms.filter((term) => tokens.has(term) || text.toLowerCase().includes(term)));
      return { chunk, indexes: [0], start: 0, end: text.length, text, score: 0, match: 0, terms };
    });
    const topics = [glossary.find((term) => term.zh === subject) as GlossaryTerm];
    return {
      kind: 'yesno',
      query: question,
      topics,
      vehicles: [],
      termLabels: new Set(glossary.flatMap((term) => labelsOf(term.zh))),
      termOf: (label) => glossary.find((term) => term.zh === label || labelsOf(term.zh).includes(label)),
      glossary,
      queryTerms,
      pool,
      retrievedIds: new Set(pool.map((sentence) => sentence.chunk.chunkId)),
      order: new Map(pool.map((sentence, index) => [sentence.chunk.chunkId, index])),
      corpusUses: (text) => corpusText.includes(text),
      settings: { maxSentences: 4, maxQuotedChars: 420, redundancyThreshold: 0.5, minCoverageGain: 0.15 },
      bigrams: (text) => new Set(analyzer.characterBigrams(text)),
    };
  }
  const verdictOf = (question: string, subject: string, sentence: string, others: readonly string[] = []) => {
    const context = contextFor(question, subject, [sentence, ...others]);
    return readClaim(splitClaim(context, question), [sentence], glossary, polarityOf).verdict;
  };

  it('reads each claim word of one sentence on its own: the word negated is no, the word stated is yes', () => {
    const text = '微调会更新参数,应用不更新权重。';
    expect(polarityOf(text, '参数')).toBe('yes');
    expect(polarityOf(text, '权重')).toBe('no');
    expect(polarityOf(text, '梯度')).toBeUndefined();
    const english = 'Application does not update the weights; fine-tuning may overfit.';
    expect(polarityOf(english, 'weight')).toBe('no');
    expect(polarityOf(english, 'overfit')).toBe('maybe');
    expect(polarityOf(english, 'fine-tun')).toBe('yes');
  });

  it('keeps the topic out of the predicate: 从零开始 is the claim about 微调, 微调 is not', () => {
    const context = contextFor('微调的时候模型要从零开始学吗？', '微调', ['微调通常指的是在预训练模型的基础上,针对特定任务进行小的调整。']);
    const claim = splitClaim(context, '微调的时候模型要从零开始学吗？');
    expect(claim.subject?.zh).toBe('微调');
    expect(claim.poles.map((pole) => pole.word)).toEqual(['从零开始']);
    expect(claim.words.map((word) => word.word)).not.toContain('微调');
    expect(claim.objectNames).toEqual([]);
  });

  it('takes what a comparative question compares with out of the predicate', () => {
    const english = 'Does fine-tuning take less time than training from scratch?';
    const claim = splitClaim(contextFor(english, '微调', ['微调:时间较长,因为涉及到训练。']), english);
    expect(claim.poles.map((pole) => pole.word)).toEqual(['less time']);
    expect(claim.objectNames).toContain('from scratch');
    const chinese = '微调比模型应用更省时间吗？';
    const other = splitClaim(contextFor(chinese, '微调', ['微调:时间较长,因为涉及到训练。']), chinese);
    expect(other.objectNames).toContain('模型应用');
    expect(other.poles.map((pole) => `${pole.scale}${pole.pole}`)).toEqual(['duration-1']);
  });

  it('gives no verdict when a sentence shares the topic but not the predicate', () => {
    expect(verdictOf('微调的时候模型要从零开始学吗？', '微调', '微调假设模型具有通用的知识。')).toBeUndefined();
    expect(verdictOf('Does fine-tuning need labelled data?', '微调', 'Fine-tuning needs new input data.')).toBeUndefined();
  });

  it('gives no verdict on a predicate the article never states, even when the sentence shares other words', () => {
    // 忘掉 is in no passage of the article: 模型 and 原来 alone do not carry the claim.
    const forget = '微调会不会让模型忘掉原来学的东西？';
    expect(splitClaim(contextFor(forget, '微调', ['微调会改变模型的行为。']), forget).unused).toBe(true);
    expect(verdictOf(forget, '微调', '微调会改变模型的行为。')).toBeUndefined();
    // jieba cuts 会过|拟合, but the article says 过拟合: 会过 is a cutting artefact, not an unstated claim.
    expect(verdictOf('微调会过拟合吗？', '微调', '微调效果通常更好,但也可能过拟合。')).toBe('maybe');
  });

  it('reads the direction of a comparative: opposite → no, the same → yes, both ways → maybe', () => {
    expect(verdictOf('微调需要的时间更短吗？', '微调', '微调:时间较长,因为涉及到训练。')).toBe('no');
    expect(verdictOf('微调需要的时间更长吗？', '微调', '微调:时间较长,因为涉及到训练。')).toBe('yes');
    expect(verdictOf('Is fine-tuning faster?', '微调', 'Fine-tuning: takes longer, because training is involved.')).toBe('no');
    expect(verdictOf('微调会调整模型的全部参数吗？', '微调', '微调是对模型的部分或全部参数进行重新训练。')).toBe('maybe');
  });

  it('reads an opposite as a contradiction (基础上 against 从零开始, 小的调整 against 大范围的调整)', () => {
    expect(verdictOf('微调要从零开始吗？', '微调', '微调通常指的是在预训练模型的基础上,针对特定任务进行小的调整。')).toBe('no');
    expect(verdictOf('微调是大范围的调整吗？', '微调', '微调通常指的是在预训练模型的基础上,针对特定任务进行小的调整。')).toBe('no');
    expect(verdictOf('微调是小范围的调整吗？', '微调', '这个过程就是微调——在已有的基础上,针对特定需求进行小范围的调整。')).toBe('yes');
  });

  it('needs the pole about the same noun: a large corpus says nothing on how much data fine-tuning needs', () => {
    expect(
      verdictOf(
        'Does fine-tuning need a lot of data?',
        '微调',
        'For example, a language model pre-trained on a large-scale corpus may need fine-tuning to adapt to a specific task.',
        ['It depends on the strategy and the amount of data.'],
      ),
    ).toBeUndefined();
  });
});
