import { describe, expect, it } from 'vitest';
import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import { termSpan } from '../../src/tutor/offline/term-spans.js';

const fineTuning: GlossaryTerm = { zh: '微调', en: ['fine-tuning', 'fine tuning'], gloss: 'fine-tuning' };
const tuning: GlossaryTerm = { zh: '调教', en: ['tuning'], gloss: 'tuning' };

describe('where a question names a term', () => {
  it('finds each term of one question at its own place, in any case, the same again when asked again', () => {
    const question = 'Is Fine-Tuning broader than TUNING?';
    expect(termSpan(question, fineTuning)).toEqual({ start: 3, end: 14 });
    expect(termSpan(question, tuning)).toEqual({ start: 28, end: 34 });
    expect(termSpan(question, fineTuning)).toEqual({ start: 3, end: 14 });
  });

  it('does not read "tuning" inside "fine-tuning" as the term 调教', () => {
    expect(termSpan('What is fine-tuning?', tuning)).toBeUndefined();
    expect(termSpan('What is fine-tuning?', fineTuning)).toEqual({ start: 8, end: 19 });
  });

  it('finds the Chinese term where it comes first', () => {
    expect(termSpan('调教和fine-tuning有什么区别？', tuning)).toEqual({ start: 0, end: 2 });
    expect(termSpan('调教和fine-tuning有什么区别？', fineTuning)).toEqual({ start: 3, end: 14 });
  });
});
