import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toTurn } from '../../src/evaluation/run-evaluation.js';
import { markersInText } from '../../src/tutor/citation-builder.js';
import { detectQuestionIntent } from '../../src/tutor/question-intent.js';
import type { TutorAnswer, TutorQuestion } from '../../src/tutor/tutor-types.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * What a learner notices in the offline answers on the shipped corpus, one plan per kind of question: both sides of a
 * contrast and the article's summary, the example first, the verdict of a yes/no question first, one marker per passage
 * with the exact sentence spans cited.
 */
describe('offline answer plans on the shipped corpus', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  let contentOf: (documentId: string) => string;
  beforeAll(async () => {
    fixture = await createTestRuntime();
    const documents = fixture.runtime.currentIndex().documents;
    contentOf = (documentId) => documents.find((document) => document.documentId === documentId)!.content;
  });
  afterAll(() => fixture.dispose());

  const ask = (question: string, extra: Partial<TutorQuestion> = {}): Promise<TutorAnswer> =>
    fixture.runtime.offlineAnswerer.answer({ question, ...extra });
  /** The answer without its first line (the frame): what the article says, in the order told. */
  const body = (answer: TutorAnswer): string => answer.answer.slice(answer.answer.indexOf('\n\n') + 2);
  const flat = (text: string): string => text.replace(/\*\*/g, '').replace(/\s+/g, '');

  /** Markers unique per passage and the spans of every citation inside its passage, naming sentences the answer tells. */
  function expectExactCitations(answer: TutorAnswer, options: { rendered?: boolean } = {}): void {
    expect(markersInText(answer.answer).sort()).toEqual(answer.citations.map((citation) => citation.marker).sort());
    // No marker twice in a paragraph: consecutive sentences of a passage share one marker.
    for (const paragraph of answer.answer.split('\n\n')) {
      const markers = [...paragraph.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
      expect(new Set(markers).size).toBe(markers.length);
    }
    for (const citation of answer.citations) {
      const chunk = fixture.runtime.passageSearch.getChunk(citation.chunkId)!;
      expect(citation.spans!.length).toBeGreaterThan(0);
      for (const span of citation.spans!) {
        expect(span.start).toBeGreaterThanOrEqual(citation.start);
        expect(span.end).toBeLessThanOrEqual(citation.end);
        const sentence = contentOf(chunk.documentId).slice(span.start, span.end);
        if (!options.rendered) expect(flat(answer.answer)).toContain(flat(sentence.replace(/^\s*(?:[-*]|\d+\.)\s+/, '')));
      }
    }
  }

  it('detects the kind of question', () => {
    expect(detectQuestionIntent('微调和调教有什么区别？')).toBe('difference');
    expect(detectQuestionIntent('模型应用和微调在时间和资源上有什么不同？')).toBe('aspect');
    expect(detectQuestionIntent('Can you give me an example?')).toBe('example');
    expect(detectQuestionIntent('用比喻解释一下微调')).toBe('analogy');
    expect(detectQuestionIntent('模型应用需要更新权重吗？')).toBe('yesno');
    expect(detectQuestionIntent('Does fine-tuning change the model?')).toBe('yesno');
    expect(detectQuestionIntent('微调有什么风险？')).toBe('risk');
    expect(detectQuestionIntent('Which term is more accurate?')).toBe('which');
    expect(detectQuestionIntent('总结一下微调和调教')).toBe('summary');
    expect(detectQuestionIntent('为什么说微调这个词更准确？')).toBe('reason');
    expect(detectQuestionIntent('What is tuning?')).toBe('definition');
    // A wh-word in a clause of its own leaves a yes/no question one; addressed to the tutor, it asks for content.
    expect(detectQuestionIntent('Does fine-tuning make the model forget what it learned?')).toBe('yesno');
    expect(detectQuestionIntent('Can you tell me what fine-tuning is?')).toBe('definition');
    // Whether there are risks, or what to watch out for, asks what the risks are.
    expect(detectQuestionIntent('Is there any risk in tuning?')).toBe('risk');
    expect(detectQuestionIntent('微调有没有风险？')).toBe('risk');
    expect(detectQuestionIntent('微调可能会出什么问题？')).toBe('risk');
    expect(detectQuestionIntent('用微调要注意什么？')).toBe('risk');
    expect(detectQuestionIntent('What should I watch out for when fine-tuning?')).toBe('risk');
    // How to prevent a named risk asks for a method the article may not give, not for the risk.
    expect(detectQuestionIntent('怎么防止过拟合？')).toBe('how');
    expect(detectQuestionIntent('How can I avoid overfitting when fine-tuning?')).toBe('how');
    expect(detectQuestionIntent('微调的过拟合风险')).toBe('risk');
    // A choice between two options asked with "should I … or …" / 应该…还是 is no yes/no question; "or not" is.
    expect(detectQuestionIntent('If I only have a weekend, should I fine-tune or just use the model as it is?')).toBe('which');
    expect(detectQuestionIntent('我应该微调还是直接用现成的模型？')).toBe('which');
    expect(detectQuestionIntent('Should I fine-tune or not?')).toBe('yesno');
  });

  it('contrast: a 微调 sentence, a 调教 sentence, then the article’s own summary', async () => {
    const answer = await ask('微调和调教有什么区别？');
    const paragraphs = body(answer).split('\n\n');
    expect(paragraphs[0]).toMatch(/^微调\(Fine-tuning\): 微调通常指的是/);
    expect(paragraphs[1]).toMatch(/^调教\(Tuning\): 调教这个词通常更广义/);
    expect(answer.answer).toContain('如果是在预训练模型的基础上进行特定任务的训练,使用微调');
    expect(answer.answer).toContain('如果是在模型训练的任何阶段对模型参数进行优化,使用调教');
    // Not opened with half of the cooking analogy.
    expect(paragraphs[0]).not.toContain('做一道菜');
    expectExactCitations(answer);
  });

  it('comparison on an aspect: both sides from the section that names it', async () => {
    const answer = await ask('模型应用和微调在时间和资源上有什么不同？');
    expect(answer.answer).toContain('时间和资源');
    expect(answer.answer).toContain('更快,因为无需重新训练');
    expect(answer.answer).toContain('时间较长,因为涉及到训练');
    expect(answer.citations).toHaveLength(1);
    expectExactCitations(answer);
  });

  it('example: the answer starts with the example, for a direct and a follow-up question', async () => {
    const direct = await ask('举个微调的例子');
    expect(body(direct)).toMatch(/^例如,一个经过大规模语料库预训练的语言模型/);
    expectExactCitations(direct);
    const first = await ask('What is fine-tuning?');
    const followUp = await ask('Can you give me an example?', { history: [toTurn('What is fine-tuning?', first)] });
    expect(followUp.grounded).toBe(true);
    expect(body(followUp)).toMatch(/^(?:For example|For instance|Suppose|Imagine)/);
  });

  it('yes/no: says no, maybe or yes first when the cited evidence says so', async () => {
    const no = await ask('模型应用需要更新权重吗？');
    // A Chinese verdict echoes the question's verb (需要…吗 → 不需要, 会…吗 → 会).
    expect(no.answer).toMatch(/^不需要。/);
    expect(no.answer).toMatch(/不更新权重|不需要进行大量的参数更新/);
    const maybe = await ask('微调会过拟合吗？');
    expect(maybe.answer).toMatch(/^有可能/);
    expect(maybe.answer).toContain('也可能过拟合');
    const yes = await ask('微调会改变模型的行为吗？');
    expect(yes.answer).toMatch(/^会。/);
    expect(yes.answer).toContain('改变模型的行为');
    for (const answer of [no, maybe, yes]) expectExactCitations(answer);
  });

  it('definition, reason, risk, which-term and summary each lead with the evidence of their kind', async () => {
    const definition = await ask('微调是什么？');
    expect(body(definition)).toMatch(/^微调\(Fine-tuning\): 微调通常指的是/);
    const reason = await ask('为什么说微调这个词更准确？');
    expect(reason.answer).toContain('因为它强调了在预训练之后的特定化训练过程');
    const risk = await ask('微调有什么风险？');
    expect(body(risk).split('[')[0]).toContain('过拟合');
    const which = await ask('应该用微调还是调教这个词？');
    expect(body(which)).toMatch(/"微调"这个词更准确/);
    expect(which.answer).toContain('使用调教');
    const summary = await ask('总结一下微调和调教');
    // The summary bullets are told as list items.
    expect(body(summary)).toMatch(/^- 如果是在预训练模型的基础上进行特定任务的训练,使用微调/);
    for (const answer of [definition, reason, risk, which, summary]) expectExactCitations(answer);
  });

  it('summary of the whole: "what is the article about" is answered by the article\'s own summary, in either language', async () => {
    for (const question of [
      '这篇文章主要讲了什么？',
      '这个资料是关于什么的？',
      'What is the article about?',
      'Summarize the article in two sentences.',
    ]) {
      const answer = await ask(question);
      expect(answer.grounded, question).toBe(true);
      expect(answer.answer, question).toMatch(
        /进行特定任务的训练,使用微调|training for a specific task on the basis of a pre-trained model, use fine-tuning/,
      );
      expect(answer.answer, question).toMatch(
        /对模型参数进行优化,使用调教|optimising model parameters at any stage of model training, use tuning/,
      );
      // The article's summary, not the cooking analogy's.
      expect(answer.answer, question).not.toMatch(/做得很好的菜|a dish that is already well made/);
    }
    // A question about one topic that only frames it with the article stays about the topic.
    expect(detectQuestionIntent('What does the article say about overfitting?')).not.toBe('summary');
    // How long an answer should be is no kind of its own: a contrast asked in brief is a contrast.
    expect(detectQuestionIntent('Tuning vs fine-tuning in one sentence each?')).toBe('difference');
    expect(detectQuestionIntent('In a nutshell, how do fine-tuning and tuning differ?')).toBe('difference');
    expect(detectQuestionIntent('用一句话说说微调是什么')).toBe('definition');
  });

  it('definition: a term described in apposition is defined there, not by a sentence opening with another term', async () => {
    // The article describes 预训练模型 only as "…大型预训练模型,这些模型通常是在大规模数据集上训练得到的…"; the sentence
    // opening "模型应用和大模型微调是…" defines two other terms (模型 is their head word, not this one's).
    for (const question of ['预训练模型是什么？', 'What is a pre-trained model, according to the article?']) {
      const answer = await ask(question);
      expect(answer.answer, question).toMatch(/这些模型通常是在大规模数据集上训练得到的|usually trained on large-scale datasets/);
      expect(body(answer).split('\n')[0], question).not.toMatch(/^模型应用和大模型微调是|^Model application \(模型应用\) and/);
      expectExactCitations(answer, { rendered: /^[A-Z]/.test(question) });
    }
  });

  it('a contrast of two terms no passage names together says the article does not compare them', async () => {
    const zh = await ask('深度学习和机器学习有什么区别？');
    expect(zh.answer.split('\n')[0]).toBe('文章没有直接比较「深度学习」和「机器学习」，分别讲到：');
    // Asked whether they are the same, it does not claim they differ.
    const same = await ask('调教和模型应用一样吗？');
    expect(same.answer.split('\n')[0]).toBe('文章没有直接比较「调教」和「模型应用」，分别讲到：');
    const en = await ask('What is the difference between tuning and model application?');
    expect(en.answer.split('\n')[0]).toMatch(
      /^The article does not compare \*\*tuning\*\* \(调教\) and .* directly; what it says about each:$/,
    );
    // The pairs the article does contrast keep their frame.
    expect((await ask('模型应用和微调有什么区别？')).answer.split('\n')[0]).toBe('「模型应用」和「微调」的区别，文章分别这样讲：');
    expectExactCitations(zh);
    expectExactCitations(en, { rendered: true });
  });

  it('says so when the article names no risk of the topic, instead of framing other sentences as risks', async () => {
    // The article names risks of 微调 (过拟合) and of 模型应用 (不如微调), none of 调教.
    const zh = await ask('调教有什么风险？');
    expect(zh.answer.split('\n')[0]).toMatch(/^文章没有直接讲到风险或局限；关于「调教」/);
    const en = await ask('Is there any risk in tuning?');
    expect(en.answer.split('\n')[0]).toMatch(/^The article names no risk or limit here; what it says about \*\*tuning\*\*/);
    expect(en.answer).not.toMatch(/^Yes\./);
    const named = await ask('Is there any risk in fine-tuning?');
    expect(named.answer.split('\n')[0]).toMatch(/^On the limits and risks of \*\*fine-tuning\*\*/);
    expect(body(named)).toMatch(/overfit/);
    expectExactCitations(zh);
    for (const answer of [en, named]) expectExactCitations(answer, { rendered: true });
  });

  it('analogy: the cooking passages on the topic', async () => {
    const answer = await ask('用比喻解释一下微调');
    const analogyCited = answer.citations.map((citation) => fixture.runtime.passageSearch.getChunk(citation.chunkId)!);
    expect(analogyCited.every((chunk) => chunk.headingPath.some((heading) => heading.includes('烹饪')))).toBe(true);
    expect(answer.answer).toContain('这个过程就是微调');
    expectExactCitations(answer);
  });

  it('explain again: simpler is the shortest definition, analogy the cooking passages, each unlike the first answer', async () => {
    const first = await ask('微调是什么？');
    const simpler = await ask('微调是什么？', { style: 'simpler' });
    const analogy = await ask('微调是什么？', { style: 'analogy' });
    expect(simpler.answer).toMatch(/^简单来说/);
    expect(body(simpler).length).toBeLessThan(body(first).length);
    expect(body(simpler)).toMatch(/^微调[^。]*通常指的是/);
    expect(analogy.answer).not.toBe(first.answer);
    expect(simpler.answer).not.toBe(first.answer);
    expect(analogy.answer).not.toBe(simpler.answer);
    for (const citation of analogy.citations) {
      expect(fixture.runtime.passageSearch.getChunk(citation.chunkId)!.headingPath.join(' ')).toContain('烹饪');
    }
    expectExactCitations(simpler);
    expectExactCitations(analogy);
  });

  it('an English question reads English: the renderings of both sides and of the summary, citing the originals', async () => {
    const answer = await ask('What is the difference between fine-tuning and tuning?');
    expect(answer.answer).toMatch(/^The article contrasts \*\*fine-tuning\*\* \(微调\) and \*\*tuning\*\* \(调教\)/);
    const prose = answer.answer.replace(/\(.*?\)/g, '');
    expect((prose.match(/[A-Za-z]/g) ?? []).length).toBeGreaterThan(10 * (prose.match(/[\u3400-\u9fff]/g) ?? []).length);
    expect(answer.answer).not.toMatch(/no English rendering/);
    expect(answer.citations.map((citation) => citation.text).join('')).toContain('微调通常指的是');
    for (const citation of answer.citations) expect(citation.translation?.sentences).toHaveLength(citation.spans!.length);
    expectExactCitations(answer, { rendered: true });
  });

  it('explain again in English: the rendering of the first answer’s evidence', async () => {
    const first = await ask('微调是什么？');
    const english = await ask('微调是什么？', { language: 'en' });
    expect(english.answer).not.toBe(first.answer);
    expect(english.answer).toMatch(/fine-tuning usually refers to/i);
    expect(english.citations.map((citation) => citation.chunkId)).toEqual(first.citations.map((citation) => citation.chunkId));
  });
});
