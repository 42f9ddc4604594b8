import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DICTIONARY_BRIDGE_WEIGHT, REVERSE_BRIDGE_WEIGHT } from '../../src/retrieval/bridge-targets.js';
import { compileCedict } from '../../src/retrieval/cedict-compiler.js';
import { createCedictTableFromEntries } from '../../src/retrieval/cedict-table.js';
import { type CedictEntry, deriveCorpusDictionary } from '../../src/retrieval/corpus-dictionary.js';
import { deriveEnglishReverseBridges } from '../../src/retrieval/english-reverse-bridges.js';
import { createTestRuntime } from '../support/test-runtime.js';

const entry = (simplified: string, ...english: string[]): CedictEntry => ({ traditional: simplified, simplified, pinyin: '', english });

/** Entries shaped like CC-CEDICT's (senses shortened): Chinese words meaning an English word the corpus never uses. */
const entries: CedictEntry[] = [
  entry('厨师', 'cook; chef'),
  entry('庖厨', 'kitchen; cook'),
  entry('灶间', 'kitchen; chef'),
  entry('厨房', 'kitchen'),
  entry('曲调', 'tune; melody'),
  entry('调教', 'to tame; to train'),
  entry('拟合', 'to fit'),
  entry('手工', 'by hand; manual'),
  entry('手动', 'by hand; manual'),
];

function reverseOf(vocabulary: ReadonlySet<string>, glossaryForms = new Map<string, readonly string[]>()) {
  const compact = compileCedict(createCedictTableFromEntries(entries));
  const dictionary = deriveCorpusDictionary(compact, vocabulary, glossaryForms);
  return deriveEnglishReverseBridges(compact, vocabulary, dictionary.synonyms, dictionary.english);
}

describe('English words reached through the Chinese words that mean them', () => {
  it('reaches the corpus word two Chinese words meaning "kitchen" both bridge to', () => {
    // 庖厨 "cook" and 灶间 "chef" both bridge to 厨师; neither "kitchen" is a sense of any corpus word.
    expect(reverseOf(new Set(['厨师'])).kitchen).toEqual(['厨师']);
  });

  it('leaves a word alone when only one Chinese word meaning it bridges ("melody" → 曲调 → 调教 "tune")', () => {
    const reverse = reverseOf(new Set(['调教']), new Map([['调教', ['tune']]]));
    expect(reverse.melody).toBeUndefined();
  });

  it('bridges no phrase with a function word in it ("by hand"), only the words themselves', () => {
    // 手工 and 手动 both bridge to the renderings' "manual"; "by hand" is how a question asks, two hops from it.
    const reverse = reverseOf(new Set(['manual']));
    expect(reverse['by hand']).toBeUndefined();
  });
});

describe('reverse bridges in a question', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  it('reads "cram" as a loose word for overfitting, weighed below a direct bridge', () => {
    const words = fixture.runtime.understanding.analyze('Can fine-tuning make a model just cram its training data?').words;
    const bridged = words.find((word) => word.word === 'cram')?.terms.filter((term) => term.weight < 1) ?? [];
    expect(bridged.map((term) => term.term)).toContain('拟合');
    expect(bridged.every((term) => term.weight === REVERSE_BRIDGE_WEIGHT && term.weight < DICTIONARY_BRIDGE_WEIGHT)).toBe(true);
  });

  it.each([['How do I cram for my history exam?'], ['How should I organise a small kitchen?'], ['What is a good ready-made dinner?']])(
    'still says %s is not covered',
    async (question) => {
      expect((await fixture.runtime.passageSearch.search(question)).covered).toBe(false);
    },
  );
});
