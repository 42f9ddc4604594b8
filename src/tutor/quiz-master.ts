import { createHash, randomUUID } from 'node:crypto';
import { alignedRendering } from '../ingest/aligned-rendering.js';
import type { ChunkRecord, Language } from '../ingest/chunk-types.js';
import type { GlossaryTerm } from '../ingest/glossary.js';
import { splitSentences } from '../ingest/sentence-splitter.js';
import { getDefaultJieba, type TextAnalyzer } from '../retrieval/text-analyzer.js';
import { citationFromChunk } from './citation-builder.js';
import { type Concept, isGenericConcept } from './concept-map.js';
import { isAnalogyChunk } from './offline/sentence-evidence.js';
import { BLANK, blankEnglish, englishFormIn, labelIn, optionLabel, plainRendering, termClassOf } from './quiz-english-forms.js';
import { gradeAnswer, type QuizKind, type QuizReading, type QuizVerdict } from './quiz-grading.js';
import type { Citation } from './tutor-types.js';

/** What the learner sees. The answer stays on the server. */
export interface QuizQuestion {
  readonly quizId: string;
  readonly kind: QuizKind;
  readonly language: Language;
  /** The instruction, in the learner's language. */
  readonly prompt: string;
  /** The article's sentence with the key term blanked out as ＿＿＿＿. */
  readonly sentence: string;
  /** Choices for `choice` quizzes; absent for `fill`. */
  readonly options?: readonly string[];
  /** The passage the question is about (the learner met it, or is about to). */
  readonly chunkId: string;
}

export interface Quiz extends QuizQuestion {
  readonly answer: GlossaryTerm;
  /** The sentence as the article writes it (or its English rendering, for an English quiz built on one). */
  readonly fullSentence: string;
  /** The right answer as the options show it: the English gloss in a quiz on the English rendering. @default answer.zh */
  readonly shownAnswer?: string;
  readonly chunk: ChunkRecord;
}

export interface QuizGrade {
  readonly verdict: QuizVerdict;
  /** Feedback with the answer and the article's sentence, citing its passage as [1]. */
  readonly explanation: string;
  readonly correctAnswer: string;
  readonly citations: readonly Citation[];
}

export interface QuizMasterDeps {
  readonly chunks: () => readonly ChunkRecord[];
  readonly concepts: () => readonly Concept[];
  readonly analyzer: TextAnalyzer;
  /** Part-of-speech tags of a term's words (jieba's). @default the process-wide jieba's `tag` */
  readonly partOfSpeech?: (term: string) => readonly { readonly word: string; readonly tag: string }[];
}

/** What a term is about: the subject (微调, 预训练模型), the analogy (厨师, 调料), or a function word (比如, 准确). */
type TermKind = 'subject' | 'analogy' | 'function';

export interface QuizRequest {
  readonly language: Language;
  /** Passages the conversation has cited, oldest first: quizzes prefer these (the learner has met them). */
  readonly citedChunkIds: readonly string[];
  /** Passages already quizzed in this conversation, to vary the questions. */
  readonly quizzedChunkIds?: readonly string[];
  /** @default alternates: choice for an even number of quizzes so far, fill otherwise */
  readonly kind?: QuizKind;
}

/**
 * Builds quizzes from the article itself, with no model: a sentence of a passage the learner has met (or the next one
 * in reading order) with one key term blanked out; multiple choice takes its distractors from the key terms of other
 * passages, of the same kind as the answer. Grading accepts the Chinese term and its English forms from the glossary,
 * gives partial credit for an answer that is part of the term or close to it, and explains with a citation of the
 * passage.
 */
