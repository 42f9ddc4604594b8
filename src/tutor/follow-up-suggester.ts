import type { ChunkRecord, Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import { ANSWER_KIND_TERMS, type TextAnalyzer } from '../retrieval/text-analyzer.js';
import { boundedMemo } from '../support/bounded-memo.js';
import { type IdleStepsReport, runInIdleSteps } from '../support/idle-steps.js';
import { buildConceptMap, type Concept, isGenericConcept } from './concept-map.js';
import { type CheckedQuestion, createNextQuestionCatalogue, NEXT_QUESTION_KINDS, type NextQuestionKind } from './next-questions.js';
import { isAnalogyChunk } from './offline/sentence-evidence.js';
import { detectQuestionIntent, type QuestionIntent } from './question-intent.js';
import type { ConversationTurn } from './tutor-types.js';

export interface FollowUpRequest {
  readonly language: Language;
  readonly history: readonly ConversationTurn[];
  /** Chunks the current answer cites; suggestions prefer the passages that come next and were not yet covered. */
  readonly citedChunkIds: readonly string[];
  /** The standalone query just answered; its topics are not suggested again. */
  readonly question: string;
}

export interface FollowUpSuggester {
  suggest(request: FollowUpRequest): Promise<string[]>;
  /**
   * Makes, in the background, every answerability check a suggestion can need on the index in use (each (kind,
   * topics, language) the catalogue can be asked for, one search each), so that no answer pays for one. One check per
   * turn of the event loop (`runInIdleSteps`): a request that arrives meanwhile waits for one search at most. Stops
   * when another index is swapped in (its checks would be of the old one); the same index is warmed once, and a
   * second call returns the first run.
   */
  warmUp(): Promise<IdleStepsReport>;
}

export interface FollowUpSuggesterSettings {
  /** Suggestions per answer. @default 3 */
  readonly count: number;
  /**
   * Candidate questions looked at per answer before giving up. Each is checked by a search once per index build (the
   * catalogue remembers the verdict), so after the first answers a suggestion costs no search. @default 24
   */
  readonly maxCandidates: number;
}

/**
 * The next-question kind a question of each intent asked. An aspect question ("有哪些共性？") is not the difference
 * itself, which stays a good next question.
 */
const KIND_OF_INTENT: Partial<Record<QuestionIntent, NextQuestionKind>> = {
  definition: 'definition',
  difference: 'difference',
  example: 'example',
  analogy: 'analogy',
  risk: 'risk',
  reason: 'reason',
  summary: 'summary',
};

/**
 * What a learner asks next about the same topic after an answer of each kind: after what a term is, how it differs
 * from the term the article contrasts it with (and what that one is), its example, its analogy; after a contrast, the
 * article's summary of it and the example; after an example, the analogy and the risk...
 */
const FOLLOWS: Readonly<Record<NextQuestionKind | 'other', readonly NextQuestionKind[]>> = {
  definition: ['difference', 'example', 'definition', 'analogy', 'risk'],
  difference: ['summary', 'example', 'analogy', 'risk'],
  example: ['analogy', 'risk', 'difference', 'reason'],
  analogy: ['example', 'difference', 'risk', 'definition'],
  risk: ['reason', 'example', 'difference', 'analogy'],
  reason: ['risk', 'example', 'difference', 'analogy'],
  summary: ['example', 'analogy', 'risk', 'reason'],
  other: ['definition', 'difference', 'example', 'analogy', 'risk', 'reason'],
};

/**
 * Whether asking the question leads to something the conversation has not cited: for a difference, one of the
 * passages found for its sides (its answer quotes both); for a summary, none of the article's summaries of it (read
 * one, read them); otherwise the best passage found with its evidence, the one the answer leads with.
 */
function leadsSomewhereNew(checked: CheckedQuestion, covered: ReadonlySet<string>): boolean {
  if (checked.kind === 'difference') return checked.foundTargetIds.some((chunkId) => !covered.has(chunkId));
  if (checked.kind === 'summary') return ![...checked.targetChunkIds].some((chunkId) => covered.has(chunkId));
  return !covered.has(checked.foundTargetIds[0] as string);
}

interface Candidate {
  readonly kind: NextQuestionKind;
  readonly topics: readonly string[];
  /** `keyOf(kind, topics)`, made once with the candidate (candidates are remembered per index). */
  readonly key: string;
}

/** The languages a learner is answered in: each gets its own phrasing of a suggestion, hence its own check. */
const WARM_LANGUAGES: readonly Language[] = ['zh', 'en'];

/** A question without spaces and punctuation, lower case; remembered, as every turn normalises the whole history again. */
const normalise = boundedMemo(2000, (text: string): string => text.replace(/[\s?？!！。.,，]/g, '').toLowerCase());
/** detectQuestionIntent, remembered: every suggestion reads the intent of every question of the conversation again. */
const intentOf = boundedMemo(2000, (text: string): QuestionIntent => detectQuestionIntent(text));
const keyOf = (kind: NextQuestionKind, topics: readonly string[]): string =>
  `${kind}:${(kind === 'difference' || kind === 'summary' ? [...topics].sort() : topics).join('+')}`;

/**
 * Suggests next questions a learner would want to ask, in the learner's language, each a question kind (what it is, how
 * it differs, the example, the analogy, the risk, the reason, the summary) phrased by a generic template
 * (`next-questions.ts`). They come from three places in turn: the topic just answered (the other side of a contrast,
 * its example...), the concepts of the passages next to those just cited, and the concepts the conversation has not
 * covered. Each is checked answerable (its search is covered and finds a passage holding the kind's evidence) and must
 * lead to a passage the conversation has not cited yet. Never a question already asked, a kind already asked about the
 * same topics, or a suggestion shown under either of the last two answers.
 */
/** Fewer suggestions than this, and those shown under the answer before last may be offered again. */
const MIN_SUGGESTIONS = 2;

export function createFollowUpSuggester(deps: {
  readonly passageSearch: PassageSearch;
  readonly analyzer: TextAnalyzer;
  readonly settings?: Partial<FollowUpSuggesterSettings>;
}): FollowUpSuggester {
  const settings: FollowUpSuggesterSettings = { count: 3, maxCandidates: 24, ...deps.settings };
  const { analyzer, passageSearch } = deps;
  const catalogue = createNextQuestionCatalogue({ passageSearch, glossary: () => analyzer.glossary.terms });

  /**
   * Per index build: its concepts, which terms are the analogy's figure (every passage using them is an analogy
   * passage), each passage's position, and what every answer would otherwise work out again (the subjects a text
   * names, the candidates about a topic): an answer then allocates little beyond its own suggestions.
   */
  interface IndexState {
    readonly concepts: Concept[];
    readonly figures: Map<string, boolean>;
    readonly positionOf: ReadonlyMap<string, number>;
    readonly subjectsOfText: (text: string) => readonly string[];
    readonly candidatesAbout: Map<string, readonly Candidate[]>;
    subjects?: string[];
  }
  const byIndex = new WeakMap<readonly ChunkRecord[], IndexState>();
  function indexState(chunks: readonly ChunkRecord[]): IndexState {
    let state = byIndex.get(chunks);
    if (!state)
      byIndex.set(
        chunks,
        (state = {
          concepts: buildConceptMap(chunks, analyzer.glossary.terms),
          figures: new Map(),
          positionOf: new Map(chunks.map((chunk, position) => [chunk.chunkId, position])),
          subjectsOfText: boundedMemo(2000, (text: string) => findSubjects(chunks, text)),
          candidatesAbout: new Map(),
        }),
      );
    return state;
  }
  function isFigure(chunks: readonly ChunkRecord[], term: string): boolean {
    const { figures } = indexState(chunks);
    let figure = figures.get(term);
    if (figure === undefined) {
      const using = chunks.filter((chunk) => chunk.text.includes(term));
      figures.set(term, (figure = using.length > 0 && using.every(isAnalogyChunk)));
    }
    return figure;
  }

  /** The subjects a text names: specific glossary terms (not 区别, 任务, nor the analogy's 烹饪), longest first. */
  const subjectsOf = (chunks: readonly ChunkRecord[], text: string): readonly string[] => indexState(chunks).subjectsOfText(text);
  function findSubjects(chunks: readonly ChunkRecord[], text: string): readonly string[] {
    const found = analyzer
      .findGlossaryTerms(text)
      .filter((term: GlossaryTerm) => [...term.zh].length >= 2 && !isGenericConcept(term.zh) && !ANSWER_KIND_TERMS.has(term.zh));
    const lower = text.toLowerCase();
    const specific = found.filter((term) => !found.some((other) => other !== term && other.zh.includes(term.zh)));
    // Where the text first names each term, worked out once per term rather than at every comparison.
    const position = new Map(
      specific.map((term) => [
        term,
        Math.min(...[term.zh, ...term.en].map((form) => lower.indexOf(form)).filter((index) => index >= 0), Number.MAX_SAFE_INTEGER),
      ]),
    );
    // In the order the text names them: the first is what a question is about.
    return specific
      .sort((left, right) => (position.get(left) as number) - (position.get(right) as number))
      .map((term) => term.zh)
      .filter((term) => !isFigure(chunks, term));
  }

  /**
   * The subjects of the corpus a learner is meant to learn, in reading order: terms the article defines or explains
   * with its analogy ("预训练模型:就像是…厨师"), and terms its titles or headings contrast (模型应用 of "模型应用与大模型微调的区别"). A concept with neither (特定任务,
   * 上下文) is a word of the subject, not one: "What reasons does the article give for context?" asks nothing.
   */
  function subjectTerms(chunks: readonly ChunkRecord[]): string[] {
    const state = indexState(chunks);
    if (!state.subjects) {
      const order = new Map(chunks.map((chunk, position) => [chunk.chunkId, position]));
      const firstUse = (term: string): number => {
        const first = chunks.find((chunk) => chunk.text.includes(term) || chunk.headingPath.some((heading) => heading.includes(term)));
        return first ? (order.get(first.chunkId) ?? 0) : Number.MAX_SAFE_INTEGER;
      };
      const named = [...state.concepts.map((concept) => concept.id), ...analyzer.glossary.terms.map((term) => term.zh)];
      state.subjects = [...new Set(named)]
        .filter((term) => !isFigure(chunks, term) && !isGenericConcept(term))
        .filter(
          (term) =>
            catalogue.partnersOf(term).length > 0 ||
            catalogue.hasEvidence('definition', [term]) ||
            catalogue.hasEvidence('analogy', [term]),
        )
        .sort((left, right) => firstUse(left) - firstUse(right));
      // 预训练 inside 预训练模型: its evidence is the longer term's.
      const all = state.subjects;
      state.subjects = all.filter((term) => !all.some((other) => other !== term && other.includes(term)));
    }
    return state.subjects;
  }

  /** The candidates about one topic, kinds in the given order: a difference or summary with each term it is contrasted with. */
  function aboutTopic(topic: string, kinds: readonly NextQuestionKind[]): readonly Candidate[] {
    const { candidatesAbout } = indexState(passageSearch.allChunks());
    const key = `${topic}\u0000${kinds.join()}`;
    let candidates = candidatesAbout.get(key);
    if (!candidates) candidatesAbout.set(key, (candidates = candidatesOf(topic, kinds)));
    return candidates;
  }
  function candidatesOf(topic: string, kinds: readonly NextQuestionKind[]): Candidate[] {
    const partners = catalogue.partnersOf(topic);
    return kinds.flatMap((kind): Candidate[] => {
      const about = (topics: readonly string[]): Candidate => ({ kind, topics, key: keyOf(kind, topics) });
      if (kind === 'difference' || kind === 'summary') return partners.map((partner) => about([topic, partner]));
      if (kind === 'definition') return [about([topic]), ...partners.map((partner) => about([partner]))];
      return [about([topic])];
    });
  }

  /**
   * Every check `suggest` can ask the catalogue for on an index: any subject a question can name (the glossary terms
   * `subjectsOf` keeps), each kind about it, in both languages; the article's subjects in reading order first.
   */
  function* warmUpSteps(chunks: readonly ChunkRecord[]): Generator<() => unknown> {
    const subjects = subjectTerms(chunks);
    const named = analyzer.glossary.terms
      .map((term) => term.zh)
      .filter((term) => [...term].length >= 2 && !isGenericConcept(term) && !ANSWER_KIND_TERMS.has(term) && !isFigure(chunks, term));
    const seen = new Set<string>();
    for (const topic of new Set([...subjects, ...named])) {
      for (const candidate of aboutTopic(topic, NEXT_QUESTION_KINDS)) {
        // In the order given: "调教和微调…" is another question (and check) than "微调和调教…".
        const key = `${candidate.kind}:${candidate.topics.join('+')}`;
        if (seen.has(key) || !catalogue.hasEvidence(candidate.kind, candidate.topics)) continue;
        seen.add(key);
        for (const language of WARM_LANGUAGES) yield () => catalogue.checked(candidate.kind, candidate.topics, language);
      }
    }
  }
  const warmUps = new WeakMap<readonly ChunkRecord[], Promise<IdleStepsReport>>();

  return {
    warmUp() {
      const chunks = passageSearch.allChunks();
      let running = warmUps.get(chunks);
      if (!running)
        warmUps.set(chunks, (running = runInIdleSteps(warmUpSteps(chunks), { shouldStop: () => passageSearch.allChunks() !== chunks })));
      return running;
    },
    async suggest(request) {
      const chunks = passageSearch.allChunks();
      const { positionOf } = indexState(chunks);
      const covered = new Set([...request.history.flatMap((turn) => turn.citedChunkIds), ...request.citedChunkIds]);
      const askedTexts = [...request.history.flatMap((turn) => [turn.question, turn.searchedFor]), request.question];
      // Suggestions shown under the last two answers rest: the learner saw them and chose another (one suggestion under
      // every other answer reads as a loop). Those of the answer before last come back only when too few are left.
      const lastFollowUps = request.history[request.history.length - 1]?.followUps ?? [];
      const restingFollowUps = request.history.slice(-2).flatMap((turn) => turn.followUps ?? []);
      // Never a question asked, nor one resting.
      const excludedBy = (shown: readonly string[]) => new Set([...askedTexts, ...shown].map(normalise));
      // Nor a kind of question already asked about the same topics ("微调和调教有什么区别？" after "调教和微调的区别").
      const askedKinds = new Set(
        askedTexts.flatMap((text) => {
          const kind = KIND_OF_INTENT[intentOf(text)];
          const topics = subjectsOf(chunks, text);
          return kind ? [keyOf(kind, topics), ...(kind === 'difference' ? [] : topics.map((topic) => keyOf(kind, [topic])))] : [];
        }),
      );
      const askedTopics = new Set(askedTexts.flatMap((text) => subjectsOf(chunks, text)));
      // A suggestion shown in other words ("调教和微调…" for "微调和调教…") is the same one.
      const kindsOf = (shown: readonly string[]) =>
        new Set(
          shown.flatMap((text) => {
            const kind = KIND_OF_INTENT[intentOf(text)];
            return kind ? [keyOf(kind, subjectsOf(chunks, text))] : [];
          }),
        );
      let excludedQuestions = excludedBy(restingFollowUps);
      let shownKinds = kindsOf(restingFollowUps);

      // 1. The topic just answered: what a learner asks next after this kind of answer.
      const inPlay = subjectsOf(chunks, request.question).slice(0, 2);
      const currentKind = KIND_OF_INTENT[intentOf(request.question)] ?? 'other';
      // Then the other kinds about it, so a topic with more to say still gets suggestions when those were shown or asked.
      const topical = inPlay.flatMap((topic) => aboutTopic(topic, [...new Set([...FOLLOWS[currentKind], ...NEXT_QUESTION_KINDS])]));
      // 2. The passages next to those just cited (the next one in the same document, then the one before): their subjects.
      const subjects = subjectTerms(chunks);
      const neighbourTopics: string[] = [];
      for (const chunkId of request.citedChunkIds) {
        const position = positionOf.get(chunkId);
        if (position === undefined) continue;
        const chunk = chunks[position] as ChunkRecord;
        for (const step of [1, -1]) {
          const next = chunks[position + step];
          if (!next || next.documentId !== chunk.documentId || covered.has(next.chunkId)) continue;
          for (const topic of subjectsOf(chunks, next.text))
            if (subjects.includes(topic) && !askedTopics.has(topic) && !neighbourTopics.includes(topic)) neighbourTopics.push(topic);
        }
      }
      const neighbouring = neighbourTopics.flatMap((topic) => aboutTopic(topic, NEXT_QUESTION_KINDS));
      // 3. Subjects the conversation has not asked about, in reading order; then the kinds not yet asked about the others.
      const fresh = [...subjects.filter((topic) => !askedTopics.has(topic)), ...subjects.filter((topic) => askedTopics.has(topic))].flatMap(
        (topic) => aboutTopic(topic, NEXT_QUESTION_KINDS),
      );

      // Take from the three in turn, so the suggestions both go deeper, continue the reading and open new concepts.
      const sources = [topical, neighbouring, fresh];
      const positions = sources.map(() => 0);
      const suggestions: string[] = [];
      const accepted = new Set<string>();
      const acceptedTopics = new Set<string>();
      let looked = 0;
      // First each topic once outside the one in play; then, if that left room, any question not yet taken.
      let oneEach = true;
      // Third, only when fewer than two were found: the answer before last's suggestions may come back.
      for (const pass of [1, 2, 3]) {
        if (pass === 3) {
          if (suggestions.length >= MIN_SUGGESTIONS || restingFollowUps.length === lastFollowUps.length) break;
          excludedQuestions = excludedBy(lastFollowUps);
          shownKinds = kindsOf(lastFollowUps);
          // A fresh budget: the first passes may have spent it on the resting ones.
          looked = 0;
        }
        if (pass >= 2) {
          oneEach = false;
          positions.fill(0);
        }
        while (suggestions.length < settings.count && looked < settings.maxCandidates) {
          let progressed = false;
          for (const [index, source] of sources.entries()) {
            if (suggestions.length >= settings.count || looked >= settings.maxCandidates) break;
            const found = await nextAcceptable(source, index);
            if (found) {
              suggestions.push(found.question);
              accepted.add(keyOf(found.kind, found.topics));
              if (index > 0) for (const topic of found.topics) acceptedTopics.add(topic);
              progressed = true;
            }
          }
          if (!progressed) break;
        }
      }
      return suggestions;

      async function nextAcceptable(source: readonly Candidate[], index: number): Promise<CheckedQuestion | undefined> {
        while ((positions[index] as number) < source.length && looked < settings.maxCandidates) {
          const candidate = source[positions[index] as number] as Candidate;
          positions[index] = (positions[index] as number) + 1;
          const { key } = candidate;
          if (askedKinds.has(key) || shownKinds.has(key) || accepted.has(key)) continue;
          if (oneEach && index > 0 && candidate.topics.some((topic) => acceptedTopics.has(topic))) continue;
          if (!catalogue.hasEvidence(candidate.kind, candidate.topics)) continue;
          looked += 1;
          const checked = await catalogue.checked(candidate.kind, candidate.topics, request.language);
          if (!checked || excludedQuestions.has(normalise(checked.question))) continue;
          if (!leadsSomewhereNew(checked, covered)) continue;
          return checked;
        }
        return undefined;
      }
    },
  };
}
