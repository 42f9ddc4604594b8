import type { ChunkRecord, Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import { type SentenceSpan, splitSentences } from '../ingest/sentence-splitter.js';
import type { PassageSearch, RetrievedPassage } from '../retrieval/retrieval-types.js';
import type { TextAnalyzer } from '../retrieval/text-analyzer.js';
import { citationFromChunk } from './citation-builder.js';
import type { StandaloneQueryResolver } from './follow-up-resolver.js';
import type { FollowUpSuggester } from './follow-up-suggester.js';
import { detectQuestionIntent, INTENT_SENTENCE_CUES, type QuestionIntent } from './question-intent.js';
import type { Citation, ExplanationStyle, TutorAnswer, TutorAnswerer, TutorQuestion } from './tutor-types.js';

export interface OfflineAnswerSettings {
  /** Most sentences quoted in one answer. @default 4 */
  readonly maxSentences: number;
  /** Most characters of quoted corpus text in one answer. @default 380 */
  readonly maxQuotedChars: number;
  /** Passages retrieved to choose sentences from. @default 4 */
  readonly passagesToRead: number;
  /** Sentences whose character bigrams overlap an already chosen one by more than this share are repeats. @default 0.5 */
  readonly redundancyThreshold: number;
  /** Favour short sentences and summary sections (the "simpler" explanation). @default false */
  readonly preferShort?: boolean;
}

const ANALOGY_HEADING = /烹饪|比喻|类比|例子|analogy|example/i;
const SUMMARY_HEADING = /总结|小结|概括|summary/i;

export const defaultOfflineAnswerSettings: OfflineAnswerSettings = {
  maxSentences: 4,
  maxQuotedChars: 380,
  passagesToRead: 4,
  redundancyThreshold: 0.5,
};

export interface OfflineTutorAnswererDeps {
  readonly passageSearch: PassageSearch;
  readonly analyzer: TextAnalyzer;
  readonly resolveStandaloneQuery: StandaloneQueryResolver;
  readonly followUpSuggester: FollowUpSuggester;
  readonly settings?: Partial<OfflineAnswerSettings>;
}

interface CandidateSentence {
  readonly passage: RetrievedPassage;
  readonly passageRank: number;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly score: number;
  readonly bigrams: ReadonlySet<string>;
}

/**
 * The offline answerer: an extractive, query-focused summariser. It retrieves passages for the standalone query,
 * scores every sentence of them by the IDF-weighted query terms it contains (plus cues for the kind of question and the
 * passage's rank), picks the best non-redundant sentences within a length budget, puts them back in reading order and
 * follows each with the marker of its passage. English questions get an English frame (lead-in and glossed key terms)
 * around the quoted Chinese. Nothing is generated: every sentence is the article's own.
 */
export function createOfflineTutorAnswerer(deps: OfflineTutorAnswererDeps): TutorAnswerer {
  const settings: OfflineAnswerSettings = { ...defaultOfflineAnswerSettings, ...deps.settings };
  const { analyzer, passageSearch } = deps;

  /**
   * Passages of the article's analogy (sections whose heading names 烹饪/比喻/例子/analogy/example) for the topic of the
   * query: those the search ranks first, then the rest of the analogy in reading order. Falls back to the plain passages
   * when the corpus has no analogy section.
   */
  async function analogyPassages(searchedFor: string, plain: readonly RetrievedPassage[]): Promise<RetrievedPassage[]> {
    const isAnalogy = (chunk: ChunkRecord): boolean => chunk.headingPath.some((heading) => ANALOGY_HEADING.test(heading));
    const searched = await passageSearch.search(`${searchedFor} 烹饪 例子`, { k: 8 });
    const ranked = searched.passages.filter((passage) => isAnalogy(passage.chunk));
    const rest = passageSearch
      .allChunks()
      .filter((chunk) => isAnalogy(chunk) && !ranked.some((passage) => passage.chunk.chunkId === chunk.chunkId))
      .map((chunk) => ({ chunk, score: 0 }));
    const analogy = [...ranked, ...rest].slice(0, settings.passagesToRead);
    return analogy.length > 0 ? analogy : [...plain];
  }

  return {
    async answer(input: TutorQuestion): Promise<TutorAnswer> {
      const history = input.history ?? [];
      const language = input.language ?? analyzer.detectLanguage(input.question);
      const searchedFor = deps.resolveStandaloneQuery(input.question, history);
      const intent = detectQuestionIntent(`${input.question} ${searchedFor}`);
      const plain = await passageSearch.search(searchedFor, {
        k: intent === 'definition' ? settings.passagesToRead * 2 : settings.passagesToRead,
      });
      input.signal?.throwIfAborted();
      if (intent === 'definition') {
        // "What is X?": a passage that defines X ("X通常指的是…", "X(Fine-tuning): …") goes first, whatever else matched.
        const pattern = definitionPatternFor(analyzer.findGlossaryTerms(searchedFor).map((term) => term.zh));
        const defining = pattern
          ? plain.passages.filter((passage) =>
              splitSentences(passage.chunk.text).some((span) =>
                pattern.test(prose(passage.chunk.text.slice(span.start, span.end)).replace(/\*\*/g, '')),
              ),
            )
          : [];
        Object.assign(plain, {
          passages: [...defining, ...plain.passages.filter((passage) => !defining.includes(passage))].slice(0, settings.passagesToRead),
        });
      }
      const retrieval =
        input.style === 'analogy' && plain.covered ? { ...plain, passages: await analogyPassages(searchedFor, plain.passages) } : plain;

      if (!retrieval.covered) {
        const answer = composeNotCovered(language, passageSearch.allChunks(), analyzer);
        const followUps = await deps.followUpSuggester.suggest({ language, history, citedChunkIds: [], question: searchedFor });
        input.onDelta?.(answer);
        return { answer, citations: [], followUps, grounded: false, searchedFor, mode: 'offline', language };
      }

      const queryTerms = [...new Set(analyzer.tokenizeQuery(searchedFor))];
      const chosen = chooseSentences(
        retrieval.passages,
        queryTerms,
        intent,
        input.style === 'simpler' ? { ...settings, maxSentences: 2, maxQuotedChars: 160, preferShort: true } : settings,
        analyzer,
      );
      const documentOrder = new Map(passageSearch.allChunks().map((chunk, position) => [chunk.chunkId, position]));
      chosen.sort(
        (left, right) =>
          (documentOrder.get(left.passage.chunk.chunkId) ?? 0) - (documentOrder.get(right.passage.chunk.chunkId) ?? 0) ||
          left.start - right.start,
      );

      const markerByChunk = new Map<string, number>();
      const citations: Citation[] = [];
      const markerFor = (chunk: ChunkRecord): number => {
        let marker = markerByChunk.get(chunk.chunkId);
        if (marker === undefined) {
          marker = citations.length + 1;
          markerByChunk.set(chunk.chunkId, marker);
          citations.push(citationFromChunk(chunk, marker));
        }
        return marker;
      };
      const quoted = chosen.map((sentence) => ({
        text: sentence.text,
        marker: markerFor(sentence.passage.chunk),
        chunkId: sentence.passage.chunk.chunkId,
      }));
      const questionTerms = analyzer.findGlossaryTerms(searchedFor);
      const answer =
        language === 'zh'
          ? composeChinese(intent, questionTerms, quoted, input.style)
          : composeEnglish(
              intent,
              questionTerms,
              quoted,
              analyzer.findGlossaryTerms(quoted.map((entry) => entry.text).join('')),
              input.style,
            );

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

function chooseSentences(
  passages: readonly RetrievedPassage[],
  queryTerms: readonly string[],
  intent: QuestionIntent,
  settings: OfflineAnswerSettings,
  analyzer: TextAnalyzer,
): CandidateSentence[] {
  // A term's weight is its rarity among the retrieved passages plus one: the word that singles out a passage counts
  // more than one every passage shares.
  const weights = new Map<string, number>();
  for (const term of queryTerms) {
    const containing = passages.filter((passage) => passage.chunk.text.toLowerCase().includes(term)).length;
    weights.set(term, 1 + Math.log((passages.length + 1) / (containing + 1)));
  }
  const totalWeight = [...weights.values()].reduce((sum, value) => sum + value, 0) || 1;
  const cue = INTENT_SENTENCE_CUES[intent];
  const definitionPattern = definitionPatternFor(queryTerms);

  const candidates: (CandidateSentence & { readonly terms: ReadonlySet<string> })[] = [];
  passages.forEach((passage, passageRank) => {
    const chunk = passage.chunk;
    for (const span of joinLeadIns(chunk.text, splitSentences(chunk.text))) {
      const text = chunk.text.slice(span.start, span.end);
      const letters = text.replace(/[^\p{L}\p{N}]/gu, '');
      if (letters.length < 6) continue; // labels such as "微调:" say nothing on their own
      const tokens = new Set(analyzer.tokenize(text));
      const lower = text.toLowerCase();
      const terms = new Set([...weights.keys()].filter((term) => tokens.has(term) || lower.includes(term)));
      let matched = 0;
      for (const term of terms) matched += weights.get(term) ?? 0;
      let score = matched / totalWeight + 0.5 / (passageRank + 1) + (cue?.test(text) ? 0.25 : 0);
      // "微调(Fine-tuning): 微调通常指的是…": a sentence that opens by defining an asked-about term answers "what is".
      if (intent === 'definition' && definitionPattern?.test(prose(text).replace(/\*\*/g, ''))) score += 0.4;
      if (settings.preferShort) {
        score += chunk.headingPath.some((heading) => SUMMARY_HEADING.test(heading)) ? 0.4 : 0;
        score -= Math.min(0.5, [...text].length / 400);
      }
      candidates.push({
        passage,
        passageRank,
        start: span.start,
        end: span.end,
        text,
        score,
        terms,
        bigrams: new Set(analyzer.characterBigrams(text)),
      });
    }
  });

  // Greedy coverage: each pick is the sentence that adds the most query terms not yet covered, so a question about two
  // things ("微调和调教的区别") gets a sentence on each rather than three on the same one.
  const chosen: CandidateSentence[] = [];
  const coveredTerms = new Set<string>();
  let quotedChars = 0;
  let firstScore = 0;
  const remaining = [...candidates];
  while (chosen.length < settings.maxSentences && remaining.length > 0) {
    let best: { index: number; gain: number } | undefined;
    remaining.forEach((candidate, index) => {
      let fresh = 0;
      for (const term of candidate.terms) if (!coveredTerms.has(term)) fresh += weights.get(term) ?? 0;
      const gain = candidate.score + (fresh / totalWeight) * 0.6;
      if (!best || gain > best.gain) best = { index, gain };
    });
    if (!best) break;
    const { index, gain } = best;
    const candidate = remaining[index] as (typeof remaining)[number];
    remaining.splice(index, 1);
    if (chosen.length === 0) firstScore = candidate.score;
    // Sentences far weaker than the first pick dilute the answer; stop rather than pad.
    else if (candidate.score < firstScore * 0.6 && gain < firstScore * 0.75) break;
    if (chosen.length > 0 && quotedChars + candidate.text.length > settings.maxQuotedChars) continue;
    if (chosen.some((kept) => jaccard(kept.bigrams, candidate.bigrams) > settings.redundancyThreshold)) continue;
    chosen.push(candidate);
    for (const term of candidate.terms) coveredTerms.add(term);
    quotedChars += candidate.text.length;
  }
  return chosen;
}

/**
 * A sentence that ends in a colon ("在机器学习中,微调和调教的区别类似:") introduces the next one; quoting it alone says
 * nothing, so it is joined with the sentence that follows it.
 */
function joinLeadIns(text: string, spans: readonly SentenceSpan[]): SentenceSpan[] {
  const joined: SentenceSpan[] = [];
  for (let index = 0; index < spans.length; index += 1) {
    const span = spans[index] as SentenceSpan;
    const next = spans[index + 1];
    if (next !== undefined && /[:：]$/.test(text.slice(span.start, span.end))) {
      joined.push({ start: span.start, end: next.end });
      index += 1;
    } else joined.push(span);
  }
  return joined;
}

/** A sentence that opens by defining one of the terms: "微调(Fine-tuning): 微调通常指的是…", "调教:更像是…". */
function definitionPatternFor(terms: readonly string[]): RegExp | undefined {
  const defined = terms.filter((term) => /[\u3400-\u9fff]/.test(term) && [...term].length >= 2);
  if (defined.length === 0) return undefined;
  return new RegExp(
    `^(?:${defined.map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})[^。！？]{0,16}?(?:通常指|指的是|是指|就是|是一个|:|：)`,
  );
}

function jaccard(left: ReadonlySet<string>, right: ReadonlySet<string>): number {
  if (left.size === 0 || right.size === 0) return 0;
  let shared = 0;
  for (const item of left) if (right.has(item)) shared += 1;
  return shared / (left.size + right.size - shared);
}

interface QuotedSentence {
  readonly text: string;
  readonly marker: number;
  readonly chunkId: string;
}

/** Strips list markup and a trailing colon-label so a quoted sentence reads as prose. */
function prose(text: string): string {
  return text
    .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
    .replace(/\s*\n\s*(?:(?:[-*•]|\d+[.)])\s+)?/g, (_match, offset: number, whole: string) =>
      /[\u3400-\u9fff:：,，]/.test(whole[offset - 1] ?? '') ? '' : ' ',
    )
    .trim();
}

function composeChinese(
  intent: QuestionIntent,
  terms: readonly GlossaryTerm[],
  quoted: readonly QuotedSentence[],
  style?: ExplanationStyle,
): string {
  const named = terms.slice(0, 2).map((term) => `「${term.zh}」`);
  let lead: string;
  if (style === 'simpler') lead = named.length > 0 ? `简单来说，关于${named.join('和')}：` : '简单来说：';
  else if (style === 'analogy') lead = named.length > 0 ? `用文章里烹饪的比喻来理解${named.join('和')}：` : '用文章里烹饪的比喻来说：';
  else if (intent === 'difference' && named.length >= 2) lead = `关于${named[0]}和${named[1]}的区别，文章是这样说的：`;
  else if (intent === 'example') lead = named.length > 0 ? `文章用这样的例子来说明${named[0]}：` : '文章举了这样的例子：';
  else if (intent === 'reason') lead = '文章给出的理由是：';
  else if (named.length > 0) lead = `关于${named.join('和')}，文章是这样说的：`;
  else lead = '文章中与这个问题相关的内容是：';
  return `${lead}\n\n${paragraphs(quoted, '')}`;
}

function composeEnglish(
  intent: QuestionIntent,
  questionTerms: readonly GlossaryTerm[],
  quoted: readonly QuotedSentence[],
  quotedTerms: readonly GlossaryTerm[],
  style?: ExplanationStyle,
): string {
  const topic = questionTerms.filter((term) => !['区别', '例如', '比如', '共性'].includes(term.zh)).slice(0, 2);
  const gloss = (term: GlossaryTerm): string => `**${term.gloss}** (${term.zh})`;
  let lead: string;
  if (style === 'simpler') lead = topic.length > 0 ? `In short, on ${topic.map(gloss).join(' and ')}:` : 'In short:';
  else if (style === 'analogy')
    lead =
      topic.length > 0
        ? `The article explains ${topic.map(gloss).join(' and ')} with a cooking analogy:`
        : "In the article's cooking analogy:";
  else if (intent === 'difference' && topic.length >= 2)
    lead = `The article contrasts ${gloss(topic[0] as GlossaryTerm)} and ${gloss(topic[1] as GlossaryTerm)}. In its own words:`;
  else if (intent === 'example')
    lead =
      topic.length > 0 ? `The article illustrates ${gloss(topic[0] as GlossaryTerm)} with an example:` : 'The article gives this example:';
  else if (intent === 'reason') lead = 'The article gives this reasoning:';
  else if (topic.length > 0) lead = `Here is how the article explains ${topic.map(gloss).join(' and ')}:`;
  else lead = 'Here is what the article says about this:';
  const quotes = quoted.map((sentence) => `> ${prose(sentence.text)} [${sentence.marker}]`).join('\n>\n');
  const keyTerms = [...topic, ...quotedTerms.filter((term) => !topic.includes(term))]
    .filter((term, index, all) => all.indexOf(term) === index && !all.some((other) => other !== term && other.zh.includes(term.zh)))
    .slice(0, 6)
    .map((term) => `${term.zh} = ${term.gloss}`);
  const glossary = keyTerms.length > 0 ? `\n\nKey terms: ${keyTerms.join(' · ')}` : '';
  return `${lead}\n\n${quotes}${glossary}\n\n(The passages are quoted in the article's original Chinese.)`;
}

/** The answer in the pieces it is streamed in: each quoted sentence with its marker, and each line of the frame. */
function answerPieces(answer: string): string[] {
  return answer.match(/[^\n]*?\[\d+\]|[^\n[]+\n*|\n+|[\s\S]/g) ?? [answer];
}

/** Consecutive sentences of one passage form a paragraph; each sentence keeps its own marker. */
function paragraphs(quoted: readonly QuotedSentence[], separator: string): string {
  const blocks: string[] = [];
  let current = '';
  let currentChunk: string | undefined;
  for (const sentence of quoted) {
    if (currentChunk !== undefined && sentence.chunkId !== currentChunk) {
      blocks.push(current);
      current = '';
    }
    current += `${current === '' ? '' : separator}${prose(sentence.text)}[${sentence.marker}]`;
    currentChunk = sentence.chunkId;
  }
  if (current !== '') blocks.push(current);
  return blocks.join('\n\n');
}

/** What the corpus covers, from its titles and section headings: told to a learner whose question is out of scope. */
function composeNotCovered(language: Language, chunks: readonly ChunkRecord[], analyzer: TextAnalyzer): string {
  const titles = [...new Set(chunks.map((chunk) => chunk.title))];
  const headings = [...new Set(chunks.flatMap((chunk) => chunk.headingPath.slice(0, 1)))].slice(0, 6);
  if (language === 'zh') {
    const sections = headings.length > 0 ? `，其中讲到${headings.map((heading) => `「${heading}」`).join('、')}` : '';
    return `文章没有讲到这个问题，所以我不拿不相关的段落来回答。这份资料讲的是：${titles.map((title) => `《${title}》`).join('、')}${sections}。可以换个与这些内容有关的问题问我。`;
  }
  const describe = (title: string): string => {
    const glosses = analyzer
      .findGlossaryTerms(title)
      .filter((term, _index, all) => !all.some((other) => other !== term && other.zh.includes(term.zh)))
      .map((term) => term.gloss);
    return glosses.length > 0 ? `“${title}” (about ${glosses.join(', ')})` : `“${title}”`;
  };
  return `The article does not cover that, so I won't answer it from unrelated passages. The material covers: ${titles.map(describe).join('; ')}. Try asking about one of these topics.`;
}
