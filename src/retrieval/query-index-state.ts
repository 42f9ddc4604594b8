import type { Jieba } from '@node-rs/jieba';
import type { CorpusIndex } from '../index/corpus-index-store.js';
import type { CorpusLexicon, CorpusLexiconStore, GlossaryForms } from './corpus-dictionary-store.js';
import type { EverydayNameReader } from './everyday-names.js';
import { createQuestionTypoReader, type QuestionTypoReader } from './question-typos.js';
import type { ShortenedFormFinder } from './shortened-forms.js';
import type { TextAnalyzer } from './text-analyzer.js';

/** What query understanding keeps of one index: its vocabulary, the words its lexicon is derived from, and that lexicon. */
export interface IndexState {
  readonly vocabulary: ReadonlySet<string>;
  /**
   * What the lexicon is derived from: the vocabulary and the hand glossary's Chinese terms the corpus writes (jieba
   * cuts 超参数 and 预训练 into pieces, so only the glossary knows them as words a typo can stand for: 超餐数 → 超参数).
   */
  readonly lexiconWords: ReadonlySet<string>;
  /** The hand glossary's English forms of those terms, senses beside CC-CEDICT's (see GlossaryForms). */
  readonly glossaryForms: GlossaryForms;
  /** Corpus words a shortened or reworded form names (炖肉 → 炖牛肉), made on first need. */
  shortenedForms?: ShortenedFormFinder;
  /** The two corpus words a two-character abbreviation stands for (调参 → 调整, 参数), made on first need. */
  abbreviations?: ShortenedFormFinder;
  /** The passages' tokens in order, what abbreviations are read from. */
  readonly passageTokens: () => Iterable<readonly string[]>;
  /** The tokens of the passages' headings in both languages: words that name a section are the article's own. */
  readonly headingWords: ReadonlySet<string>;
  lexicon?: CorpusLexicon;
  commonWords?: ReadonlySet<string>;
  /** Pinyin and English typos of this index's words (question-typos.ts), made on first need. */
  typos?: QuestionTypoReader;
  /** The glossary's everyday names of its terms that this corpus does not write (everyday-names.ts), made on first need. */
  everydayNames?: EverydayNameReader;
}

export interface QueryIndexStates {
  /** The state of an index, made on first need and kept while the index lives. */
  stateOf(index: CorpusIndex): IndexState;
  /** Reads the saved lexicon of an index or, with `derive`, derives and saves it (QueryUnderstanding.prepare). */
  prepare(index: CorpusIndex, options?: { readonly derive?: boolean }): Promise<{ derived: boolean }>;
  /** The index's lexicon, derived on the spot when none is saved; undefined without a lexicon store. */
  lexiconFor(state: IndexState): CorpusLexicon | undefined;
  /** The index's pinyin and English typo reader, made on first need. */
  typosOf(index: CorpusIndex, state: IndexState): QuestionTypoReader;
}

export interface QueryIndexStatesDeps {
  readonly analyzer: TextAnalyzer;
  readonly jieba: Jieba;
  readonly lexiconStore?: CorpusLexiconStore | undefined;
  /** Whether jieba's dictionary holds the word whole (word-generality.ts). */
  readonly isDictionaryWord: (word: string) => boolean;
}

const CJK = /[\u3400-\u9fff]/;

