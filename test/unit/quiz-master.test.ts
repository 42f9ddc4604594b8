import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GlossaryTerm } from '../../src/ingest/glossary.js';
import { buildConceptMap, measureProgress } from '../../src/tutor/concept-map.js';
import { termClassOf } from '../../src/tutor/quiz-english-forms.js';
import { gradeAnswer, type QuizKind, type QuizReading, type QuizVerdict } from '../../src/tutor/quiz-grading.js';
import { createQuizMaster } from '../../src/tutor/quiz-master.js';
import { createTestRuntime } from '../support/test-runtime.js';

interface GradingCase {
  id: string;
  answer: string;
  kind: QuizKind;
  options?: string[];
  response: string;
  verdict: QuizVerdict;
  /** How a right answer that is not the shown term was read. @default not read as anything */
  readAs?: QuizReading['how'];
}

describe('quiz grading evaluation cases', async () => {
  const cases = (
    JSON.parse(await readFile(path.join(import.meta.dirname, '..', 'eval', 'quiz-grading-cases.json'), 'utf8')) as { cases: GradingCase[] }
  ).cases;
  const glossary = (
    JSON.parse(await readFile(path.join(import.meta.dirname, '..', '..', 'corpus', 'glossary.json'), 'utf8')) as { terms: GlossaryTerm[] }
  ).terms;

  it('has right, wrong and partly right cases', () => {
    for (const verdict of ['right', 'wrong', 'partial'] as const) expect(cases.some((entry) => entry.verdict === verdict)).toBe(true);
  });

  const corpusDir = path.join(import.meta.dirname, '..', '..', 'corpus');
  const articles = await Promise.all(
    ['finetune-vs-tuning.md', 'model-application-vs-finetuning.md'].map((file) => readFile(path.join(corpusDir, file), 'utf8')),
  );
  const isArticleWord = (word: string): boolean => articles.some((text) => text.includes(word));

  it.each(cases.map((entry) => [entry.id, entry] as const))('grades %s', (_id, entry) => {
    const answer = glossary.find((term) => term.zh === entry.answer)!;
    expect(answer).toBeDefined();
    const quiz = { answer, kind: entry.kind, ...(entry.options ? { options: entry.options } : {}) };
    const graded = gradeAnswer(quiz, entry.response, { isArticleWord, terms: glossary });
    expect(graded.verdict).toBe(entry.verdict);
    expect(graded.readAs?.how).toBe(entry.readAs);
  });
});

