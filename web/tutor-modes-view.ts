import type { CitationPayload, ExplainRequest, ProgressResponse, QuizQuestionResponse } from '../src/shared/chat-protocol.js';
import type { ChatConnection } from './chat-connection.js';
import { h, icon } from './dom.js';
import { stringsFor, type WidgetLanguage, type WidgetStrings } from './widget-i18n.js';

/**
 * The tutor modes in the widget: the action row under an answer (explain differently, thumbs up/down), the quiz card
 * and the learning-progress bar. They reach the tutor through the element, which owns the connection, the
 * conversation and the rendering of cited Markdown. Every string from the server becomes a text node, except quiz
 * explanations, which are rendered like answers (sanitised Markdown with citation chips).
 */
export interface ModesHost {
  readonly strings: WidgetStrings;
  readonly language: WidgetLanguage;
  /** The language the conversation is held in: its latest answer's, else the widget's. */
  conversationLanguage(): WidgetLanguage;
  connection(): ChatConnection | undefined;
  conversationId(): string | undefined;
  /** Sanitised Markdown with clickable citation chips that open the source card. */
  renderCited(text: string, citations: readonly CitationPayload[]): DocumentFragment;
  ask(question: string): void;
  /** Asks for an earlier answer again; `label` is what the learner's bubble shows. */
  explain(label: string, request: ExplainRequest): void;
  announce(text: string): void;
  /** A short message for a failed call, in the widget's language. */
  describeError(error: unknown): string;
  /** Scrolls the log to show `element` from its top. */
  reveal(element: HTMLElement): void;
}

/** What the action row needs to know about one finished answer. */
export interface AnsweredTurn {
  readonly messageId: string;
  /** The question as stored: the learner's words, or the label of an "explain differently" turn. */
  readonly question: string;
  readonly citations: readonly CitationPayload[];
  readonly grounded: boolean;
}

/** The label(s) an "explain differently" turn starts with: "更简单一点：", "In English: "... */
const LABEL = /^(?:[^:：]{2,24}[:：] ?)+/;

/**
 * The language of an answer, from its question by the tutor's own rule (a few CJK characters make it Chinese). An
 * "explain differently" turn is labelled "<how>: <earlier question>" in the language of its answer, so only the part
 * before the colon counts ("English: 什么是微调？" is English).
 */
export function languageOfTurn(question: string): WidgetLanguage {
  const text = /^[^:：]{2,24}[:：]/.exec(question)?.[0] ?? question;
  const cjk = text.match(/[\u3400-\u9fff\uf900-\ufaff]/g)?.length ?? 0;
  const latin = text.match(/[a-z]/gi)?.length ?? 0;
  return cjk >= 2 || (cjk > 0 && cjk * 3 >= latin) ? 'zh' : 'en';
}

const errorLine = (host: ModesHost, error: unknown): HTMLElement =>
  h('p', { class: 'mode-error', role: 'alert' }, host.describeError(error));

/** Explain differently (simpler, analogy, the other language) and thumbs up/down, under one answer. */
export function answerActions(host: ModesHost, turn: AnsweredTurn): HTMLElement {
  const s = host.strings;
  const answerLanguage = languageOfTurn(turn.question);
  const row = h('div', { class: 'actions' });
  const wrap = h('div', {}, row);
  if (turn.grounded && turn.citations.length > 0) {
    for (const style of ['simpler', 'analogy', 'language'] as const) {
      const language: WidgetLanguage = style === 'language' ? (answerLanguage === 'zh' ? 'en' : 'zh') : answerLanguage;
      // The button speaks the widget's language, except the language button, which names the other language in itself.
      const text = style === 'language' ? stringsFor(language).languageName : s[style];
      const button = h(
        'button',
        { type: 'button', class: 'action', 'data-action': style, lang: style === 'language' ? language : undefined },
        text,
      );
      button.addEventListener('click', () =>
        host.explain(
          `${style === 'language' ? text : stringsFor(language)[style]}${language === 'zh' ? '：' : ': '}${turn.question.replace(LABEL, '')}`,
          {
            messageId: turn.messageId,
            ...(style === 'language' ? { language } : { style }),
          },
        ),
      );
      row.appendChild(button);
    }
  }
  const thumb = (rating: 'up' | 'down', label: string): HTMLButtonElement =>
    h(
      'button',
      { type: 'button', class: `action thumb ${rating}`, 'aria-label': label, title: label, 'aria-pressed': 'false' },
      icon('thumb'),
    );
  const up = thumb('up', s.helpful);
  const down = thumb('down', s.notHelpful);
  row.appendChild(h('span', { class: 'thumbs' }, up, down));

  let form: HTMLFormElement | undefined;
  const send = async (rating: 'up' | 'down', reason = '', chunkId = ''): Promise<void> => {
    const connection = host.connection();
    const conversationId = host.conversationId();
    if (connection === undefined || conversationId === undefined) return;
    up.disabled = down.disabled = true;
    wrap.querySelector('.mode-error')?.remove();
    try {
      await connection.api('/feedback', {
        conversationId,
        messageId: turn.messageId,
        rating,
        ...(reason === '' ? {} : { reason }),
        ...(chunkId === '' ? {} : { chunkId }),
      });
      (rating === 'up' ? up : down).setAttribute('aria-pressed', 'true');
      form?.remove();
      row.appendChild(h('span', { class: 'thanks', role: 'status' }, s.feedbackThanks));
    } catch (error) {
      up.disabled = down.disabled = false;
      wrap.appendChild(errorLine(host, error));
    }
  };
  up.addEventListener('click', () => void send('up'));
  down.setAttribute('aria-expanded', 'false');
  down.addEventListener('click', () => {
    if (form !== undefined) return form.querySelector('input')?.focus();
    down.setAttribute('aria-expanded', 'true');
    // Thumbs down asks, optionally, what was wrong and which cited passage it is about.
    const reason = h('input', { class: 'field', maxlength: '500', 'aria-label': s.feedbackReason, placeholder: s.feedbackReason });
    const passage =
      turn.citations.length > 0
        ? h(
            'select',
            { class: 'field', 'aria-label': s.feedbackPassage },
            h('option', { value: '' }, s.feedbackWhole),
            ...turn.citations.map((citation) =>
              h('option', { value: citation.chunkId }, `[${citation.marker}] ${citation.text.replace(/\s+/g, ' ').slice(0, 40)}…`),
            ),
          )
        : undefined;
    form = h('form', { class: 'feedback-form' }, passage, reason, h('button', { class: 'action primary' }, s.send));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void send('down', reason.value.trim(), passage?.value);
    });
    row.after(form);
    reason.focus();
  });
  return wrap;
}

