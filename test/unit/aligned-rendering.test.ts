import { describe, expect, it } from 'vitest';
import { alignedRendering } from '../../src/ingest/aligned-rendering.js';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import { sentencesWithRenderings } from '../../src/retrieval/asked-amount.js';
import { renderingOfSentences } from '../../src/tutor/offline/rendering.js';

const text = '微调时间较长,因为涉及到训练。应用更快。';
const chunk = (translation: ChunkRecord['translation']): ChunkRecord => ({
  chunkId: 'c1',
  documentId: 'doc',
  title: '标题',
  source: '',
  language: 'zh',
  headingPath: [],
  ordinal: 0,
  start: 0,
  end: text.length,
  text,
  ...(translation ? { translation } : {}),
});

/** The amount check (retrieval) and the English answers (tutor) read one rendering of a passage, sentence by sentence. */
describe('the aligned rendering of a passage', () => {
  it('is the sentence-by-sentence rendering the corpus aligned', () => {
    const aligned = chunk({ language: 'en', text: 'x', sentences: ['Fine-tuning takes longer.', 'Applying is faster.'] });
    expect(alignedRendering(aligned)).toEqual(['Fine-tuning takes longer.', 'Applying is faster.']);
    expect(sentencesWithRenderings(aligned)).toEqual([
      '微调时间较长,因为涉及到训练。\nFine-tuning takes longer.',
      '应用更快。\nApplying is faster.',
    ]);
  });

  it('cuts a rendering aligned only as a whole into its own sentences when they are as many, for the amount check too', () => {
    const whole = chunk({ language: 'en', text: 'Fine-tuning takes longer, because it trains. Applying is faster.' });
    expect(renderingOfSentences(whole, [0])).toBe('Fine-tuning takes longer, because it trains.');
    expect(sentencesWithRenderings(whole)).toEqual([
      '微调时间较长,因为涉及到训练。\nFine-tuning takes longer, because it trains.',
      '应用更快。\nApplying is faster.',
    ]);
  });

  it('is none when the sentences cannot be paired', () => {
    const uneven = chunk({ language: 'en', text: 'Fine-tuning takes longer and applying is faster.' });
    expect(alignedRendering(uneven)).toBeNull();
    expect(sentencesWithRenderings(uneven)).toEqual(['微调时间较长,因为涉及到训练。', '应用更快。']);
  });
});
