import type { ChunkRecord, Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import type { PassageSearch } from '../retrieval/retrieval-types.js';
import { escapeRegExp } from '../support/escape-regexp.js';
import { isGenericConcept } from './concept-map.js';
import { isAnalogyChunk, isSummaryChunk, labelsOf, passageSentenceSpans, plain } from './offline/sentence-evidence.js';
import { STRONG_CUES } from './offline/statement-plans.js';
import { EXAMPLE_OPENING } from './question-intent.js';

/**
 * The kinds of question a learner asks next about a topic, each phrased by a generic template per language: what the
 * term means, how it differs from the term the article contrasts it with, the example, the analogy, the risk, the
 * reason, and (with no topic) the article's summary. `QuestionIntent` reads each template as the same kind, so the
 * answer uses the plan for it.
 */
export type NextQuestionKind = 'definition' | 'difference' | 'example' | 'analogy' | 'risk' | 'reason' | 'summary';

/** Kinds in the order a learner tends to go on after one: from what a term is, to how it differs, to its example... */
export const NEXT_QUESTION_KINDS: readonly NextQuestionKind[] = [
  'definition',
  'difference',
  'example',
  'analogy',
  'risk',
  'reason',
  'summary',
];

/** A question of one kind about a topic (or two, for a difference), with the passages holding its evidence. */
export interface NextQuestion {
  readonly kind: NextQuestionKind;
  /** The Chinese terms asked about, the topic first; empty for a summary. */
  readonly topics: readonly string[];
  readonly question: string;
  /** Passages whose sentences answer it: the defining passage, the example, the analogy, the stated risk... */
  readonly targetChunkIds: ReadonlySet<string>;
}

/** A question checked against retrieval: covered, and finding one of its target passages among the first results. */
export interface CheckedQuestion extends NextQuestion {
  /** Target passages the search found: what the answer will cite that the learner may not have read yet. */
  readonly foundTargetIds: readonly string[];
}

/** Mass nouns and uncountable English glosses take no article ("What is overfitting?", "What is sentiment analysis?"). */
const BARE_NOUN = /(?:ing|tion|sion|ity|ness|ance|ence|sis|ism|ledge|ware|data)$/i;

/** The gloss as an English noun phrase that reads in a question: "a pre-trained model", "fine-tuning", "computing resources". */
export function englishNounPhrase(gloss: string): { phrase: string; plural: boolean } {
  const bare = gloss.replace(/\s*\([^)]*\)\s*/g, ' ').trim();
  const last = bare.split(/\s+/).pop() ?? bare;
  const plural = /[^s]s$/i.test(last) && !BARE_NOUN.test(last);
  if (plural || BARE_NOUN.test(last) || /^[A-Z0-9]+$/.test(bare)) return { phrase: bare, plural };
  return { phrase: `${/^[aeiou]/i.test(bare) ? 'an' : 'a'} ${bare}`, plural: false };
}

const plainGloss = (term: GlossaryTerm): string => englishNounPhrase(term.gloss).phrase.replace(/^an? /, '');

/** The template of a kind in a language; undefined when the language cannot name the term (no English gloss). */
export function phraseNextQuestion(kind: NextQuestionKind, terms: readonly GlossaryTerm[], language: Language): string | undefined {
  const [first, second] = terms;
  if (language === 'zh') {
    if (!first) return undefined;
    switch (kind) {
      case 'definition':
        return `${first.zh}是什么意思？`;
      case 'difference':
        return second ? `${first.zh}和${second.zh}有什么区别？` : undefined;
      case 'example':
        return `${first.zh}有什么例子？`;
      case 'analogy':
        return `能用比喻讲讲${first.zh}吗？`;
      case 'risk':
        return `${first.zh}有什么风险或局限？`;
      case 'reason':
        return `文章讲${first.zh}时给出了什么原因？`;
      case 'summary':
        return `文章是怎么总结${second ? `${first.zh}和${second.zh}` : first.zh}的？`;
    }
  }
  if (!first || terms.some((term) => term.gloss.trim() === '')) return undefined;
  const noun = englishNounPhrase(first.gloss);
  const named = noun.phrase;
  switch (kind) {
    case 'definition':
      return `What ${noun.plural ? 'are' : 'is'} ${noun.phrase}?`;
    case 'difference':
      return second ? `How does ${named} differ from ${englishNounPhrase(second.gloss).phrase}?` : undefined;
    case 'example':
      return `Can you give an example of ${named}?`;
    case 'analogy':
      return `Is there an analogy for ${named}?`;
    case 'risk':
      return `What are the risks or limits of ${named}?`;
    case 'reason':
      return `What reasons does the article give for ${named}?`;
    case 'summary':
      return `How does the article sum up ${second ? `${plainGloss(first)} and ${plainGloss(second)}` : plainGloss(first)}?`;
  }
}

