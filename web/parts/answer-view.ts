import type { ChatResponse, CitationPayload } from '../../src/shared/chat-protocol.js';
import { answerAsText } from '../answer-copy.js';
import { shownTitle } from '../citation-title.js';
import { h, icon } from '../dom.js';
import { markAnswerLanguage } from '../language-marks.js';
import { insertCitationChips, renderMarkdown } from '../render-answer.js';
import { answerActions, type ModesHost } from '../tutor-modes-view.js';
import { languageOfText, relativeTime, type WidgetLanguage, type WidgetStrings } from '../widget-i18n.js';

/** One question and its answer in the log. */
export interface TurnView {
  readonly element: HTMLElement;
  readonly tutor: HTMLElement;
}

export interface AnswerViewHost {
  readonly strings: WidgetStrings;
  readonly language: WidgetLanguage;
  readonly modes: ModesHost;
  /** `language`: the language of the answer the chip is in (the source card shows a rendering in it when there is one). */
  openSource(citation: CitationPayload, chip: HTMLElement, language: WidgetLanguage): void;
  ask(question: string): void;
  announce(text: string): void;
}

export type FinishedAnswer = Omit<ChatResponse, 'conversationId'>;

/** A `<time datetime>` whose text is relative ("2 minutes ago"); `refreshTimes` keeps it current. */
export function timeElement(at: Date, language: WidgetLanguage): HTMLTimeElement {
  const time = h('time', { class: 'time', datetime: at.toISOString() }, relativeTime(at, new Date(), language));
  time.title = at.toLocaleString(language === 'zh' ? 'zh-CN' : 'en');
  return time;
}

export function refreshTimes(root: ParentNode, language: WidgetLanguage): void {
  const now = new Date();
  for (const time of Array.from(root.querySelectorAll<HTMLTimeElement>('time.time'))) {
    const at = new Date(time.dateTime);
    if (!Number.isNaN(at.getTime())) time.textContent = relativeTime(at, now, language);
  }
}

export function createTurnView(strings: WidgetStrings, question: string): TurnView {
  const element = h(
    'article',
    { class: 'turn' },
    h('div', { class: 'msg msg-user' }, h('span', { class: 'sr-only' }, `${strings.you}: `), question),
  );
  const tutor = h('div', { class: 'msg msg-tutor', 'aria-busy': 'true' }, h('span', { class: 'sr-only' }, `${strings.tutor}: `));
  element.appendChild(tutor);
  return { element, tutor };
}

/**
 * Sanitised Markdown with citation chips; `citations` undefined while streaming (chips are not clickable yet).
 * `language` is the language the text is written in. @default host.language
 */
export function renderAnswerContent(
  host: AnswerViewHost,
  text: string,
  citations: readonly CitationPayload[] | undefined,
  language: WidgetLanguage = host.language,
): DocumentFragment {
  const fragment = renderMarkdown(text);
  const titleOf = (citation: CitationPayload): string => shownTitle(citation, language).title;
  insertCitationChips(fragment, (marker) => {
    if (citations === undefined) return h('span', { class: 'chip', 'aria-hidden': 'true' }, String(marker));
    const citation = citations.find((candidate) => candidate.marker === marker);
    if (citation === undefined) return undefined;
    const chip = h(
      'button',
      {
        type: 'button',
        class: 'chip',
        'data-marker': String(marker),
        'data-chunk-id': citation.chunkId,
        'aria-label': host.strings.sourceLabel(marker, titleOf(citation)),
        title: titleOf(citation),
      },
      String(marker),
    );
    chip.addEventListener('click', () => host.openSource(citation, chip, language));
    return chip;
  });
  return fragment;
}

/** The server's notice of a fallback answer, or undefined (another mode, or no notice). */
function fallbackNotice(response: FinishedAnswer): string | undefined {
  return response.mode === 'offline-fallback' && response.notice !== undefined && response.notice !== '' ? response.notice : undefined;
}

/**
 * The answer's mode badges. A fallback answer's badge says why the model did not answer, in the server's notice when
 * there is one (unavailable, or the conversation's model answers used up), so the reason is said once.
 */
