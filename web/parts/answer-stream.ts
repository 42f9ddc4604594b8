import type { ExplainRequest } from '../../src/shared/chat-protocol.js';
import { type AnswerDone, type ChatConnection, ChatConnectionError } from '../chat-connection.js';
import { h, icon } from '../dom.js';
import { createSentenceBuffer } from '../render-answer.js';
import type { WidgetStrings } from '../widget-i18n.js';
import {
  type AnswerViewHost,
  createTurnView,
  renderAnswerContent,
  renderFinishedAnswer,
  type TurnView,
  timeElement,
} from './answer-view.js';

/** No event for this long while an answer is pending means it is lost. */
const ANSWER_STALL_TIMEOUT_MS = 90_000;

/** Why an answer failed, as much as is known. */
export interface Failure {
  readonly code: string;
  readonly serverMessage?: string;
  readonly retryAfterSeconds?: number | undefined;
}

export function failureOf(error: unknown): Failure {
  if (!(error instanceof ChatConnectionError)) return { code: 'UNKNOWN' };
  return { code: error.code, serverMessage: error.message, retryAfterSeconds: error.retryAfterSeconds };
}

/** What the stream needs from the element: the connection, the conversation, the log and the other parts. */
export interface AnswerStreamHost extends AnswerViewHost {
  readonly strings: WidgetStrings;
  connection(): ChatConnection | undefined;
  conversationId(): string | undefined;
  /** The server named the conversation (first answer) or a new one replaced an expired one. */
  setConversation(conversationId: string | undefined, firstQuestion?: string): void;
  readonly log: HTMLElement;
  setStreaming(streaming: boolean): void;
  /** The question went out: the box is emptied if it still holds it (not of another question typed since). */
  clearInput(question: string): void;
  editQuestion(text: string): void;
  showStatus(text: string, kind: 'warning' | 'ok', hideAfterMs?: number): void;
  errorMessage(failure: Failure): string;
  closeSource(): void;
  isNearEnd(): boolean;
  reveal(element: HTMLElement): void;
  scrollToEnd(): void;
  /** An answer finished (progress, unread badge, recent list). */
  answered(question: string): void;
}

interface Pending {
  readonly question: string;
  /** Set when this answer re-explains an earlier one (the question is then only a label). */
  readonly explain: ExplainRequest | undefined;
  readonly view: TurnView;
  readonly answer: HTMLElement;
  messageId: string | undefined;
  text: string;
  renderQueued: boolean;
  interrupted: boolean;
  stallTimer: ReturnType<typeof setTimeout> | undefined;
  speech: { push(text: string): void; flush(): void };
}

/**
 * The answer being streamed: asks, renders deltas (once per frame), finishes, fails with a retry, stops on request
 * (keeping what was written, marked stopped) and survives reconnects (socket.io replays missed events when it
 * recovered the session; otherwise the stored transcript tells what became of the answer).
 */
export interface AnswerStream {
  readonly busy: boolean;
  send(question: string, replacing?: TurnView, explain?: ExplainRequest): Promise<void>;
  stop(): void;
  /** Drops the pending answer without a trace (new chat, teardown); late events for it are ignored. */
  abandon(): void;
  connectionLost(): void;
  reconnected(recovered: boolean): void;
}