/** A sentence that maps the figure onto its subject: "…就像是…", "这个过程就是微调", "调教:更像是…". */
const ANALOGY_CUE = /就像|像是|好比|这个过程就是/;

const sentencesByChunk = new WeakMap<ChunkRecord, readonly string[]>();
/** A passage's sentences without markup (memoised per chunk: every (kind, topics) scans them). */
function sentencesOf(chunk: ChunkRecord): readonly string[] {
  let sentences = sentencesByChunk.get(chunk);
  if (!sentences)
    sentencesByChunk.set(
      chunk,
      (sentences = passageSentenceSpans(chunk).map((span) => plain(chunk.text.slice(span.start - chunk.start, span.end - chunk.start)))),
    );
  return sentences;
}

/**
 * Passages holding the evidence of a kind for a term: a sentence defining it (the term or its label, then 是/指/称为),
 * an example sentence naming it (例如…), an analogy passage naming it, a sentence naming it with a stated risk or cause.
 * The definition wants a real defining predicate, not a bare label: "**微调**:时间较长…" defines nothing.
 */
export function evidenceChunks(chunks: readonly ChunkRecord[], kind: NextQuestionKind, terms: readonly string[]): ChunkRecord[] {
  const labels = terms.flatMap(labelsOf);
  // A sentence names a term by writing it, or by opening with its label ("**应用**:…" for 模型应用); a label anywhere
  // else is only a head word (任务 of 特定任务).
  const names = (sentence: string): boolean =>
    terms.some((term) => sentence.includes(term)) ||
    labels.some((label) => sentence.startsWith(label) || sentence.startsWith(`"${label}"`));
  // The term itself as the subject, then a defining predicate in the same clause ("微调通常指的是…", "调教这个词…");
  // or the term or its head word as a list label with the predicate right after it ("**应用**:通常是…"). A label
  // followed by something else ("基础模型强大:两者都…", "复用价值:无论是…") defines nothing, nor does 模型 define 语言模型.
  const predicate = '(?:(?<![但还于都总或凡只要若可像论])是|指|称为|叫做|定义为|这个词|这个概念)';
  const names_ = terms.map(escapeRegExp).join('|');
  switch (kind) {
    case 'definition': {
      // Compiled for this kind only: the other kinds never read it.
      const opensWithTerm = new RegExp(
        `^"?(?:${names_})"?(?![和与跟及、])[^。！？:：,，]{0,12}?${predicate}|^"?(?:${labels.map(escapeRegExp).join('|')})"?(?:\\([^)]*\\))?[:：]\\s*(?:${names_})?[^。！？:：,，]{0,4}?${predicate}`,
      );
      return chunks.filter((chunk) => !isAnalogyChunk(chunk) && sentencesOf(chunk).some((sentence) => opensWithTerm.test(sentence)));
    }
    case 'difference':
      return chunks.filter((chunk) => terms.every((term) => labelsOf(term).some((label) => chunk.text.includes(label))));
    case 'example':
      return chunks.filter((chunk) => !isAnalogyChunk(chunk) && sentencesOf(chunk).some((s) => EXAMPLE_OPENING.test(s) && names(s)));
    case 'analogy':
      // A passage of the analogy under the term's own heading, or a sentence mapping the figure onto the term.
      return chunks.filter(
        (chunk) =>
          isAnalogyChunk(chunk) &&
          (chunk.headingPath.some((heading) => terms.includes(heading.trim())) ||
            sentencesOf(chunk).some((sentence) => ANALOGY_CUE.test(sentence) && names(sentence))),
      );
    case 'risk':
    case 'reason':
      return chunks.filter((chunk) => sentencesOf(chunk).some((sentence) => STRONG_CUES[kind].test(sentence) && names(sentence)));
    case 'summary':
      return chunks.filter((chunk) => isSummaryChunk(chunk) && terms.every((term) => chunk.text.includes(term)));
  }
}

/**
 * Pairs of terms the article contrasts: two glossary terms a title or heading joins with 和/与/跟 ("微调和调教",
 * "模型应用与大模型微调": a short modifier may stand before the second). Each term maps to its partners.
 */