/** Per-index states of query understanding, kept in a WeakMap so a swapped-out index takes its state with it. */
export function createQueryIndexStates(deps: QueryIndexStatesDeps): QueryIndexStates {
  const { analyzer, jieba, lexiconStore, isDictionaryWord } = deps;
  const states = new WeakMap<CorpusIndex, IndexState>();

  function stateOf(index: CorpusIndex): IndexState {
    let state = states.get(index);
    if (!state) {
      const vocabulary = new Set<string>();
      for (let position = 0; position < index.lexicalIndex.size; position += 1)
        for (const token of index.lexicalIndex.tokensAt(position) ?? []) vocabulary.add(token);
      const lexiconWords = new Set(vocabulary);
      for (const term of analyzer.glossary.terms)
        if (CJK.test(term.zh) && index.chunks.some((chunk) => chunk.text.includes(term.zh))) lexiconWords.add(term.zh);
      const passageTokens = function* (): Iterable<readonly string[]> {
        for (let position = 0; position < index.lexicalIndex.size; position += 1) yield index.lexicalIndex.tokensAt(position) ?? [];
      };
      // The hand glossary's English forms of the terms the corpus uses: senses of those terms beside CC-CEDICT's.
      const glossaryForms = new Map(
        analyzer.glossary.terms.filter((term) => lexiconWords.has(term.zh)).map((term) => [term.zh, term.en] as const),
      );
      const headingWords = new Set(
        index.chunks.flatMap((chunk) =>
          [...chunk.headingPath, ...(chunk.translation?.headingPath ?? [])].flatMap((heading) => analyzer.tokenize(heading)),
        ),
      );
      states.set(index, (state = { vocabulary, lexiconWords, glossaryForms, passageTokens, headingWords }));
    }
    return state;
  }

  function adopt(state: IndexState, lexicon: CorpusLexicon): void {
    state.lexicon = lexicon;
    state.commonWords = new Set(lexicon.dictionary.commonWords ?? []);
  }

  function typosOf(index: CorpusIndex, state: IndexState): QuestionTypoReader {
    if (state.typos) return state.typos;
    const englishWords = new Set<string>();
    const add = (text: string): void => {
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) englishWords.add(word);
    };
    for (const chunk of index.chunks) if (chunk.translation) add(chunk.translation.text);
    for (const term of analyzer.glossary.terms) for (const form of [...term.en, term.gloss]) add(form);
    // The words a longer term is written with (语料 of 语料库, 小范围 and 调整 of 小范围的调整) are key too: a term of
    // five characters or more has no pinyin key of its own, and a typo in it is a typo of the word it falls in.
    const keyWords = new Set<string>();
    for (const term of analyzer.glossary.terms) {
      keyWords.add(term.zh);
      if (CJK.test(term.zh) && term.zh.length >= 3)
        for (const piece of jieba.cut(term.zh, true)) if (piece.length >= 2) keyWords.add(piece);
    }
    state.typos = createQuestionTypoReader({
      vocabulary: state.vocabulary,
      englishWords,
      isKeyTerm: (word) => keyWords.has(word),
      idf: (word) => index.lexicalIndex.idf(word),
      cut: (text) => jieba.cut(text, true),
      isDictionaryWord,
      lexicon: () => lexiconFor(state),
    });
    return state.typos;
  }

  async function prepare(index: CorpusIndex, options: { readonly derive?: boolean } = {}): Promise<{ derived: boolean }> {
    const state = stateOf(index);
    const store = lexiconStore;
    if (state.lexicon || !store) return { derived: false };
    const saved = await store.readSaved(state.lexiconWords, state.glossaryForms);
    if (saved) {
      adopt(state, saved);
      return { derived: false };
    }
    if (!options.derive) return { derived: false };
    const derived = store.derive(state.lexiconWords, state.glossaryForms);
    adopt(state, derived);
    await store.save(state.lexiconWords, derived, state.glossaryForms);
    return { derived: true };
  }

  /**
   * The lexicon, derived on the spot when the index has none saved: only a question with a word the corpus does not
   * use needs it, so a process that never meets one (most tests, an index check) never loads the dictionary.
   */
  function lexiconFor(state: IndexState): CorpusLexicon | undefined {
    const store = lexiconStore;
    if (state.lexicon || !store) return state.lexicon;
    const derived = store.derive(state.lexiconWords, state.glossaryForms);
    adopt(state, derived);
    void store.save(state.lexiconWords, derived, state.glossaryForms);
    return derived;
  }

  return { stateOf, prepare, lexiconFor, typosOf };
}
