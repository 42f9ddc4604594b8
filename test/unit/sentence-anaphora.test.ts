import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadGlossary } from '../../src/ingest/glossary.js';
import { createSentenceRanker } from '../../src/retrieval/sentence-ranking.js';
import { createTextAnalyzer, type TextAnalyzer } from '../../src/retrieval/text-analyzer.js';
import { bareChunk, flatIndex, plainQuery } from '../support/ranking-fixtures.js';
import { shippedCorpusDir } from '../support/test-runtime.js';

const chunk = bareChunk;
const query = plainQuery;

describe('a sentence opening with an anaphor carries on the topic of the sentence before', () => {
  let analyzer: TextAnalyzer;
  beforeAll(async () => {
    analyzer = createTextAnalyzer({ glossary: await loadGlossary(path.join(shippedCorpusDir, 'glossary.json')) });
  });

  const scores = (passages: readonly string[], words: readonly string[]) =>
    createSentenceRanker({ analyzer }).score(
      query(...words),
      flatIndex,
      passages.map((text) => ({ chunk: chunk(text), fused: 1 })),
      undefined,
      [words[0] as string],
    );

  // Another term's sentence that names the topic only inside ("包括蒸馏在内") holds every question word.
  const other = '剪枝这个词更广义,它可以包括蒸馏在内的任何过程中的调整。';

  it.each([
    ['credits "这个过程…" after "蒸馏通常指的是…" with 蒸馏', '蒸馏通常指的是用大模型训练小模型。这个过程涉及调整小模型的参数。', true],
    [
      'carries nothing over a sentence that does not open with an anaphor',
      '蒸馏通常指的是用大模型训练小模型。小模型的过程涉及调整参数。',
      false,
    ],
    [
      'carries nothing when the sentence before does not open with the topic',
      '有人用大模型训练小模型,称为蒸馏。这个过程涉及调整小模型的参数。',
      false,
    ],
    // A topic frame opens with what it names, and a conjunction may come before the anaphor.
    [
      'reads "对于蒸馏来说,…" as opening with 蒸馏 and carries it on to "因为它…"',
      '对于蒸馏来说,小模型更快。因为它涉及调整过程的参数。',
      true,
    ],
  ] as const)('%s (ranked above the other term’s sentence: %s)', (_name, passage, above) => {
    const [own, mentioned] = scores([passage, other], ['蒸馏', '过程', '调整']) as [number, number];
    expect(own > mentioned).toBe(above);
  });
});