/**
 * The explanation without its opening verdict ("答对了！答案是…" → "答案是…"): the badge above it already says the
 * verdict, and a screen reader should hear it once. The verdict is the short first clause (at most 12 characters,
 * ending in ！!：:，,) of the first paragraph; a longer or unpunctuated opening is kept whole.
 */
export function withoutVerdict(explanation: string): string {
  const rest = explanation.replace(/^[^\n！!：:，,。.]{1,12}[！!：:，,][ \t]*(?=\S)/, '');
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}

/** The quoted sentence with its blank marked (or, once graded, filled with the answer). */
const sentenceWithBlank = (sentence: string, fill?: string): HTMLElement =>
  h(
    'p',
    { class: 'quiz-sentence' },
    ...sentence.split(/(＿+|_{3,})/).map((part, index) => (index % 2 === 1 ? h('mark', { class: 'blank' }, fill ?? part) : part)),
  );

/** A quiz card for the log: asks the server for a question, shows it, grades the learner's answer and explains it. */
export function quizCard(host: ModesHost, onAgain: () => void): HTMLElement {
  const s = host.strings;
  const body = h('div', { class: 'quiz' }, h('p', { class: 'typing' }, s.thinking));
  const card = h(
    'section',
    { class: 'msg msg-tutor', 'aria-label': s.quizTitle, 'aria-busy': 'true' },
    h('p', { class: 'badge', 'data-kind': 'quiz' }, icon('question'), s.quizTitle),
    body,
  );
  const connection = host.connection();
  const conversationId = host.conversationId();
  if (connection === undefined || conversationId === undefined) return card;

  const show = (quiz: QuizQuestionResponse): void => {
    card.dataset.chunkId = quiz.chunkId;
    card.dataset.kind = quiz.kind;
    const sentence = sentenceWithBlank(quiz.sentence);
    // One fieldset holds the options (choice) or the answer box (fill): disabling it disables them all.
    const options = quiz.options ?? [];
    const controls = h('fieldset', { class: options.length === 0 ? '' : 'quiz-options' });
    const form = h('form', {}, controls);
    const grade = async (answer: string, chosen?: HTMLElement): Promise<void> => {
      if (answer.trim() === '') return;
      controls.disabled = true;
      form.nextElementSibling?.remove();
      try {
        const result = await connection.api(`/quiz/${encodeURIComponent(quiz.quizId)}/answer`, { conversationId, answer: answer.trim() });
        const verdict = s.quizVerdicts[result.verdict];
        card.dataset.verdict = result.verdict;
        controls.querySelector(`[value="${CSS.escape(result.correctAnswer)}"]`)?.setAttribute('data-correct', '');
        chosen?.setAttribute('data-chosen', result.verdict);
        sentence.replaceWith(sentenceWithBlank(quiz.sentence, result.correctAnswer));
        const explanation = h('div', { class: 'answer markdown' });
        explanation.appendChild(host.renderCited(withoutVerdict(result.explanation), result.citations));
        const again = h('button', { type: 'button', class: 'action primary' }, s.quizAgain);
        again.addEventListener('click', onAgain);
        const outcome = h(
          'div',
          { class: 'quiz-result' },
          h('p', { class: 'badge', 'data-kind': result.verdict }, icon(result.verdict === 'wrong' ? 'close' : 'check'), verdict),
          explanation,
          again,
        );
        body.appendChild(outcome);
        host.announce(`${verdict} ${explanation.textContent ?? ''}`);
        again.focus({ preventScroll: true });
        host.reveal(outcome);
      } catch (error) {
        controls.disabled = false;
        form.after(errorLine(host, error));
      }
    };

    if (options.length === 0) {
      const input = h('input', {
        class: 'field',
        maxlength: '200',
        autocomplete: 'off',
        'aria-label': s.quizAnswerLabel,
        placeholder: s.quizAnswerLabel,
      });
      controls.append(input, h('button', { class: 'action primary' }, s.quizCheck));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        void grade(input.value);
      });
    }
    for (const option of options) {
      const button = h('button', { type: 'button', class: 'followup option', value: option }, option);
      button.addEventListener('click', () => void grade(option, button));
      controls.appendChild(button);
    }
    body.replaceChildren(h('p', { class: 'quiz-prompt' }, quiz.prompt), sentence, form);
    host.announce(`${s.quizTitle}: ${quiz.prompt} ${quiz.sentence}`);
    (controls.firstChild as HTMLElement | null)?.focus({ preventScroll: true });
    host.reveal(card);
  };

  connection
    .api('/quiz', { conversationId, language: host.language })
    .then(show, (error: unknown) => body.replaceChildren(errorLine(host, error)))
    .finally(() => card.removeAttribute('aria-busy'));
  return card;
}

