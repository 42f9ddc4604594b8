import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import { kindFor } from '../../src/tutor/offline/plan-kind.js';
import type { PlanContext } from '../../src/tutor/offline/plan-types.js';
import { type EvidenceSentence, passageSentenceSpans } from '../../src/tutor/offline/sentence-evidence.js';
import { planReason } from '../../src/tutor/offline/statement-plans.js';
import { planYesNo } from '../../src/tutor/offline/yes-no-plan.js';
import type { TutorAnswer } from '../../src/tutor/tutor-types.js';
import { citedSentences } from '../support/cited-sentences.js';
import { madeUpPlanContext } from '../support/made-up-plan-context.js';
import { createTestRuntime } from '../support/test-runtime.js';

/**
 * Three ways a question names what the article states in other words, and the sentence a learner then reads: a subject
 * named only in everyday words (the labelled item those words stand for is the subject, and a need the item does
 * without, "无需…", is a no), a pole of an everyday scale presupposed by a why-question ("quick": the sentence stating
 * the same pole, not its opposite), and a respect asked in everyday words (速度: the section headed by it). Made-up
 * terms first (only the mechanism can decide), then the shipped article.
 */
const term = (zh: string, en: string): GlossaryTerm => ({ zh, en: [en], gloss: en });
const direct = term('照片直修', 'direct retouch');
const glow = term('星辉法', 'starglow');
const reexpose = term('重新曝光', 're-exposure');
const glossary = [direct, glow, reexpose];

/** The comparison note of a made-up article: labelled bullets, one passage per section. */
const SECTIONS: readonly { heading: string; text: string }[] = [
  { heading: '1. 目的', text: '**直修**:通常是直接拿原图做输出。\n**星辉法**:则是对原图进行重新曝光。' },
  { heading: '4. 时间和资源', text: '**直修**:更快,因为无需重新曝光。\n**星辉法**:时间较长,因为涉及到对原图曝光。' },
];

/** A context over the note, asked `query`, whose words (`queryTerms`) a sentence holds where its text has them. */
function contextFor(query: string, queryTerms: readonly string[], topics: readonly GlossaryTerm[], kind: PlanContext['kind']): PlanContext {
  const pool: EvidenceSentence[] = SECTIONS.flatMap((section, index) => {
    const chunk = {
      chunkId: `c${index}`,
      documentId: 'note',
      title: '照片直修与星辉法的区别',
      text: section.text,
      start: 0,
      end: section.text.length,
      headingPath: ['区别', section.heading],
    } as unknown as ChunkRecord;
    return passageSentenceSpans(chunk).map((span, at) => {
      const text = section.text.slice(span.start, span.end);
      return {
        chunk,
        indexes: [at],
        start: span.start,
        end: span.end,
        text,
        score: 1,
        match: 0,
        terms: new Set(queryTerms.filter((word) => text.includes(word))),
      };
    });
  });
  return madeUpPlanContext({ kind: kind, query, topics, glossary, pool, passages: SECTIONS.length, queryTerms });
}
const told = (plan: ReturnType<typeof planYesNo>): string[] => plan?.blocks.flatMap((block) => block.sentences.map((s) => s.text)) ?? [];

describe('a subject named in everyday words, a presupposed pole, a respect in everyday words (made-up terms)', () => {
  it('reads the labelled item the everyday words stand for as the subject, and 无需 as a no to the need asked', () => {
    const question = '直接拿原图来用，还要重新曝光吗？';
    const plan = planYesNo(contextFor(question, ['直接', '原图', '还要', '重新', '曝光'], [reexpose], 'yesno'), question);
    expect(plan?.verdict).toBe('no');
    expect(told(plan)[0]).toContain('无需重新曝光');
  });

  it('takes no subject where the everyday words fit every item alike (原图 is in both), and gives no verdict', () => {
    const question = '原图还要重新曝光吗？';
    const plan = planYesNo(contextFor(question, ['原图', '还要', '重新', '曝光'], [reexpose], 'yesno'), question);
    expect(plan?.verdict).toBeUndefined();
  });

  it('answers "why is it quick" with the sentence stating the same pole, not the opposite one that shares a word', () => {
    // The opposite pole's sentence holds 原图, a word of the question; the same pole's holds none.
    const plan = planReason(contextFor('为啥直接用原图快？', ['直接', '原图', '快'], [], 'reason'));
    expect(told(plan)[0]).toContain('更快,因为无需重新曝光');
    expect(told(plan).join('')).not.toContain('时间较长');
  });

  it('plans a merit asked in an everyday respect as that respect, and a respect in a question comparing nothing as asked', () => {
    expect(kindFor('general', '直接用原图，速度上有什么好处？', [])).toBe('aspect');
    expect(kindFor('general', '直修的速度', [direct])).toBe('general');
  });
});

describe('the shipped article: the sentence a learner reads', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());
  const ask = (question: string): Promise<TutorAnswer> => fixture.runtime.offlineAnswerer.answer({ question });
  const first = async (question: string): Promise<{ lead: string; cited: string }> => {
    const answer = await ask(question);
    return { lead: answer.answer.split('\n')[0] ?? '', cited: citedSentences(fixture.runtime.passageSearch, answer)[0] ?? '' };
  };

  it.each([
    ['直接拿现成的模型来用，还要重新训练吗？', /^不需要。/],
    ['直接拿来用的模型，还要更新权重吗？', /^不需要。/],
  ])('%s → no, from the 应用 side', async (question, lead) => {
    const answer = await first(question);
    expect(answer.lead).toMatch(lead);
    expect(answer.cited).toMatch(/^\s*-?\s*\*\*应用\*\*/);
  });

  it.each([
    ['直接用现成的模型，速度上有什么好处？', '更快,因为无需重新训练'],
    ['Why is just running the existing model quick?', '更快,因为无需重新训练'],
    ['直接拿来用为啥快？', '更快,因为无需重新训练'],
    ['Why is fine-tuning slow?', '时间较长,因为涉及到训练'],
  ])('%s → first cites "%s"', async (question, sentence) => {
    expect((await first(question)).cited).toContain(sentence);
  });
});