export function createAnswerStream(host: AnswerStreamHost): AnswerStream {
  const s = host.strings;
  let pending: Pending | undefined;

  const typing = (): HTMLElement =>
    h('p', { class: 'typing' }, h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), s.thinking);

  const clear = (current: Pending): void => {
    clearTimeout(current.stallTimer);
    if (pending === current) pending = undefined;
    host.setStreaming(false);
  };
  const arm = (current: Pending): void => {
    clearTimeout(current.stallTimer);
    current.stallTimer = setTimeout(() => fail(current, { code: 'ANSWER_TIMEOUT' }), ANSWER_STALL_TIMEOUT_MS);
  };

  const onDelta = (current: Pending, text: string): void => {
    if (pending !== current) return;
    current.text += text;
    current.speech.push(text);
    arm(current);
    if (current.renderQueued) return;
    current.renderQueued = true;
    requestAnimationFrame(() => {
      current.renderQueued = false;
      if (pending !== current) return;
      const stick = host.isNearEnd();
      current.view.tutor.querySelector('.typing')?.remove();
      current.answer.replaceChildren(renderAnswerContent(host, current.text, undefined));
      if (stick) host.reveal(current.view.element);
    });
  };

  const onReset = (current: Pending): void => {
    if (pending !== current) return;
    current.text = '';
    current.speech = createSentenceBuffer((sentence) => host.announce(sentence));
    arm(current);
    current.answer.replaceChildren();
    if (current.view.tutor.querySelector('.typing') === null) current.view.tutor.appendChild(typing());
  };

  const onDone = (current: Pending, event: AnswerDone): void => {
    if (pending !== current) return;
    current.speech.flush();
    const stick = host.isNearEnd();
    clear(current);
    const { messageId, conversationId, ...response } = event;
    if (conversationId !== host.conversationId()) host.setConversation(conversationId, current.question);
    renderFinishedAnswer(host, current.view, response, { messageId, question: current.question, at: new Date() });
    const parts: string[] = [];
    if (!response.grounded && response.mode !== 'small-talk') parts.push(s.notCovered);
    else if (response.mode === 'offline-fallback') parts.push(s.modeFallback);
    if (response.followUps.length > 0) parts.push(`${s.followUps}: ${response.followUps.join(' / ')}`);
    if (parts.length > 0) host.announce(parts.join('. '));
    if (stick) host.reveal(current.view.element);
    host.answered(current.question);
  };

  const fail = (current: Pending, failure: Failure): void => {
    if (pending !== current) return;
    clear(current);
    if (current.messageId !== undefined) host.connection()?.forget(current.messageId);
    current.speech.flush();
    const code = failure.code;
    current.view.tutor.querySelector('.typing')?.remove();
    current.answer.classList.remove('streaming');
    if (current.text === '') current.answer.remove();
    current.view.tutor.removeAttribute('aria-busy');
    const tooLong = code === 'MESSAGE_TOO_LONG' || code === 'PAYLOAD_TOO_LARGE';
    const retry = h('button', { type: 'button', class: 'retry' }, icon('retry'), tooLong ? s.editQuestion : s.retry);
    retry.addEventListener('click', () => {
      if (tooLong) {
        // Sending the same text again cannot help: hand it back for shortening.
        current.view.element.remove();
        host.editQuestion(current.question);
        return;
      }
      void stream.send(current.question, current.view, current.explain);
    });
    current.view.tutor.appendChild(
      h(
        'div',
        { class: 'error', role: 'alert', 'data-code': code },
        icon('warning'),
        h('span', { class: 'error-text' }, host.errorMessage(failure)),
        retry,
      ),
    );
    host.scrollToEnd();
  };

  /** After a reconnect that lost events: the finished answer may be stored on the server; else offer a retry. */
  const reconcile = async (current: Pending): Promise<void> => {
    const conversationId = host.conversationId();
    const connection = host.connection();
    if (conversationId === undefined || current.messageId === undefined || connection === undefined) {
      return fail(current, { code: 'CONNECTION_LOST' });
    }
    try {
      const conversation = await connection.fetchConversation(conversationId);
      const turn = conversation?.turns.find((candidate) => candidate.messageId === current.messageId);
      if (turn !== undefined && pending === current)
        return onDone(current, { ...turn.response, conversationId, messageId: turn.messageId });
    } catch {
      // Fall through to the retry offer.
    }
    fail(current, { code: 'CONNECTION_LOST' });
  };

  const stream: AnswerStream = {
    get busy() {
      return pending !== undefined;
    },
    async send(rawQuestion, replacing, explain) {
      const connection = host.connection();
      const question = rawQuestion.trim();
      if (connection === undefined || question === '') return;
      if (pending !== undefined) return host.showStatus(s.errorBusy, 'warning', 3000);
      if (connection.status === 'offline') return host.showStatus(s.errorOfflineSend, 'warning');
      host.closeSource();
      host.log.querySelector('.starters')?.remove();
      const view = createTurnView(s, question);
      if (replacing !== undefined) replacing.element.replaceWith(view.element);
      else host.log.appendChild(view.element);
      const answer = h('div', { class: 'answer markdown streaming' });
      view.tutor.append(answer, typing());
      const current: Pending = {
        question,
        explain,
        view,
        answer,
        messageId: undefined,
        text: '',
        renderQueued: false,
        interrupted: false,
        stallTimer: undefined,
        speech: createSentenceBuffer((sentence) => host.announce(sentence)),
      };
      pending = current;
      if (explain === undefined) host.clearInput(question);
      host.setStreaming(true);
      host.scrollToEnd();
      host.announce(s.answering);
      arm(current);
      const conversationId = host.conversationId();
      try {
        const ack = await connection.ask(
          explain !== undefined
            ? { ...(conversationId === undefined ? {} : { conversationId }), explain }
            : conversationId === undefined
              ? { message: question }
              : { message: question, conversationId },
          {
            onDelta: (text) => onDelta(current, text),
            onReset: () => onReset(current),
            onDone: (event) => onDone(current, event),
            onError: (error) => fail(current, { code: error.code, serverMessage: error.message }),
          },
        );
        if (pending !== current) return connection.forget(ack.messageId);
        current.messageId = ack.messageId;
        if (host.conversationId() !== ack.conversationId) host.setConversation(ack.conversationId, question);
      } catch (error) {
        if (pending !== current) return;
        if (error instanceof ChatConnectionError && error.code === 'CONVERSATION_NOT_FOUND' && conversationId !== undefined && !explain) {
          // The remembered conversation expired on the server: ask again in a new one.
          host.setConversation(undefined);
          clear(current);
          view.element.remove();
          return stream.send(question);
        }
        fail(current, failureOf(error));
      }
    },
    stop() {
      const current = pending;
      if (current === undefined) return;
      clear(current);
      current.speech.flush();
      // The server aborts the answer (and its model call) when the socket that asked for it goes away.
      if (current.messageId !== undefined) host.connection()?.stop(current.messageId);
      current.view.tutor.querySelector('.typing')?.remove();
      current.answer.classList.remove('streaming');
      current.answer.replaceChildren(renderAnswerContent(host, current.text, undefined));
      current.view.tutor.removeAttribute('aria-busy');
      current.view.tutor.dataset.stopped = 'true';
      current.view.tutor.prepend(h('p', { class: 'badge', 'data-kind': 'stopped' }, icon('stop'), s.stopped));
      current.view.tutor.appendChild(h('p', { class: 'meta' }, timeElement(new Date(), host.language)));
      host.announce(s.stopped);
    },
    abandon() {
      const current = pending;
      if (current === undefined) return;
      clear(current);
      if (current.messageId !== undefined) host.connection()?.forget(current.messageId);
    },
    connectionLost() {
      if (pending !== undefined) pending.interrupted = true;
    },
    reconnected(recovered) {
      const current = pending;
      if (!current?.interrupted) return;
      current.interrupted = false;
      if (!recovered) void reconcile(current);
    },
  };
  return stream;
}
