import type { ChunkRecord } from '../../ingest/chunk-types.js';
import type { GlossaryTerm } from '../../ingest/glossary.js';
import { SHARED_HEADING, SHARED_QUESTION } from '../../retrieval/evidence-cues.js';
import { createKeyTermSeparator } from '../../retrieval/key-term-spacing.js';
import type { PassageSearch, RetrievedPassage } from '../../retrieval/retrieval-types.js';
import { ANSWER_KIND_TERMS, type TextAnalyzer } from '../../retrieval/text-analyzer.js';
import { boundedMemo } from '../../support/bounded-memo.js';
import { answerLanguage } from '../answer-language.js';
import { isGenericConcept } from '../concept-map.js';
import { analogyQuery, explainAgainOf } from '../explain-request.js';
import { alreadyTold, asksForMore } from '../follow-up-references.js';
import type { StandaloneQueryResolver } from '../follow-up-resolver.js';
import type { FollowUpSuggester } from '../follow-up-suggester.js';
import { PAIR_WORDS } from '../pair-reference.js';
import { detectQuestionIntent, isQuestionFrameWord } from '../question-intent.js';
import type { TutorAnswer, TutorAnswerer, TutorQuestion } from '../tutor-types.js';
import { answerPieces, layOut } from './answer-layout.js';
import { planAnswer } from './answer-plans.js';
import { composeChinese } from './compose-chinese.js';
import { composeEnglish } from './compose-english.js';
import { titleSides } from './contrast-sides.js';
import { composeNotCovered } from './not-covered.js';
import { kindFor } from './plan-kind.js';
import type { PlanKind, PlanSettings } from './plan-types.js';
import { renderedSentence, renderingOfSentences } from './rendering.js';
import {
  definitionPatternFor,
  isAnalogyChunk,
  isSummaryChunk,
  labelsOf,
  passageSentenceSpans,
  plain,
  scoreSentences,
} from './sentence-evidence.js';
import { STRONG_CUES } from './statement-plans.js';
import { termSpan } from './term-spans.js';
import { claimTerms, isBareWhy } from './why-of-answer.js';

export interface OfflineAnswerSettings extends PlanSettings {
  /** Passages retrieved for the question itself (each plan may add passages it looks up per topic). @default 4 */
  readonly passagesToRead: number;
}

export const defaultOfflineAnswerSettings: OfflineAnswerSettings = {
  maxSentences: 4,
  maxQuotedChars: 420,
  passagesToRead: 4,
  redundancyThreshold: 0.5,
  minCoverageGain: 0.15,
};

export interface OfflineTutorAnswererDeps {
  readonly passageSearch: PassageSearch;
  readonly analyzer: TextAnalyzer;
  readonly resolveStandaloneQuery: StandaloneQueryResolver;
  readonly followUpSuggester: FollowUpSuggester;
  readonly settings?: Partial<OfflineAnswerSettings>;
  /**
   * The question as the tutor reads it, typos corrected (`QueryUnderstanding.correct`): what the kind of question and
   * the plans read, so 捧饪是什么 is asked as 烹饪是什么 is, not only searched so.
   * @default the question as given
   */
  readonly readQuestion?: (question: string) => string;
}

/** Kinds whose plans look beyond the retrieved passages: at each topic's own passages, its definition, the summaries. */
const WIDE_KINDS = new Set<PlanKind>([
  'difference',
  'aspect',
  'definition',
  'simpler',
  'example',
  'analogy',
  'which',
  'summary',
  'yesno',
  'reason',
  'risk',
]);

/**
 * Whether a term the question names stands inside another's name where the two overlap, the other's gloss naming it:
 * "use a pretrained model as-is" names 预训练模型 and 模型应用 ("model as-is") at once, and 模型应用 is "using a
 * pre-trained model as is". The question asks about 模型应用; 预训练模型 is part of its name.
 */
function partOf(query: string, term: GlossaryTerm, other: GlossaryTerm): boolean {
  const span = termSpan(query, term);
  const otherSpan = termSpan(query, other);
  if (!span || !otherSpan || span.end <= otherSpan.start || otherSpan.end <= span.start) return false;
  const gloss = other.gloss.toLowerCase();
  return term.en.some((form) => gloss.includes(form.toLowerCase()));
}

/** A follow-up resolved by putting the previous topic beside it: "能举个例子吗？（微调）", "Why? (tuning)". */
const BESIDE = /[（(][^（()）]+[)）]$/;