export function contrastPartners(chunks: readonly ChunkRecord[], terms: readonly GlossaryTerm[]): Map<string, string[]> {
  const headings = new Set(chunks.flatMap((chunk) => [chunk.title, ...chunk.headingPath]));
  const subjects = terms.filter((term) => !isGenericConcept(term.zh) && [...term.zh].length >= 2);
  const partners = new Map<string, string[]>();
  const add = (left: string, right: string): void => {
    const list = partners.get(left) ?? [];
    if (!list.includes(right)) partners.set(left, [...list, right]);
  };
  for (const heading of headings) {
    for (const left of subjects) {
      for (const right of subjects) {
        if (left === right || left.zh.includes(right.zh) || right.zh.includes(left.zh)) continue;
        // The pattern needs both names in the heading: most pairs are ruled out without compiling it.
        if (!heading.includes(left.zh) || !heading.includes(right.zh)) continue;
        const joined = new RegExp(`${left.zh}(?:和|与|跟|及)[\\u3400-\\u9fff]{0,3}?${right.zh}`);
        const match = joined.exec(heading);
        // "大模型微调": the second term is 微调, not 大模型 (a term right after the joint that another term follows modifies it).
        if (match && !subjects.some((other) => other !== right && heading.slice(match.index + match[0].length).startsWith(other.zh))) {
          add(left.zh, right.zh);
          add(right.zh, left.zh);
        }
      }
    }
  }
  return partners;
}

/**
 * Next questions checked once per (kind, topics, language) and index build: the question is searched, and kept only
 * if the search is covered and finds one of the passages holding the kind's evidence. A class asking the same
 * questions pays each search once; a rebuilt index (a new chunk list) starts afresh.
 */
export function createNextQuestionCatalogue(deps: {
  readonly passageSearch: PassageSearch;
  readonly glossary: () => readonly GlossaryTerm[];
  /** Results read per check. @default 4 */
  readonly k?: number;
}) {
  const k = deps.k ?? 4;
  const byIndex = new WeakMap<
    readonly ChunkRecord[],
    {
      checks: Map<string, Promise<CheckedQuestion | undefined>>;
      evidence: Map<string, ReadonlySet<string>>;
      partners: Map<string, string[]>;
    }
  >();
  function stateOf(chunks: readonly ChunkRecord[]) {
    let state = byIndex.get(chunks);
    if (!state)
      byIndex.set(chunks, (state = { checks: new Map(), evidence: new Map(), partners: contrastPartners(chunks, deps.glossary()) }));
    return state;
  }
  const keyOf = (language: string, kind: NextQuestionKind, topics: readonly string[]): string =>
    `${language}\u0000${kind}\u0000${topics.join('\u0000')}`;
  /** The passages holding a kind's evidence for the topics, per index build (no search: a scan of the passages). */
  function targetsOf(chunks: readonly ChunkRecord[], kind: NextQuestionKind, topics: readonly string[]): ReadonlySet<string> {
    const { evidence } = stateOf(chunks);
    const key = keyOf('', kind, topics);
    let targets = evidence.get(key);
    if (!targets) evidence.set(key, (targets = new Set(evidenceChunks(chunks, kind, topics).map((chunk) => chunk.chunkId))));
    return targets;
  }
  async function check(chunks: readonly ChunkRecord[], kind: NextQuestionKind, topics: readonly string[], language: Language) {
    const terms = topics.map((topic) => deps.glossary().find((term) => term.zh === topic));
    if (terms.some((term) => term === undefined)) return undefined;
    const question = phraseNextQuestion(kind, terms as GlossaryTerm[], language);
    if (!question) return undefined;
    const targets = targetsOf(chunks, kind, topics);
    if (targets.size === 0) return undefined;
    const result = await deps.passageSearch.search(question, { k });
    const found = result.covered ? result.passages.map((passage) => passage.chunk.chunkId).filter((id) => targets.has(id)) : [];
    return found.length > 0 ? { kind, topics, question, targetChunkIds: targets, foundTargetIds: found } : undefined;
  }
  return {
    /** The terms the article contrasts with `topic` (its title or a heading joins them). */
    partnersOf(topic: string): readonly string[] {
      return stateOf(deps.passageSearch.allChunks()).partners.get(topic) ?? [];
    },
    /** Whether the article holds evidence of the kind for the topics at all (a definition, an example...); costs no search. */
    hasEvidence(kind: NextQuestionKind, topics: readonly string[]): boolean {
      return targetsOf(deps.passageSearch.allChunks(), kind, topics).size > 0;
    },
    /** The checked question of a kind about the topics in the language, or undefined when the article cannot answer it. */
    checked(kind: NextQuestionKind, topics: readonly string[], language: Language): Promise<CheckedQuestion | undefined> {
      const chunks = deps.passageSearch.allChunks();
      const { checks } = stateOf(chunks);
      const key = keyOf(language, kind, topics);
      let verdict = checks.get(key);
      if (!verdict) {
        verdict = check(chunks, kind, topics, language);
        // A failed search is not remembered: the next request tries again.
        verdict.catch(() => checks.delete(key));
        checks.set(key, verdict);
      }
      return verdict;
    },
  };
}

export type NextQuestionCatalogue = ReturnType<typeof createNextQuestionCatalogue>;