describe('quiz master and concept map on the shipped corpus', () => {
  let fixture: Awaited<ReturnType<typeof createTestRuntime>>;
  beforeAll(async () => {
    fixture = await createTestRuntime();
  });
  afterAll(() => fixture.dispose());

  const setup = () => {
    const chunks = fixture.runtime.currentIndex().chunks;
    const concepts = buildConceptMap(chunks, fixture.runtime.analyzer.glossary.terms);
    return {
      chunks,
      concepts,
      quizMaster: createQuizMaster({ chunks: () => chunks, concepts: () => concepts, analyzer: fixture.runtime.analyzer }),
    };
  };

  it('derives the concepts from the glossary and headings, in reading order', () => {
    const { concepts } = setup();
    const labels = concepts.map((concept) => concept.label);
    expect(labels.slice(0, 2)).toEqual(['微调', '调教']);
    expect(labels).toEqual(expect.arrayContaining(['预训练模型', '烹饪', '泛化能力']));
    expect(labels).not.toContain('任务');
    expect(labels).not.toContain('预训练'); // inside 预训练模型
    // The article uses these only as a setting (在机器学习中, 在大规模数据集上训练, 在不同的上下文中): it teaches nothing about
    // them, so "Next: 机器学习" would send the learner to an answer that does not explain it.
    for (const setting of ['机器学习', '数据集', '上下文']) expect(labels).not.toContain(setting);
    const progress = measureProgress(concepts, { citedSentences: [], askedQueries: [] });
    expect(progress.coveredCount).toBe(0);
    expect(progress.next?.label).toBe('微调');
  });

  it('quizzes on a passage the learner has met, blanking a key term that the options include once', () => {
    const { chunks, quizMaster } = setup();
    const beef = chunks.find((chunk) => chunk.text.includes('炖牛肉的秘方'))!;
    const quiz = quizMaster.makeQuiz({ language: 'zh', citedChunkIds: [beef.chunkId], kind: 'choice' })!;
    expect(quiz.chunkId).toBe(beef.chunkId);
    expect(quiz.sentence).toContain('＿＿＿＿');
    expect(quiz.sentence).not.toContain(quiz.answer.zh);
    expect(beef.text.replace(/\*\*/g, '')).toContain(quiz.fullSentence);
    expect(quiz.options).toHaveLength(4);
    expect(quiz.options!.filter((option) => option === quiz.answer.zh)).toHaveLength(1);
    expect(new Set(quiz.options).size).toBe(4);
    for (const option of quiz.options!) if (option !== quiz.answer.zh) expect(quiz.fullSentence).not.toContain(option);
  });

  it('asks about a concept of the passage rather than the setting of the article, in both languages', () => {
    const { chunks, concepts, quizMaster } = setup();
    const conceptIds = new Set(concepts.map((concept) => concept.id));
    // The opening passage: its longest sentence only names the setting (在讨论大型机器学习模型时...).
    const opening = chunks.find((chunk) => chunk.text.includes('在讨论大型机器学习模型时'))!;
    for (const language of ['zh', 'en'] as const) {
      const quiz = quizMaster.makeQuiz({ language, citedChunkIds: [opening.chunkId], kind: 'choice' })!;
      expect(quiz.chunkId).toBe(opening.chunkId);
      expect(conceptIds.has(quiz.answer.zh), `${language}: ${quiz.sentence}`).toBe(true);
      expect(quiz.fullSentence).not.toMatch(/在讨论大型机器学习模型时|When discussing large machine learning models/);
    }
  });

  it('offers distractors of the same kind as the answer, never function words', () => {
    const { chunks, concepts, quizMaster } = setup();
    const conceptIds = new Set(concepts.map((concept) => concept.id));
    const functionWords = ['比如', '例如', '意图', '准确', '区别', '更快', '效果', '任务', '词汇', '上下文'];
    const quizzed: string[] = [];
    let subjectQuizzes = 0;
    for (const _chunk of chunks) {
      const quiz = quizMaster.makeQuiz({ language: 'zh', citedChunkIds: [], quizzedChunkIds: quizzed, kind: 'choice' })!;
      quizzed.push(quiz.chunkId);
      const distractors = quiz.options!.filter((option) => option !== quiz.answer.zh);
      for (const option of distractors) expect(functionWords).not.toContain(option);
      expect(functionWords).not.toContain(quiz.answer.zh);
      // Against a word of the cooking analogy (烹饪, 炖牛肉): the analogy's other words, not the subject's terms.
      const figure = (zh: string) =>
        chunks.filter((chunk) => chunk.text.includes(zh)).every((chunk) => chunk.headingPath.some((h) => h.includes('烹饪')));
      if (figure(quiz.answer.zh))
        for (const option of distractors) expect(figure(option), `${option} against ${quiz.answer.zh}`).toBe(true);
      if (quiz.answer.zh === '微调' || quiz.answer.zh === '预训练模型') {
        subjectQuizzes += 1;
        // Against a term of the subject: other terms of the subject (concepts where there are enough of its class, see
        // the next test), none from the cooking analogy.
        for (const option of distractors) {
          expect(figure(option), `${option} against ${quiz.answer.zh}`).toBe(false);
          expect(['厨师', '调料', '烹饪', '炖牛肉']).not.toContain(option);
        }
        expect(distractors.some((option) => conceptIds.has(option))).toBe(true);
      }
    }
    expect(subjectQuizzes).toBeGreaterThan(0);
  });

  it('offers things against a thing: no process such as 重新训练 against 预训练模型, in either language', () => {
    const { chunks, quizMaster } = setup();
    const glossary = fixture.runtime.analyzer.glossary.terms;
    const classOfOption = (option: string) => {
      const term = glossary.find((entry) => entry.zh === option || entry.gloss === option);
      return term ? termClassOf(term) : undefined;
    };
    let checked = 0;
    for (const language of ['zh', 'en'] as const) {
      const quizzed: string[] = [];
      for (const _chunk of chunks) {
        const quiz = quizMaster.makeQuiz({ language, citedChunkIds: [], quizzedChunkIds: quizzed, kind: 'choice' })!;
        quizzed.push(quiz.chunkId);
        if (quiz.answer.zh !== '预训练模型') continue;
        checked += 1;
        for (const option of quiz.options!) expect(classOfOption(option), `${option} against ${quiz.answer.zh}`).not.toBe('process');
      }
    }
    expect(checked).toBeGreaterThan(2);
  });

  it('gives an English learner the English rendering of the sentence, with English options of the same kind, and grades them', () => {
    const { chunks, quizMaster } = setup();
    const glossary = fixture.runtime.analyzer.glossary.terms;
    const byGloss = (option: string) => glossary.find((term) => term.gloss.replace(/\s*\([^)]*\)/, '') === option);
    const quizzed: string[] = [];
    const kinds = new Set<string>();
    for (const _chunk of chunks) {
      const quiz = quizMaster.makeQuiz({ language: 'en', citedChunkIds: [], quizzedChunkIds: quizzed, kind: 'choice' })!;
      quizzed.push(quiz.chunkId);
      const latin = (quiz.sentence.match(/[A-Za-z]/g) ?? []).length;
      const cjk = (quiz.sentence.match(/[\u3400-\u9fff]/g) ?? []).length;
      expect(latin, quiz.sentence).toBeGreaterThan(cjk * 3);
      expect(quiz.prompt).toMatch(/English rendering/);
      // The blank is not given away: neither the English form nor the Chinese term stands in the sentence.
      expect(quiz.sentence).not.toContain(quiz.answer.zh);
      expect(quiz.sentence.toLowerCase()).not.toContain(quiz.answer.gloss.toLowerCase());
      expect(quiz.options).toHaveLength(4);
      const terms = quiz.options!.map(byGloss);
      for (const term of terms) expect(term, `option ${quiz.options}`).toBeDefined();
      expect(terms.filter((term) => term!.zh === quiz.answer.zh)).toHaveLength(1);
      const figure = (zh: string) =>
        chunks.filter((chunk) => chunk.text.includes(zh)).every((chunk) => chunk.headingPath.some((h) => h.includes('烹饪')));
      // Distractors of the answer's kind: the analogy's words against an analogy word, the subject's against a subject term.
      for (const term of terms) expect(figure(term!.zh), `${term!.zh} against ${quiz.answer.zh}`).toBe(figure(quiz.answer.zh));
      kinds.add(figure(quiz.answer.zh) ? 'analogy' : 'subject');
      const rightLetter = 'abcd'[
        quiz.options!.indexOf(terms.find((term) => term!.zh === quiz.answer.zh)!.gloss.replace(/\s*\([^)]*\)/, ''))
      ]!;
      expect(quizMaster.grade(quiz, rightLetter).verdict).toBe('right');
      expect(quizMaster.grade(quiz, quiz.answer.zh).verdict).toBe('right');
      const { explanation } = quizMaster.grade(quiz, rightLetter);
      expect(explanation).toMatch(
        /^Right! .*\n\n(?:The article also says: [A-Z].*|The sentence is from (?:the section "[^"]+"|this passage of the article)\.) \[1\]$/s,
      );
      // The learner sees the quiz sentence filled in: the explanation does not repeat it.
      expect(explanation).not.toContain(quiz.fullSentence);
    }
    expect(kinds).toEqual(new Set(['analogy', 'subject']));
  });

  it('reads right in English with the right option in the blank (the label as the rendering says it, plural ending kept)', () => {
    const { chunks, quizMaster } = setup();
    const quizzed: string[] = [];
    const plain = (text: string) =>
      text
        .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
        .replace(/\*\*/g, '')
        .replace(/\s+/g, ' ')
        .trim()
        .toLowerCase();
    let plural = 0;
    for (const _chunk of chunks) {
      const quiz = quizMaster.makeQuiz({ language: 'en', citedChunkIds: [], quizzedChunkIds: quizzed, kind: 'choice' })!;
      quizzed.push(quiz.chunkId);
      const right = quiz.shownAnswer ?? quiz.answer.gloss.replace(/\s*\([^)]*\)/, '');
      expect(quiz.options).toContain(right);
      if (quiz.sentence.includes('＿＿＿＿s')) plural += 1;
      expect(plain(quiz.sentence.split('＿＿＿＿').join(right)), quiz.sentence).toBe(plain(quiz.fullSentence));
    }
    // The shipped rendering says "large pre-trained models": its quiz keeps the plural ending outside the blank.
    expect(plural).toBeGreaterThan(0);
  });

  it('never blanks a term that the sentence names in the other language beside it ("微调"(Fine-tuning))', () => {
    const { chunks, quizMaster } = setup();
    const quizzed: string[] = [];
    for (const _chunk of chunks) {
      const quiz = quizMaster.makeQuiz({ language: 'zh', citedChunkIds: [], quizzedChunkIds: quizzed, kind: 'choice' })!;
      quizzed.push(quiz.chunkId);
      for (const form of [quiz.answer.gloss, ...quiz.answer.en]) expect(quiz.sentence.toLowerCase()).not.toContain(form.toLowerCase());
    }
  });

  it('grades with an explanation that cites the passage holding the answer', () => {
    const { chunks, quizMaster } = setup();
    const quiz = quizMaster.makeQuiz({ language: 'en', citedChunkIds: [chunks[1]!.chunkId], kind: 'fill' })!;
    expect(quiz.prompt).toMatch(/^Fill in the blank/);
    const right = quizMaster.grade(quiz, quiz.answer.zh);
    expect(right.verdict).toBe('right');
    expect(right.explanation).toMatch(/^Right! The answer is/);
    expect(right.explanation).toContain('[1]');
    expect(right.citations[0]!.chunkId).toBe(quiz.chunkId);
    const wrong = quizMaster.grade(quiz, 'LoRA');
    expect(wrong.verdict).toBe('wrong');
    expect(wrong.explanation).toContain(quiz.answer.zh);
  });

  it('accepts the English of the term and a pinyin slip of it, saying what each was read as; another term stays wrong', () => {
    const { chunks, quizMaster } = setup();
    const quizzed: string[] = [];
    let quiz: ReturnType<typeof quizMaster.makeQuiz>;
    for (const _chunk of chunks) {
      quiz = quizMaster.makeQuiz({ language: 'zh', citedChunkIds: [], quizzedChunkIds: quizzed, kind: 'fill' });
      if (quiz === undefined || quiz.answer.zh === '微调') break;
      quizzed.push(quiz.chunkId);
    }
    expect(quiz?.answer.zh).toBe('微调');
    if (quiz === undefined) return;
    const english = quizMaster.grade(quiz, 'fine-tuning');
    expect(english.verdict).toBe('right');
    expect(english.explanation).toMatch(/^答对了！答案是「微调」。你写的「fine-tuning」是「微调」的英文说法/);
    const slip = quizMaster.grade(quiz, '威调');
    expect(slip.verdict).toBe('right');
    expect(slip.explanation).toContain('你写的「威调」和「微调」拼音相同');
    expect(quizMaster.grade(quiz, '微调').explanation).not.toContain('你写的');
    for (const other of ['调教', 'tuning']) {
      const wrong = quizMaster.grade(quiz, other);
      expect(wrong.verdict, other).toBe('wrong');
      expect(wrong.explanation).not.toContain('你写的');
    }
    const inEnglish = quizMaster.grade({ ...quiz, language: 'en' }, '威调');
    expect(inEnglish.explanation).toContain('You wrote 威调, which reads like 微调 in pinyin');
  });

  it('moves on to passages not quizzed yet', () => {
    const { chunks, quizMaster } = setup();
    const first = quizMaster.makeQuiz({ language: 'zh', citedChunkIds: [chunks[0]!.chunkId] })!;
    const second = quizMaster.makeQuiz({ language: 'zh', citedChunkIds: [chunks[0]!.chunkId], quizzedChunkIds: [first.chunkId] })!;
    expect(second.chunkId).not.toBe(first.chunkId);
    expect(first.kind).toBe('choice');
    expect(second.kind).toBe('fill');
  });
});