export function createQuizMaster(deps: QuizMasterDeps) {
  const { analyzer } = deps;
  const partOfSpeech = deps.partOfSpeech ?? ((term: string) => getDefaultJieba().tag(term, true));

  function keyTermsOf(text: string): GlossaryTerm[] {
    const conceptIds = new Set(deps.concepts().map((concept) => concept.id));
    const found = analyzer.findGlossaryTerms(text).filter((term) => [...term.zh].length >= 2 && text.includes(term.zh));
    const specific = found.filter((term) => !found.some((other) => other !== term && other.zh.includes(term.zh)));
    // Concepts first (they are what the learner is meant to learn), then longer terms.
    return specific.sort(
      (left, right) => Number(conceptIds.has(right.zh)) - Number(conceptIds.has(left.zh)) || right.zh.length - left.zh.length,
    );
  }

  const isConcept = (term: GlossaryTerm): boolean => deps.concepts().some((concept) => concept.id === term.zh);

  function pickChunk(request: QuizRequest): ChunkRecord | undefined {
    const chunks = deps.chunks();
    const byId = new Map(chunks.map((chunk) => [chunk.chunkId, chunk]));
    const quizzed = new Set(request.quizzedChunkIds ?? []);
    const met = [...request.citedChunkIds]
      .reverse()
      .map((chunkId) => byId.get(chunkId))
      .filter((chunk) => chunk !== undefined);
    const lastMet = met[0];
    const lastPosition = lastMet ? chunks.indexOf(lastMet) : -1;
    const upcoming = chunks.slice(lastPosition + 1).concat(chunks.slice(0, lastPosition + 1));
    const candidates = [...met, ...upcoming].filter((chunk, index, all) => all.indexOf(chunk) === index);
    return (
      candidates.find((chunk) => !quizzed.has(chunk.chunkId) && questionableSentence(chunk, request.language) !== undefined) ??
      candidates.find((chunk) => !quizzed.has(chunk.chunkId) && questionableSentence(chunk) !== undefined) ??
      candidates.find((chunk) => questionableSentence(chunk) !== undefined)
    );
  }

  interface Questionable {
    readonly sentence: string;
    readonly term: GlossaryTerm;
    /** The sentence's index in the passage (its aligned rendering has the same index). */
    readonly index: number;
  }

  /**
   * The sentence of a passage to quiz on and the key term to blank: a term of the subject or of the analogy (never a
   * function word such as 比如 or 准确), preferring longer sentences that name it once. With `language` 'en', only a
   * sentence whose English rendering names the term in English counts, so an English learner reads an English quiz.
   */
  function questionableSentence(chunk: ChunkRecord, language: Language = 'zh'): Questionable | undefined {
    let best: (Questionable & { score: number }) | undefined;
    const rendering = language === 'en' ? alignedRendering(chunk) : null;
    if (language === 'en' && !rendering) return undefined;
    splitSentences(chunk.text).forEach((span, index) => {
      const sentence = chunk.text
        .slice(span.start, span.end)
        .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
        .replace(/\*\*/g, '')
        .trim();
      if ([...sentence].length < 12) return;
      const rendered = rendering?.[index];
      // A sentence that names the term in the other language too ("微调"(Fine-tuning), "fine-tuning" (微调)) gives it away.
      const candidates = keyTermsOf(sentence).filter(
        (candidate) =>
          kindOf(candidate.zh) !== 'function' &&
          !englishFormIn(candidate, sentence) &&
          (rendered === undefined ? language === 'zh' : englishFormIn(candidate, rendered) && !rendered.includes(candidate.zh)),
      );
      // In English, the option shows the term's label: a rendering that says it so ("pre-trained model(s)") reads right
      // with the option in the blank, one that says it another way ("ability to generalise") does not.
      const labelled = (candidate: GlossaryTerm) => rendered === undefined || labelIn(candidate, rendered);
      const term = candidates.find(labelled) ?? candidates[0];
      if (!term) return;
      // A concept is what the learner is meant to learn: "＿＿假设模型已经具有通用的知识" asks about 微调, while the longer
      // opening "在讨论＿＿时" only asks for the article's setting. Then the sentence must still say something once the
      // term is blanked: prefer longer sentences with one occurrence.
      const occurrences = sentence.split(term.zh).length - 1;
      const score = (labelled(term) ? 1 : 0) * 1e6 + (isConcept(term) ? 1 : 0) * 1e4 + [...sentence].length / (occurrences * occurrences);
      if (!best || score > best.score) best = { sentence, term, index, score };
    });
    return best && { sentence: best.sentence, term: best.term, index: best.index };
  }

  const kindCache = new WeakMap<readonly ChunkRecord[], Map<string, TermKind>>();
  /** The kind of a term, per index build: a function word, a term of the analogy (cooking), or of the subject. */
  function kindOf(term: string): TermKind {
    const chunks = deps.chunks();
    let kinds = kindCache.get(chunks);
    if (!kinds) kindCache.set(chunks, (kinds = new Map()));
    let kind = kinds.get(term);
    if (!kind) {
      const words = partOfSpeech(term);
      const single = words.length === 1 ? words[0] : undefined;
      const using = chunks.filter((chunk) => chunk.text.includes(term));
      // The analogy's words first: 烹饪 is tagged a verb, yet against it the options are the figure's other words.
      kind = isGenericConcept(term)
        ? 'function'
        : using.length > 0 && using.every(isAnalogyChunk)
          ? 'analogy'
          : single !== undefined && !/^(?:n|nz|vn|nr|ns|nt|eng)$/.test(single.tag)
            ? 'function'
            : 'subject';
      kinds.set(term, kind);
    }
    return kind;
  }

  /**
   * Distractors of the same kind as the answer: terms of the subject against a subject term, of the analogy against an
   * analogy term, concepts first; never function words (比如, 准确) nor terms of the sentence.
   */
  function distractorsFor(answer: GlossaryTerm, sentence: string, seed: string, language: Language): string[] {
    const glossary = new Map(analyzer.glossary.terms.map((term) => [term.zh, term]));
    // An English option is the term's gloss; a term without one, or whose gloss the sentence already names, is no option.
    const usable = (term: string): boolean => {
      if (language === 'zh') return true;
      const entry = glossary.get(term);
      return entry !== undefined && entry.gloss.trim() !== '' && !englishFormIn(entry, sentence) && entry.gloss !== answer.gloss;
    };
    const concepts = deps.concepts().map((concept) => concept.id);
    const conceptSet = new Set(concepts);
    const answerKind = kindOf(answer.zh) === 'function' ? 'subject' : kindOf(answer.zh);
    const pool = [...new Set([...concepts, ...deps.chunks().flatMap((chunk) => keyTermsOf(chunk.text).map((term) => term.zh))])].filter(
      (term) =>
        term !== answer.zh &&
        !sentence.includes(term) &&
        !term.includes(answer.zh) &&
        !answer.zh.includes(term) &&
        kindOf(term) !== 'function' &&
        usable(term),
    );
    // Same kind first, then the same class (a thing against a thing: "retraining" is no option for "pre-trained
    // model"), concepts first, then a similar length (a four-character answer among two-character options gives itself
    // away).
    const answerClass = termClassOf(answer);
    const ranked = pool
      .map((term) => ({
        term,
        kind: kindOf(term) === answerKind ? 0 : 1,
        class: glossary.has(term) && termClassOf(glossary.get(term) as GlossaryTerm) === answerClass ? 0 : 1,
        concept: conceptSet.has(term) ? 0 : 1,
        distance: Math.abs([...term].length - [...answer.zh].length),
        tie: hash(`${seed}:${term}`),
      }))
      .sort(
        (left, right) =>
          left.kind - right.kind ||
          left.class - right.class ||
          left.concept - right.concept ||
          left.distance - right.distance ||
          left.tie - right.tie,
      );
    const chosen = ranked.slice(0, 3).map((entry) => entry.term);
    return language === 'zh' ? chosen : chosen.map((term) => optionLabel(glossary.get(term) as GlossaryTerm, 'en'));
  }

  return {
    /** The passage the next quiz is about: the latest one the learner met that was not quizzed yet, else the next one. */
    pickChunk,

    /** A new quiz, or undefined when no passage has a sentence with a key term to ask about. */
    makeQuiz(request: QuizRequest): Quiz | undefined {
      const chunk = pickChunk(request);
      if (!chunk) return undefined;
      // An English learner reads the sentence in the article's English rendering, the term's English form blanked.
      const english = request.language === 'en' ? questionableSentence(chunk, 'en') : undefined;
      const found = english ?? questionableSentence(chunk);
      if (!found) return undefined;
      const rendered = english ? alignedRendering(chunk)?.[english.index] : undefined;
      const shown = rendered === undefined ? found.sentence : plainRendering(rendered);
      const optionLanguage: Language = rendered === undefined ? 'zh' : 'en';
      const quizId = randomUUID();
      const kind = request.kind ?? ((request.quizzedChunkIds?.length ?? 0) % 2 === 0 ? 'choice' : 'fill');
      const blanked = rendered === undefined ? found.sentence.split(found.term.zh).join(BLANK) : blankEnglish(shown, found.term);
      const options =
        kind === 'choice'
          ? [optionLabel(found.term, optionLanguage), ...distractorsFor(found.term, shown, quizId, optionLanguage)].sort(
              (left, right) => hash(`${quizId}:${left}`) - hash(`${quizId}:${right}`),
            )
          : undefined;
      const zh = request.language === 'zh';
      const prompt =
        kind === 'choice'
          ? zh
            ? '选出填入空白处的词（句子引自文章）：'
            : rendered === undefined
              ? 'Which term fills the blank? (The sentence is quoted from the article in its original Chinese.)'
              : "Which term fills the blank? (The sentence is from the article's English rendering.)"
          : zh
            ? `填空：空白处是文章里的哪个词？（${[...found.term.zh].length} 个字）`
            : rendered === undefined
              ? `Fill in the blank: which term of the article is missing? (Answer in Chinese or English; the Chinese term has ${[...found.term.zh].length} characters.)`
              : "Fill in the blank: which term is missing? (The sentence is from the article's English rendering; answer in English or Chinese.)";
      return {
        quizId,
        kind,
        language: request.language,
        prompt,
        sentence: blanked,
        ...(options ? { options } : {}),
        chunkId: chunk.chunkId,
        answer: found.term,
        fullSentence: shown,
        ...(optionLanguage === 'en' ? { shownAnswer: optionLabel(found.term, 'en') } : {}),
        chunk,
      };
    },

    grade(quiz: Quiz, response: string): QuizGrade {
      // A word the article itself uses is one of its terms, not a slip for the answer.
      const isArticleWord = (word: string): boolean => deps.chunks().some((chunk) => chunk.text.includes(word));
      const { verdict, readAs } = gradeAnswer(quiz, response, { isArticleWord, terms: analyzer.glossary.terms });
      const zh = quiz.language === 'zh';
      // Said after the verdict: an answer accepted as the term tells the learner what it was read as.
      const note = readAs === undefined ? '' : `${zh ? '' : ' '}${readingNote(readAs, quiz.answer, zh)}`;
      const term = zh ? `「${quiz.answer.zh}」` : `${quiz.answer.zh} (${quiz.answer.gloss})`;
      const opening = {
        right: zh ? `答对了！答案是${term}。` : `Right! The answer is ${term}.`,
        partial: zh ? `部分正确：完整的答案是${term}。` : `Partly right: the full answer is ${term}.`,
        wrong: zh ? `不对，答案是${term}。` : `Not quite: the answer is ${term}.`,
      }[verdict];
      // The widget shows the quiz sentence with the answer filled in: the explanation adds what the learner has not read.
      const further = furtherSentence(quiz);
      // An English learner is told the section's English heading, when the rendering has one.
      const section = zh ? quiz.chunk.headingPath : (quiz.chunk.translation?.headingPath ?? []);
      const heading = section[section.length - 1];
      const source = further
        ? zh
          ? `文章里还说：${further}[1]`
          : `The article also says: ${further} [1]`
        : zh
          ? `这句话出自「${heading ?? quiz.chunk.title}」一节。[1]`
          : heading
            ? `The sentence is from the section "${heading}". [1]`
            : 'The sentence is from this passage of the article. [1]';
      return {
        verdict,
        explanation: `${opening}${note}\n\n${source}`,
        correctAnswer: quiz.shownAnswer ?? quiz.answer.zh,
        citations: [citationFromChunk(quiz.chunk, 1)],
      };
    },
  };
}

