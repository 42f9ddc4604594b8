import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChunkRecord } from '../../src/ingest/chunk-types.js';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { createTextAnalyzer, type TextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { createFollowUpResolver } from '../../src/tutor/follow-up-resolver.js';
import { createFollowUpSuggester } from '../../src/tutor/follow-up-suggester.js';
import { createOfflineTutorAnswerer } from '../../src/tutor/offline/offline-tutor-answerer.js';
import type { TutorAnswer, TutorAnswerer } from '../../src/tutor/tutor-types.js';
import { createInMemoryPassageSearch, fixtureChunks } from '../support/in-memory-passage-search.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

/** English renderings of the fixture passages, one per sentence of the original (as the corpus aligns them). */
const RENDERINGS: readonly (readonly string[])[] = [
  [
    'When discussing large machine learning models, the words "fine-tuning" and "tuning" each have a specific meaning, but they may apply differently in different contexts.',
  ],
  [
    'Fine-tuning: fine-tuning usually means further training a pre-trained model for a specific task.',
    "This process involves adjusting the model's parameters so that it performs the specific task better.",
  ],
  [
    'Tuning: the word tuning is usually broader; it can include any process of adjusting model parameters, fine-tuning included.',
    'This can include adjusting hyperparameters, changing the learning rate and so on.',
  ],
  [
    'In some cases, "tuning" may also mean guiding how the model learns through human intervention, for example through the reward mechanism of reinforcement learning.',
  ],
  [
    'To understand it with a cooking example: fine-tuning is like making small adjustments to a dish that is already well made, just adding or removing some particular seasonings; tuning is more like cooking a dish from scratch, constantly trying and adjusting all kinds of cooking parameters.',
  ],
];

const withRenderings = (renderAll: boolean): ChunkRecord[] =>
  fixtureChunks().map((chunk, index) =>
    renderAll || index !== 1
      ? { ...chunk, translation: { language: 'en', text: (RENDERINGS[index] ?? []).join(' '), sentences: RENDERINGS[index] ?? [] } }
      : chunk,
  );

/** Latin letters against CJK characters in the answer's own prose: outside `> ` quotes of the original. */
function proseCounts(answer: string): { latin: number; cjk: number } {
  const prose = answer
    .split('\n')
    .filter((line) => !line.startsWith('>'))
    .join('\n');
  return { latin: (prose.match(/[A-Za-z]/g) ?? []).length, cjk: (prose.match(/[\u3400-\u9fff]/g) ?? []).length };
}

describe('English answers built from aligned renderings', () => {
  let analyzer: TextAnalyzer;
  const answererOver = (chunks: readonly ChunkRecord[]): TutorAnswerer => {
    const passageSearch = createInMemoryPassageSearch(chunks, { minCoverage: 0.1 });
    return createOfflineTutorAnswerer({
      passageSearch,
      analyzer,
      resolveStandaloneQuery: createFollowUpResolver({ analyzer }),
      followUpSuggester: createFollowUpSuggester({ passageSearch, analyzer }),
    });
  };
  beforeAll(async () => {
    analyzer = createTextAnalyzer({ glossary: await loadGlossary(path.join(shippedCorpusDir, 'glossary.json')) });
  });

  function expectCitesOriginals(answer: TutorAnswer, chunks: readonly ChunkRecord[]): void {
    for (const citation of answer.citations) {
      const chunk = chunks.find((entry) => entry.chunkId === citation.chunkId)!;
      expect(citation.text).toBe(chunk.text);
      expect(citation.text).toMatch(/[\u3400-\u9fff]/);
      expect(citation.translation?.language).toBe('en');
      // One rendering per cited span, in the order of the spans.
      expect(citation.translation?.sentences).toHaveLength(citation.spans!.length);
      for (const rendered of citation.translation!.sentences!) expect(answer.answer).toContain(rendered.replace(/\*\*/g, ''));
    }
  }

  it('answers an English contrast in English prose, one rendered sentence per side, citing the original passages', async () => {
    const chunks = withRenderings(true);
    const answer = await answererOver(chunks).answer({ question: 'What is the difference between fine-tuning and tuning?' });
    expect(answer.grounded).toBe(true);
    expect(answer.answer).toContain('fine-tuning usually means further training a pre-trained model for a specific task');
    expect(answer.answer).toContain('the word tuning is usually broader');
    expect(answer.answer).not.toMatch(/^>/m);
    expect(answer.answer).not.toMatch(/no English rendering/);
    const counts = proseCounts(answer.answer);
    expect(counts.latin).toBeGreaterThan(counts.cjk * 5);
    expectCitesOriginals(answer, chunks);
  });

  it('explains a Chinese answer again in English from the renderings', async () => {
    const chunks = withRenderings(true);
    const answerer = answererOver(chunks);
    const chinese = await answerer.answer({ question: '微调是什么？' });
    const english = await answerer.answer({ question: '微调是什么？', language: 'en' });
    expect(chinese.answer).toContain('微调通常指的是');
    expect(english.language).toBe('en');
    expect(english.answer).not.toBe(chinese.answer);
    expect(english.answer).toContain('fine-tuning usually means further training');
    const counts = proseCounts(english.answer);
    expect(counts.latin).toBeGreaterThan(counts.cjk * 5);
    expectCitesOriginals(english, chunks);
  });

  it('quotes a passage without a rendering in the original and says so, rendering the others', async () => {
    const chunks = withRenderings(false);
    const answer = await answererOver(chunks).answer({ question: 'What is the difference between fine-tuning and tuning?' });
    expect(answer.answer).toMatch(/^> 微调\(Fine-tuning\)/m);
    expect(answer.answer).toContain('the word tuning is usually broader');
    expect(answer.answer).toMatch(/no English rendering/);
  });
});