export interface ProgressView {
  readonly element: HTMLElement;
  /** Fetches the conversation's progress again (after each answer); the bar stays hidden when there is none. */
  refresh(): void;
  reset(): void;
}

/** "3/13 concepts covered" with a thin bar, an expandable list of the concepts, and "Next: <concept>" that asks about it. */
export function progressView(host: ModesHost, listId: string): ProgressView {
  const s = host.strings;
  const count = h('span');
  const fill = h('i');
  const toggle = h(
    'button',
    { type: 'button', class: 'progress-toggle', 'aria-expanded': 'false', 'aria-controls': listId },
    count,
    h('span', { class: 'bar', 'aria-hidden': 'true' }, fill),
  );
  const next = h('button', { type: 'button', class: 'action next' });
  const list = h('ul', { class: 'concepts', id: listId, hidden: true });
  const element = h('div', { class: 'progress', hidden: true }, h('div', {}, toggle, next), list);
  const setOpen = (open: boolean): void => {
    list.hidden = !open;
    toggle.setAttribute('aria-expanded', String(open));
  };
  let nextQuestion = '';
  let generation = 0;
  toggle.addEventListener('click', () => setOpen(list.hidden));
  next.addEventListener('click', () => host.ask(nextQuestion));
  // The conversation's language when the list was asked for: concepts and the next question are named in it.
  let language = host.conversationLanguage();
  // An English conversation names a concept by its English gloss first, the Chinese term after: "tuning (调教)".
  const name = (concept: { label: string; gloss: string }): string =>
    language === 'en' && concept.gloss !== '' ? `${concept.gloss} (${concept.label})` : concept.label;

  const render = (progress: ProgressResponse): void => {
    element.hidden = progress.total === 0;
    element.dataset.covered = String(progress.covered);
    count.textContent = s.progressCount(progress.covered, progress.total);
    fill.style.setProperty('width', `${(100 * progress.covered) / Math.max(1, progress.total)}%`);
    list.replaceChildren(
      ...progress.concepts.map((concept) =>
        h('li', { 'data-covered': String(concept.covered), title: concept.gloss }, concept.covered ? `✓ ${name(concept)}` : name(concept)),
      ),
    );
    nextQuestion = progress.next?.question ?? '';
    next.hidden = progress.next === undefined;
    if (progress.next !== undefined) {
      next.replaceChildren(h('span', {}, s.progressNext, name(progress.next)), icon('send'));
      next.title = progress.next.question;
    }
  };

  return {
    element,
    refresh() {
      const connection = host.connection();
      const conversationId = host.conversationId();
      const current = (generation += 1);
      if (connection === undefined || conversationId === undefined) return;
      const asked = host.conversationLanguage();
      connection.api(`/conversations/${encodeURIComponent(conversationId)}/progress?language=${asked}`).then(
        (progress) => {
          if (current !== generation) return;
          language = asked;
          render(progress);
        },
        // Progress is a nicety: without it (an older server, an expired conversation) the bar stays as it was.
        () => undefined,
      );
    },
    reset() {
      generation += 1;
      element.hidden = true;
      setOpen(false);
    },
  };
}
