import { describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import type { PlanContext } from '../../src/tutor/offline/plan-types.js';
import { type EvidenceSentence, passageSentenceSpans } from '../../src/tutor/offline/sentence-evidence.js';
import { speaksOf } from '../../src/tutor/offline/sentence-subject.js';
import { planIdentity } from '../../src/tutor/offline/yes-no-identity.js';
import { madeUpPlanContext } from '../support/made-up-plan-context.js';

/**
 * What a sentence is about (the subject a yes/no verdict may rest on) and identity questions ("A就是B吗", "Is A the
 * same as B?"), over made-up terms and passages: only the structure of the sentences can decide.
 */
const term = (zh: string, en: string): GlossaryTerm => ({ zh, en: [en], gloss: en });
const glow = term('星辉法', 'starglow');
const shade = term('月影法', 'moonshade');
const dawn = term('晨光法', 'dawnlight');
const lamp = term('灯光', 'lamplight');
const glossary = [glow, shade, dawn, lamp];

interface Passage {
  readonly title: string;
  readonly headings?: readonly string[];
  readonly text: string;
}

/** A context over passages (each cut into its sentences), asked `query` about `topics`. */
function contextFor(query: string, topics: readonly GlossaryTerm[], passages: readonly Passage[]): PlanContext {
  const pool: EvidenceSentence[] = passages.flatMap((passage, index) => {
    const chunk = {
      chunkId: `c${index}`,
      documentId: passage.title,
      title: passage.title,
      text: passage.text,
      start: 0,
      end: passage.text.length,
      headingPath: passage.headings ?? [],
    } as unknown as ChunkRecord;
    return passageSentenceSpans(chunk).map((span, at) => ({
      chunk,
      indexes: [at],
      start: span.start,
      end: span.end,
      text: passage.text.slice(span.start, span.end),
      score: 1,
      match: 0,
      terms: new Set<string>(),
    }));
  });
  return madeUpPlanContext({ kind: 'yesno', query, topics, glossary, pool, passages: passages.length });
}

const NOTE: Passage[] = [
  { title: '月影法与星辉法的区别', text: '月影法和星辉法是两种不同的修图方法,但侧重点不同。' },
  { title: '月影法与星辉法的区别', headings: ['共性'], text: '灯光需求:都需要很强的灯光。' },
  { title: '月影法与星辉法的区别', headings: ['区别'], text: '在某些情况下,"月影法"可能还指的是夜间的修图。这通常需要很强的灯光。' },
  { title: '月影法与星辉法的区别', headings: ['晨光法'], text: '想象你在清晨修图,窗外的光很柔和。' },
];
const sentence = (context: PlanContext, opening: string): EvidenceSentence =>
  context.pool.find((candidate) => candidate.text.startsWith(opening)) as EvidenceSentence;

describe('what a sentence is about', () => {
  const context = contextFor('晨光法需要很强的灯光吗？', [dawn], NOTE);

  it('reads a line of what both share as about each thing the title joins, and about nothing else', () => {
    const shared = sentence(context, '灯光需求');
    expect(speaksOf(context, shared, glow)).toBe(true);
    expect(speaksOf(context, shared, shade)).toBe(true);
    expect(speaksOf(context, shared, dawn)).toBe(false);
  });

  it('reads the term a sentence opens with, past a framing clause, and carries it on to the sentence pointing back', () => {
    expect(speaksOf(context, sentence(context, '在某些情况下'), shade)).toBe(true);
    expect(speaksOf(context, sentence(context, '这通常需要'), shade)).toBe(true);
    expect(speaksOf(context, sentence(context, '这通常需要'), glow)).toBe(false);
    // Joined subjects: the sentence is about both.
    expect(speaksOf(context, sentence(context, '月影法和星辉法'), glow)).toBe(true);
  });

  it('reads a sentence naming no term as about the one term of its heading', () => {
    expect(speaksOf(context, sentence(context, '想象你在清晨'), dawn)).toBe(true);
    expect(speaksOf(context, sentence(context, '想象你在清晨'), glow)).toBe(false);
  });
});

const ARTICLE: Passage[] = [
  { title: '理解星辉法和月影法', text: '星辉法通常指的是在底稿上进行细小的修整。' },
  { title: '理解星辉法和月影法', text: '月影法这个词更宽泛,它可以包括星辉法在内的任何修整过程。' },
];

describe('identity questions: the same, one includes the other, or told apart', () => {
  const lead = (plan: ReturnType<typeof planIdentity>): string[] =>
    plan?.blocks.flatMap((block) => block.sentences.map((told) => told.text.slice(0, 6))) ?? [];

  it.each([
    ['星辉法就是月影法吗？', [glow, shade]],
    ['月影法是不是星辉法？', [shade, glow]],
    ['Is starglow the same as moonshade?', [glow, shade]],
    ['Is moonshade just starglow?', [shade, glow]],
  ])('%s → no: the sentence relating them first, then the other side', (question, topics) => {
    const plan = planIdentity(contextFor(question, topics, ARTICLE));
    expect(plan?.verdict).toBe('no');
    expect(lead(plan)).toEqual(['月影法这个词', '星辉法通常指']);
  });

  it('answers yes where the article says they are the same', () => {
    const same = [...ARTICLE, { title: '理解星辉法和月影法', text: '星辉法也叫晨光法,两者没有区别。' }];
    const plan = planIdentity(contextFor('星辉法就是晨光法吗？', [glow, dawn], same));
    expect(plan?.verdict).toBe('yes');
    expect(lead(plan)).toEqual(['星辉法也叫晨']);
  });

  it('leaves a question whether one is a kind of the other, and terms the article never relates, to the other plans', () => {
    expect(planIdentity(contextFor('星辉法是不是月影法的一种？', [glow, shade], ARTICLE))).toBeUndefined();
    expect(planIdentity(contextFor('Is starglow a kind of moonshade?', [glow, shade], ARTICLE))).toBeUndefined();
    expect(planIdentity(contextFor('晨光法就是灯光吗？', [dawn, lamp], NOTE))).toBeUndefined();
  });
});