/**
 * The offline answerer: extractive and planned. It retrieves passages for the standalone query, scores their sentences
 * with the passage as context, and lets the plan for the kind of question (src/tutor/offline/answer-plans.ts) choose
 * and order the evidence: both sides of a contrast and the article's summary, the example first, the verdict of a
 * yes/no question... Connecting words are generic frames in the learner's language; every content sentence is the
 * article's own (or its aligned English rendering, for English learners) with the marker of its passage. Nothing is
 * generated.
 */
export function createOfflineTutorAnswerer(deps: OfflineTutorAnswererDeps): TutorAnswerer {
  const settings: OfflineAnswerSettings = { ...defaultOfflineAnswerSettings, ...deps.settings };
  const { analyzer, passageSearch } = deps;
  const bigrams = boundedMemo(5000, (text: string): ReadonlySet<string> => new Set(analyzer.characterBigrams(text)));
  const tokensOf = boundedMemo(5000, (text: string): ReadonlySet<string> => new Set(analyzer.tokenize(text)));
  // The question's words are cut with its glossary terms set apart, as retrieval cuts them: jieba glues a term's last
  // character to the next word (学习率指什么 → 学习/率指), and the term would weigh as its other piece (学习) alone.
  const separateKeyTerms = createKeyTermSeparator(
    analyzer.glossary.terms
      .map((term) => term.zh)
      .filter((zh) => /[\u3400-\u9fff]/.test(zh))
      .sort((left, right) => right.length - left.length),
  );
  /** Passages that define a term, per index build (keyed by its chunk list, which a rebuilt index replaces). */
  const definingByIndex = new WeakMap<readonly ChunkRecord[], Map<string, ChunkRecord[]>>();
  function definingChunks(chunks: readonly ChunkRecord[], term: string): ChunkRecord[] {
    let byTerm = definingByIndex.get(chunks);
    if (!byTerm) definingByIndex.set(chunks, (byTerm = new Map()));
    let found = byTerm.get(term);
    if (!found) {
      const pattern = definitionPatternFor(labelsOf(term));
      found = pattern
        ? chunks.filter((chunk) =>
            passageSentenceSpans(chunk).some((span) =>
              pattern.test(plain(chunk.text.slice(span.start - chunk.start, span.end - chunk.start))),
            ),
          )
        : [];
      byTerm.set(term, found);
    }
    return found;
  }

  /** Passages that name a term (or its head word) and state a cause or a risk (STRONG_CUES), per index build. */
  const cuedByIndex = new WeakMap<readonly ChunkRecord[], Map<string, ChunkRecord[]>>();
  function cuedChunks(chunks: readonly ChunkRecord[], kind: 'reason' | 'risk', term: string): ChunkRecord[] {
    let byKey = cuedByIndex.get(chunks);
    if (!byKey) cuedByIndex.set(chunks, (byKey = new Map()));
    const key = `${kind}:${term}`;
    let found = byKey.get(key);
    if (!found) {
      const labels = labelsOf(term);
      found = chunks.filter((chunk) => STRONG_CUES[kind].test(chunk.text) && labels.some((label) => chunk.text.includes(label)));
      byKey.set(key, found);
    }
    return found;
  }

  const labelsByGlossary = new WeakMap<readonly GlossaryTerm[], ReadonlyMap<string, GlossaryTerm>>();
  /** Every label of the glossary's terms and the term it names: a term's own name wins over a compound's head word. */
  function termLabelsOf(terms: readonly GlossaryTerm[]): ReadonlyMap<string, GlossaryTerm> {
    let labels = labelsByGlossary.get(terms);
    if (!labels) {
      const byLabel = new Map<string, GlossaryTerm>(terms.map((term) => [term.zh, term]));
      for (const term of terms) for (const label of labelsOf(term.zh)) if (!byLabel.has(label)) byLabel.set(label, term);
      labelsByGlossary.set(terms, (labels = byLabel));
    }
    return labels;
  }

  /** The labels alone, as a set: per glossary, not per answer. */
  const labelSets = new WeakMap<readonly GlossaryTerm[], ReadonlySet<string>>();
  function labelSetOf(terms: readonly GlossaryTerm[]): ReadonlySet<string> {
    let labels = labelSets.get(terms);
    if (!labels) labelSets.set(terms, (labels = new Set(termLabelsOf(terms).keys())));
    return labels;
  }

  /** Each passage's position in the corpus, per index build. */
  const orderByIndex = new WeakMap<readonly ChunkRecord[], ReadonlyMap<string, number>>();
  function readingOrderOf(chunks: readonly ChunkRecord[]): ReadonlyMap<string, number> {
    let order = orderByIndex.get(chunks);
    if (!order) orderByIndex.set(chunks, (order = new Map(chunks.map((chunk, position) => [chunk.chunkId, position]))));
    return order;
  }

  /** Whether some passage of the corpus contains a text: remembered per index for the latest words asked about. */
  const usesByIndex = new WeakMap<readonly ChunkRecord[], (text: string) => boolean>();
  function corpusUsesOf(chunks: readonly ChunkRecord[]): (text: string) => boolean {
    let uses = usesByIndex.get(chunks);
    if (!uses) usesByIndex.set(chunks, (uses = boundedMemo(2000, (text: string) => chunks.some((chunk) => chunk.text.includes(text)))));
    return uses;
  }

  /** Whether some passage names both terms, in its text, headings or title (memoised per index build). */
  const togetherByIndex = new WeakMap<readonly ChunkRecord[], Map<string, boolean>>();
  function namedTogether(chunks: readonly ChunkRecord[], left: GlossaryTerm, right: GlossaryTerm): boolean {
    let byPair = togetherByIndex.get(chunks);
    if (!byPair) togetherByIndex.set(chunks, (byPair = new Map()));
    const key = `${left.zh}\u0000${right.zh}`;
    let together = byPair.get(key);
    if (together === undefined) {
      const names = (chunk: ChunkRecord, term: GlossaryTerm): boolean =>
        chunk.text.includes(term.zh) || chunk.title.includes(term.zh) || chunk.headingPath.some((heading) => heading.includes(term.zh));
      together = chunks.some((chunk) => names(chunk, left) && names(chunk, right));
      byPair.set(key, together);
    }
    return together;
  }

  /** Whether a term is the article's figure of speech (烹饪, 炖牛肉): every passage that uses it is an analogy passage. */
  const vehicleByIndex = new WeakMap<readonly ChunkRecord[], Map<string, boolean>>();
  function isVehicle(chunks: readonly ChunkRecord[], term: string): boolean {
    let byTerm = vehicleByIndex.get(chunks);
    if (!byTerm) vehicleByIndex.set(chunks, (byTerm = new Map()));
    let vehicle = byTerm.get(term);
    if (vehicle === undefined) {
      const using = chunks.filter((chunk) => chunk.text.includes(term));
      vehicle = using.length > 0 && using.every(isAnalogyChunk);
      byTerm.set(term, vehicle);
    }
    return vehicle;
  }

  /**
   * The topics the article's analogy speaks of (微调, 调教, 预训练模型), of those given: an analogy asked for 过拟合, which
   * the cooking story never mentions, is the story itself, not a figure for overfitting the article does not draw.
   */
  function inTheAnalogy(topics: readonly GlossaryTerm[]): GlossaryTerm[] {
    const analogy = passageSearch.allChunks().filter(isAnalogyChunk);
    return topics.filter((topic) => analogy.some((chunk) => labelsOf(topic.zh).some((label) => chunk.text.includes(label))));
  }

  /**
   * The article's figure of speech: the vehicle term (烹饪) the headings of the most analogy passages name, per index
   * build; undefined for a corpus without one.
   */
  const figureByIndex = new WeakMap<readonly ChunkRecord[], { term?: GlossaryTerm }>();
  function figureOf(chunks: readonly ChunkRecord[]): GlossaryTerm | undefined {
    let figure = figureByIndex.get(chunks);
    if (!figure) {
      const headings = chunks.filter(isAnalogyChunk).map((chunk) => chunk.headingPath.join(' '));
      const named = analyzer.glossary.terms
        .filter((term) => isVehicle(chunks, term.zh))
        .map((term) => ({ term, count: headings.filter((heading) => heading.includes(term.zh)).length }))
        .filter(({ count }) => count > 0)
        .sort((left, right) => right.count - left.count);
      figureByIndex.set(chunks, (figure = named[0] ? { term: named[0].term } : {}));
    }
    return figure.term;
  }

  /**
   * The question's topics: glossary terms that name a subject (not 区别 or 时间), longer names first, in question order.
   * A term right before another one modifies it ("大模型微调" is about 微调), and the analogy's own words (烹饪, 厨师) are
   * its figure, not its subject: they come back as `vehicles`, which the analogy and example plans use to find the figure.
   */
  function topicsOf(query: string): { topics: GlossaryTerm[]; vehicles: GlossaryTerm[] } {
    const found = analyzer.findGlossaryTerms(query).filter((term) => !ANSWER_KIND_TERMS.has(term.zh) && !isGenericConcept(term.zh));
    const specific = found.filter(
      (term) => !found.some((other) => other !== term && (other.zh.includes(term.zh) || partOf(query, term, other))),
    );
    const ordered = specific
      .map((term) => ({ term, span: termSpan(query, term) }))
      .sort((left, right) => (left.span?.start ?? Number.MAX_SAFE_INTEGER) - (right.span?.start ?? Number.MAX_SAFE_INTEGER));
    const heads = ordered.filter(
      ({ span }, index) =>
        !(span && /[\u3400-\u9fff]$/.test(query.slice(span.start, span.end)) && ordered[index + 1]?.span?.start === span.end),
    );
    const chunks = passageSearch.allChunks();
    const topics: GlossaryTerm[] = [];
    const vehicles: GlossaryTerm[] = [];
    for (const { term } of heads) (isVehicle(chunks, term.zh) ? vehicles : topics).push(term);
    return { topics, vehicles };
  }

  async function poolFor(kind: PlanKind, query: string, topics: readonly GlossaryTerm[], retrieved: readonly RetrievedPassage[]) {
    const passages: RetrievedPassage[] = [...retrieved];
    const seen = new Set(retrieved.map((passage) => passage.chunk.chunkId));
    const add = (chunk: ChunkRecord): void => {
      if (seen.has(chunk.chunkId)) return;
      seen.add(chunk.chunkId);
      passages.push({ chunk, score: 0 });
    };
    if (!WIDE_KINDS.has(kind)) return passages;
    const chunks = passageSearch.allChunks();
    for (const topic of topics.slice(0, 2)) {
      for (const passage of (await passageSearch.search(topic.zh, { k: 3 })).passages) add(passage.chunk);
      for (const chunk of definingChunks(chunks, topic.zh)) add(chunk);
      // A reason or a risk of the topic may stand in any section (the comparison bullets): those that state one.
      if (kind === 'reason' || kind === 'risk') for (const chunk of cuedChunks(chunks, kind, topic.zh)) add(chunk);
    }
    const documents = new Set(passages.map((passage) => passage.chunk.documentId));
    const shared = (kind === 'aspect' || kind === 'difference' || kind === 'yesno') && SHARED_QUESTION.test(query);
    for (const chunk of chunks) {
      if (documents.has(chunk.documentId) && isSummaryChunk(chunk)) add(chunk);
      if (kind === 'analogy' && isAnalogyChunk(chunk)) add(chunk);
      // What two things share is told in a section headed so ("共性"), whatever words the question used for it.
      if (shared && documents.has(chunk.documentId) && chunk.headingPath.some((heading) => SHARED_HEADING.test(heading))) add(chunk);
    }
    return passages;
  }

  return {
    async answer(input: TutorQuestion): Promise<TutorAnswer> {
      const history = input.history ?? [];
      // A typed "explain it more simply" / "用中文" explains the previous answer again, as the buttons do.
      const again = input.style === undefined && input.language === undefined ? explainAgainOf(input.question, history) : undefined;
      const language = answerLanguage(input.question, history, analyzer.detectLanguage, input.language ?? again?.language);
      const style = input.style ?? again?.style;
      const explained = again ? again.query : deps.resolveStandaloneQuery(input.question, history);
      // Explained with an analogy: the figure's passages on the explained topics are searched, not the question's.
      const searchedFor =
        style === 'analogy'
          ? (analogyQuery(inTheAnalogy(topicsOf(explained).topics), figureOf(passageSearch.allChunks()), language) ?? explained)
          : explained;
      // The plans read the question as searched: its pinyin typos corrected (捧饪 → 烹饪), as the search reads it.
      const read = (text: string): string => deps.readQuestion?.(text) ?? text;
      const question = read(input.question);
      const asked = again ? 'general' : detectQuestionIntent(question);
      const intent = asked === 'general' ? detectQuestionIntent(searchedFor) : asked;
      const retrieval = await passageSearch.search(searchedFor, { k: settings.passagesToRead });
      input.signal?.throwIfAborted();

      const notCovered = async (): Promise<TutorAnswer> => {
        const answer = composeNotCovered(language, passageSearch.allChunks(), analyzer);
        const followUps = await deps.followUpSuggester.suggest({ language, history, citedChunkIds: [], question: searchedFor });
        input.onDelta?.(answer);
        return { answer, citations: [], followUps, grounded: false, searchedFor, mode: 'offline', language };
      };
      if (!retrieval.covered) return notCovered();

      const named = topicsOf(searchedFor);
      const { vehicles } = named;
      // "这两个词有什么区别？" with no topic named: the two terms of the best passage's document title.
      const best = retrieval.passages[0]?.chunk;
      const topics =
        named.topics.length === 0 && best && PAIR_WORDS.test(searchedFor) ? titleSides(best.title, analyzer.glossary.terms) : named.topics;
      const kind: PlanKind = style ?? kindFor(intent, searchedFor, topics);
      // Words that only frame the question (什么, 指, 例子, 区别) say nothing about which sentence answers it.
      const ownTerms = [...new Set(analyzer.tokenizeQuery(separateKeyTerms(searchedFor)))].filter((term) => !isQuestionFrameWord(term));
      const passages = await poolFor(kind, searchedFor, topics.length > 0 ? topics : vehicles, retrieval.passages);
      input.signal?.throwIfAborted();
      const bridges = new Map((retrieval.bridges ?? []).map((bridge) => [bridge.word, bridge.terms] as const));
      const scoring = { bridges, intent: kind === 'simpler' ? ('definition' as const) : kind, analyzer, tokensOf };
      const renderings = language === 'en' ? { renderingOf: renderingOfSentences } : {};
      const scoreFor = (terms: string[]) => scoreSentences(passages, { queryTerms: terms, ...scoring, ...renderings });
      // A bare "为什么？" right after an answer asks why of what it said: that answer's claim is asked beside the topic.
      const claim = isBareWhy(kind, analyzer.tokenize(question))
        ? claimTerms(scoreFor(ownTerms), history, (text) => analyzer.tokenizeQuery(separateKeyTerms(text)))
        : [];
      const queryTerms = [...new Set([...ownTerms, ...claim])];
      const scored = scoreFor(queryTerms);
      // "再详细点", "Can you say more?": what the previous answer did not already say, while there is some.
      const told = asksForMore(analyzer, question, history) ? history[history.length - 1]?.answer : undefined;
      const fresh = told ? scored.filter((sentence) => !alreadyTold(told, [sentence.text, renderedSentence(sentence)])) : scored;
      const pool = fresh.length > 0 ? fresh : scored;
      const planned = planAnswer(
        {
          kind,
          query: searchedFor,
          topics,
          vehicles,
          termLabels: labelSetOf(analyzer.glossary.terms),
          termOf: (label) => termLabelsOf(analyzer.glossary.terms).get(label),
          glossary: analyzer.glossary.terms,
          queryTerms,
          bridges,
          pool,
          retrievedIds: new Set(retrieval.passages.map((passage) => passage.chunk.chunkId)),
          order: readingOrderOf(passageSearch.allChunks()),
          corpusUses: corpusUsesOf(passageSearch.allChunks()),
          ...(retrieval.standIns ? { standIns: retrieval.standIns } : {}),
          settings,
          bigrams,
        },
        // A follow-up rewritten into a question of its own ("Does fine-tuning too?" → "Does fine-tuning need a GPU?") is
        // read as that question; one that only had its topic put beside it ("举个例子（微调）") as the learner put it.
        again || BESIDE.test(searchedFor) || searchedFor === input.question ? question : read(searchedFor),
      );
      // Two terms no passage names together ("深度学习和机器学习有什么区别？"): the article does not compare them.
      const [left, right] = planned.topics;
      const contrasting = planned.kind === 'difference' || planned.kind === 'aspect';
      const plan =
        contrasting && left && right && !namedTogether(passageSearch.allChunks(), left, right)
          ? { ...planned, unpaired: true, sameness: false }
          : planned;
      const { blocks, citations } = layOut(plan);
      if (citations.length === 0) return notCovered();
      const quotedText = blocks
        .flatMap((block) => block.groups.flatMap((group) => group.sentences.map((sentence) => sentence.text)))
        .join('');
      const answer =
        language === 'zh' ? composeChinese(plan, blocks) : composeEnglish(plan, blocks, analyzer.findGlossaryTerms(quotedText));

      const followUps = await deps.followUpSuggester.suggest({
        language,
        history,
        citedChunkIds: citations.map((citation) => citation.chunkId),
        question: searchedFor,
      });
      if (input.onDelta) for (const piece of answerPieces(answer)) input.onDelta(piece);
      return { answer, citations, followUps, grounded: true, searchedFor, mode: 'offline', language };
    },
  };
}