function modeBadge(s: WidgetStrings, response: FinishedAnswer): HTMLElement[] {
  const badge = (kind: string, name: Parameters<typeof icon>[0], text: string): HTMLElement =>
    h('p', { class: 'badge', 'data-kind': kind }, icon(name), text);
  const fallback = (): HTMLElement => badge('fallback', 'warning', fallbackNotice(response) ?? s.modeFallback);
  // Small talk ("谢谢") asked nothing the article could cover: no badge at all.
  if (response.mode === 'small-talk') return [];
  if (!response.grounded) {
    const badges = [badge('not-covered', 'question', s.notCovered)];
    if (response.mode === 'offline-fallback') badges.push(fallback());
    return badges;
  }
  if (response.mode === 'offline-fallback') return [fallback()];
  if (response.mode === 'offline') return [badge('offline', 'quote', s.modeOffline)];
  return [badge('llm', 'sparkles', s.modeLlm)];
}

/** A copy button: the answer's text with its sources, on the clipboard. */
function copyButton(host: AnswerViewHost, response: FinishedAnswer): HTMLButtonElement {
  const s = host.strings;
  const button = h('button', { type: 'button', class: 'copy', 'aria-label': s.copy, title: s.copy }, icon('copy'));
  button.addEventListener('click', () => {
    const text = answerAsText(response.answer, response.citations, s.sources);
    const done = (): void => {
      button.replaceChildren(icon('check'));
      button.dataset.copied = 'true';
      host.announce(s.copied);
      setTimeout(() => {
        button.replaceChildren(icon('copy'));
        delete button.dataset.copied;
      }, 2000);
    };
    navigator.clipboard?.writeText(text).then(done, () => undefined);
  });
  return button;
}

/**
 * Renders a finished answer (streamed or restored) into the turn: mode badge, Markdown with chips (with `lang` marks),
 * "did you mean" when the question was corrected, notice, actions (explain differently, copy, thumbs), follow-ups,
 * search line and time.
 */
export function renderFinishedAnswer(
  host: AnswerViewHost,
  view: TurnView,
  response: FinishedAnswer,
  turn: { readonly messageId: string; readonly question: string; readonly at: Date },
): void {
  const s = host.strings;
  const tutor = view.tutor;
  const speakerLabel = tutor.querySelector('.sr-only');
  tutor.replaceChildren();
  if (speakerLabel !== null) tutor.appendChild(speakerLabel);
  tutor.removeAttribute('aria-busy');
  tutor.dataset.mode = response.mode;
  tutor.dataset.grounded = String(response.grounded);
  tutor.append(...modeBadge(s, response));

  const corrections = response.corrections ?? [];
  if (corrections.length > 0 && response.searchedFor.trim() !== '') {
    const fixed = corrections.map((correction) => `${correction.from} → ${correction.to}`).join(', ');
    tutor.appendChild(
      h('p', { class: 'corrected' }, icon('search'), h('span', {}, s.didYouMean, h('b', {}, response.searchedFor), ` (${fixed})`)),
    );
  }

  const answer = h('div', { class: 'answer markdown' });
  const language = response.language ?? languageOfText(response.answer);
  answer.appendChild(renderAnswerContent(host, response.answer, response.citations, language));
  markAnswerLanguage(answer, language, host.language);
  // The conversation's language is its latest answer's (the progress bar names concepts in it).
  tutor.dataset.language = language;
  tutor.appendChild(answer);
  // A fallback's notice is its badge; any other notice follows the answer.
  if (response.notice !== undefined && response.notice !== '' && fallbackNotice(response) === undefined)
    tutor.appendChild(h('p', { class: 'notice' }, response.notice));
  const actions = answerActions(host.modes, {
    messageId: turn.messageId,
    question: turn.question,
    citations: response.citations,
    grounded: response.grounded,
  });
  actions.querySelector('.thumbs')?.prepend(copyButton(host, response));
  tutor.appendChild(actions);

  if (response.followUps.length > 0) {
    const list = h('ul', { class: 'followups', 'aria-label': s.followUps });
    for (const followUp of response.followUps) {
      const button = h('button', { type: 'button', class: 'followup' }, followUp);
      button.addEventListener('click', () => host.ask(followUp));
      list.appendChild(h('li', {}, button));
    }
    tutor.append(h('p', { class: 'followups-label', 'aria-hidden': 'true' }, s.followUps), list);
  }
  const meta = h('p', { class: 'meta' });
  if (response.searchedFor.trim() !== '' && corrections.length === 0) {
    meta.appendChild(h('span', { class: 'searched' }, icon('search'), h('span', {}, s.searchedFor, response.searchedFor)));
  }
  meta.appendChild(timeElement(turn.at, host.language));
  tutor.appendChild(meta);
}
