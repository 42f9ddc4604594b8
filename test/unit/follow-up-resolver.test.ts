import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { createTextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { createFollowUpResolver, type StandaloneQueryResolver } from '../../src/tutor/follow-up-resolver.js';
import type { ConversationTurn } from '../../src/tutor/tutor-types.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

let resolve: StandaloneQueryResolver;

beforeAll(async () => {
  const analyzer = createTextAnalyzer({ glossary: await loadGlossary(path.join(shippedCorpusDir, 'glossary.json')) });
  resolve = createFollowUpResolver({ analyzer });
});

/** Resolves each question of a conversation against the turns before it, as the answerers do; returns every query. */
function converse(...questions: string[]): string[] {
  const history: ConversationTurn[] = [];
  return questions.map((question) => {
    const searchedFor = resolve(question, history);
    history.push({ question, searchedFor, answer: '', citedChunkIds: [], language: /[\u4e00-\u9fff]/.test(question) ? 'zh' : 'en' });
    return searchedFor;
  });
}

describe('follow-up resolver', () => {
  it('answers a question that names its own topic as asked, pronoun or not', () => {
    const [, second, third] = converse(
      'What is fine-tuning?',
      'How is using a pretrained model different from fine-tuning it?',
      'Why is it called fine-tuning?',
    );
    expect(second).toBe('How is using a pretrained model different from fine-tuning it?');
    expect(third).toBe('Why is it called fine-tuning?');
  });

  it('resolves a Chinese three-turn conversation: a new topic, then an elliptical request', () => {
    expect(converse('微调是什么？', '那调教呢？', '举个例子')).toEqual(['微调是什么？', '调教是什么？', '举个例子（调教）']);
  });

  it('keeps the topic when the follow-up names a context, across three turns', () => {
    const [, second, third] = converse('What is fine-tuning?', 'What about tuning?', 'And in the cooking analogy?');
    expect(second).toBe('What is tuning?');
    expect(third).toBe('And in the cooking analogy? (tuning)');
  });

  it('puts the topic in place of a pronoun', () => {
    const [, second, third] = converse('What does tuning mean in this article?', 'Can you give me an example of it?', 'Why?');
    expect(second).toBe('Can you give me an example of tuning?');
    expect(third).toBe('Why? (tuning)');
    expect(converse('微调是什么？', '它和预训练模型有什么区别？')[1]).toBe('微调和预训练模型有什么区别？');
  });

  it('treats a Chinese context phrase as context, not a new topic', () => {
    // The third turn keeps both: the topic and the context the second turn put it in.
    expect(converse('调教是什么？', '在烹饪的例子里呢？', '为什么？')).toEqual([
      '调教是什么？',
      '在烹饪的例子里呢？（调教）',
      '为什么？（调教、烹饪）',
    ]);
  });

  it('leaves a new question with words of its own alone', () => {
    expect(converse('What is fine-tuning?', 'What will the weather be like in Paris tomorrow?')[1]).toBe(
      'What will the weather be like in Paris tomorrow?',
    );
    expect(converse('微调是什么？', '模型应用和微调有哪些共性？')[1]).toBe('模型应用和微调有哪些共性？');
  });
});

describe('follow-up pronouns after a question on two topics', () => {
  it('reads a singular pronoun as the topic the previous question was about first, across three turns', () => {
    expect(converse('模型应用和微调有哪些共性？', '那它需要很多显卡吗？')[1]).toBe('那模型应用需要很多显卡吗？');
    expect(converse('模型应用是什么？', '它和微调有什么区别？', '那它需要很多显卡吗？')).toEqual([
      '模型应用是什么？',
      '模型应用和微调有什么区别？',
      '那模型应用需要很多显卡吗？',
    ]);
    expect(converse('What is model application?', 'How is it different from fine-tuning?', 'Does it need many GPUs?')[2]).toBe(
      'Does model application need many GPUs?',
    );
  });

  it('reads a plural pronoun or a choice as both topics', () => {
    expect(converse('微调和调教有什么区别？', '它们需要很多显卡吗？')[1]).toBe('它们需要很多显卡吗？（微调、调教）');
    expect(converse('微调和调教有什么区别？', '哪个范围更大？')[1]).toBe('哪个范围更大？（微调、调教）');
  });

  it('leaves "那…呢" alone when its own words are none of the article’s and nothing points back', () => {
    expect(converse('微调是什么？', '那明天上海的天气呢？')[1]).toBe('那明天上海的天气呢？');
  });
});
