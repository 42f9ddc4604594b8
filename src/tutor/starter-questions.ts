import type { Language } from '../ingest/chunk-types.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import type { Concept } from './concept-map.js';
import { englishNounPhrase } from './next-questions.js';

/**
 * A question about one concept, in the learner's language (the progress bar's "Next" and the starters ask these): what
 * it is, with the English gloss as a noun phrase ("What is a pre-trained model?", not "What does the article say
 * about pre-trained model?").
 */
export function conceptQuestion(concept: Pick<Concept, 'label' | 'gloss'>, language: Language): string {
  if (language === 'zh') return `${concept.label}是什么意思？`;
  const noun = englishNounPhrase(concept.gloss);
  return `What ${noun.plural ? 'are' : 'is'} ${noun.phrase}?`;
}

/** True when searching `question` finds one of the concept's own passages, i.e. the article answers it. */
export async function answersConcept(search: PassageSearch, concept: Concept, question: string): Promise<boolean> {
  const found = await search.search(question, { k: 3 });
  return found.covered && found.passages.some((passage) => concept.chunkIds.includes(passage.chunk.chunkId));
}

export interface StarterQuestion {
  readonly conceptId: string;
  readonly question: string;
}

/**
 * Starter questions for an empty chat: about the concepts the article dwells on most (most passages first, then
 * reading order), in the learner's language, each checked answerable by a real search. Computed once per concept map
 * and language.
 */
export function createStarterQuestions(deps: {
  readonly concepts: () => readonly Concept[];
  readonly passageSearch: PassageSearch;
  /** @default 3 */
  readonly count?: number;
}) {
  const count = deps.count ?? 3;
  const cache = new Map<Language, { concepts: readonly Concept[]; starters: Promise<StarterQuestion[]> }>();
  const compute = async (concepts: readonly Concept[], language: Language): Promise<StarterQuestion[]> => {
    const ranked = concepts
      .map((concept, order) => ({ concept, order }))
      .sort((left, right) => right.concept.chunkIds.length - left.concept.chunkIds.length || left.order - right.order)
      .map((entry) => entry.concept);
    const starters: StarterQuestion[] = [];
    for (const concept of ranked) {
      if (starters.length >= count) break;
      if (language === 'en' && concept.gloss.trim() === '') continue;
      const question = conceptQuestion(concept, language);
      if (await answersConcept(deps.passageSearch, concept, question)) starters.push({ conceptId: concept.id, question });
    }
    return starters;
  };
  return {
    starters(language: Language): Promise<StarterQuestion[]> {
      const concepts = deps.concepts();
      const cached = cache.get(language);
      if (cached?.concepts === concepts) return cached.starters;
      const starters = compute(concepts, language);
      // A failed search is not remembered: the next request tries again.
      starters.catch(() => cache.delete(language));
      cache.set(language, { concepts, starters });
      return starters;
    },
  };
}