export type QuizMaster = ReturnType<typeof createQuizMaster>;

/** What an answer accepted as the term was read as: its English form, or the term typed with same-sounding characters. */
function readingNote(reading: QuizReading, answer: GlossaryTerm, zh: boolean): string {
  if (reading.how === 'english') {
    return zh
      ? `你写的「${reading.typed}」是「${answer.zh}」的英文说法，算对。`
      : `"${reading.typed}" is the English for ${answer.zh}, so it counts.`;
  }
  return zh
    ? `你写的「${reading.typed}」和「${answer.zh}」拼音相同，按「${answer.zh}」算（应是输入法选错了字）。`
    : `You wrote ${reading.typed}, which reads like ${answer.zh} in pinyin, so it was read as ${answer.zh} (an input-method slip).`;
}

/**
 * Another sentence of the quiz's passage that names the answer, in the language of the quiz sentence (the English
 * rendering for a quiz on it): what the article says next about the term. Undefined when the passage has none.
 */
function furtherSentence(quiz: Quiz): string | undefined {
  const english = quiz.shownAnswer !== undefined;
  const sentences = english
    ? (alignedRendering(quiz.chunk) ?? [])
    : splitSentences(quiz.chunk.text).map((span) => quiz.chunk.text.slice(span.start, span.end));
  const asked = plainRendering(quiz.fullSentence);
  return sentences.map(plainRendering).find(
    (sentence) =>
      sentence !== asked &&
      [...sentence].length >= 8 &&
      // A lead-in ("微调和调教的区别类似:") says nothing by itself.
      !/[:：]$/.test(sentence) &&
      (english ? englishFormIn(quiz.answer, sentence) : sentence.includes(quiz.answer.zh)),
  );
}

function hash(text: string): number {
  return createHash('md5').update(text).digest().readUInt32LE(0);
}
