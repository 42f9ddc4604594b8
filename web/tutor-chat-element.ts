import type {
  ChatResponse,
  CitationPayload,
  ConversationTurnPayload,
  ExplainRequest,
  PassageResponse,
} from '../src/shared/chat-protocol.js';
import {
  type AnswerDone,
  type ChatConnection,
  ChatConnectionError,
  type ConnectionStatus,
  createChatConnection,
} from './chat-connection.js';
import { type ConversationStorage, createConversationStorage } from './conversation-storage.js';
import { h, icon } from './dom.js';
import { createSentenceBuffer, insertCitationChips, renderMarkdown } from './render-answer.js';
import { answerActions, type ModesHost, type ProgressView, progressView, quizCard } from './tutor-modes-view.js';
import { stringsFor, type WidgetStrings } from './widget-i18n.js';
import { parseWidgetOptions, WIDGET_ATTRIBUTES, type WidgetOptions } from './widget-options.js';
import { WIDGET_CSS } from './widget-styles.js';

/** Detail of the `tutor:citation` event a widget dispatches (bubbling, composed) when a citation chip is clicked. */
export interface TutorCitationEventDetail {
  readonly chunkId: string;
  readonly start: number;
  readonly end: number;
  readonly title: string;
}

/** Detail of the `tutor:toggle` event a floating widget dispatches when its panel opens or closes. */
export interface TutorToggleEventDetail {
  readonly open: boolean;
}

/** No event for this long while an answer is pending means it is lost. */
const ANSWER_STALL_TIMEOUT_MS = 90_000;
const FOCUSABLE =
  'button:not([disabled]), textarea:not([disabled]), input:not([disabled]), select, a[href], [tabindex]:not([tabindex="-1"])';

interface TurnView {
  readonly element: HTMLElement;
  readonly tutor: HTMLElement;
}

interface PendingAnswer {
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

interface Ui {
  readonly root: HTMLElement;
  readonly launcher: HTMLButtonElement | undefined;
  readonly panel: HTMLElement;
  readonly status: HTMLElement;
  readonly log: HTMLElement;
  readonly form: HTMLFormElement;
  readonly input: HTMLTextAreaElement;
  readonly send: HTMLButtonElement;
  readonly live: HTMLElement;
  readonly card: HTMLElement;
  readonly cardTitle: HTMLElement;
  readonly cardPath: HTMLElement;
  readonly cardPassage: HTMLElement;
  readonly cardLink: HTMLAnchorElement;
  readonly cardClose: HTMLButtonElement;
  readonly progress: ProgressView;
}

let sharedSheet: CSSStyleSheet | undefined;

/** Adopted stylesheets are not blocked by a host page's `style-src` CSP; `<style>` is the fallback for old browsers. */
function applyStyles(shadow: ShadowRoot): void {
  try {
    if (sharedSheet === undefined) {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(WIDGET_CSS);
    }
    shadow.adoptedStyleSheets = [sharedSheet];
  } catch {
    shadow.appendChild(h('style', {}, WIDGET_CSS));
  }
}

/** Why an answer failed, as much as is known. */
interface Failure {
  readonly code: string;
  readonly serverMessage?: string;
  readonly retryAfterSeconds?: number | undefined;
}

function failureOf(error: unknown): Failure {
  if (!(error instanceof ChatConnectionError)) return { code: 'UNKNOWN' };
  return { code: error.code, serverMessage: error.message, retryAfterSeconds: error.retryAfterSeconds };
}

/** Corpus Markdown as reading text for the source card: no heading hashes, bold stars or blank-line runs. */
function readableText(text: string): string {
  return text
    .replace(/^[ \t]*#{1,6}[ \t]+/gm, '')
    .replace(/^[ \t]*[-*+][ \t]+/gm, '• ')
    .replace(/\*\*|__/g, '')
    .replace(/\n{2,}/g, '\n');
}

let instanceCounter = 0;

/**
 * `<tutor-chat>`: the tutor's chat UI in a shadow root. Floating mode is a launcher plus a dialog panel with a focus
 * trap; inline mode is the panel in the page flow. Answers stream in over socket.io, are rendered as sanitised
 * Markdown with clickable citation chips, and the conversation id is kept in localStorage so a reload restores it.
 */
export class TutorChatElement extends HTMLElement {
  static get observedAttributes(): readonly string[] {
    return WIDGET_ATTRIBUTES;
  }

  private readonly shadow: ShadowRoot;
  private readonly instanceId = `tc${(instanceCounter += 1)}`;
  private options: WidgetOptions | undefined;
  private strings: WidgetStrings = stringsFor('en');
  private ui: Ui | undefined;
  private connection: ChatConnection | undefined;
  private storage: ConversationStorage | undefined;
  private conversationId: string | undefined;
  private pending: PendingAnswer | undefined;
  private isOpen = false;
  private wasOffline = false;
  private statusTimer: ReturnType<typeof setTimeout> | undefined;
  private cardTrigger: HTMLElement | undefined;
  private passageRequest: AbortController | undefined;
  private restoreRequest: AbortController | undefined;
  private rebuildQueued = false;
  private readonly passageCache = new Map<string, PassageResponse>();
  private modes: ModesHost | undefined;
  private readonly onViewportChange = (): void => this.fitToVisualViewport();

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    applyStyles(this.shadow);
  }

  connectedCallback(): void {
    if (this.ui === undefined) this.build();
  }

  disconnectedCallback(): void {
    this.teardown();
  }

  attributeChangedCallback(_name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue || this.ui === undefined || this.rebuildQueued) return;
    // Attributes rarely change after load; rebuilding keeps every option path identical to first render.
    this.rebuildQueued = true;
    queueMicrotask(() => {
      this.rebuildQueued = false;
      if (!this.isConnected) return;
      const reopen = this.isOpen;
      this.teardown();
      this.build();
      if (reopen) this.open();
    });
  }

  /** Opens the panel (floating mode) and focuses the question box. */
  open(): void {
    const ui = this.ui;
    if (ui === undefined) return;
    if (this.options?.mode === 'floating') {
      this.isOpen = true;
      ui.panel.hidden = false;
      if (ui.launcher !== undefined) {
        ui.launcher.hidden = true;
        ui.launcher.setAttribute('aria-expanded', 'true');
      }
      this.trackVisualViewport(true);
      this.dispatchToggle(true);
    }
    this.scrollToEnd(true);
    ui.input.focus({ preventScroll: true });
  }

  /** Closes the panel (floating mode) and gives focus back to the launcher. */
  close(): void {
    const ui = this.ui;
    if (ui === undefined || this.options?.mode !== 'floating') return;
    this.isOpen = false;
    this.closeSource(false);
    ui.panel.hidden = true;
    this.trackVisualViewport(false);
    this.dispatchToggle(false);
    if (ui.launcher !== undefined) {
      ui.launcher.hidden = false;
      ui.launcher.setAttribute('aria-expanded', 'false');
      ui.launcher.focus();
    }
  }

  /** Lets the host page make room for the open panel (the demo page moves the article aside). */
  private dispatchToggle(open: boolean): void {
    this.dispatchEvent(new CustomEvent<TutorToggleEventDetail>('tutor:toggle', { bubbles: true, composed: true, detail: { open } }));
  }

  /** Asks a question as if the learner had typed it. */
  ask(question: string): void {
    void this.sendQuestion(question);
  }

  /** Forgets the current conversation and starts an empty one. */
  startNewConversation(): void {
    this.abandonPending();
    this.conversationId = undefined;
    this.storage?.clear();
    this.closeSource(false);
    this.ui?.progress.reset();
    this.renderGreetingOnly();
    this.ui?.input.focus();
  }

  private build(): void {
    const options = parseWidgetOptions((name) => this.getAttribute(name), {
      pageOrigin: window.location.origin,
      browserLanguages: navigator.languages.length > 0 ? navigator.languages : [navigator.language],
      isColor: (value) => typeof CSS !== 'undefined' && CSS.supports('color', value),
    });
    this.options = options;
    this.strings = stringsFor(options.language);
    this.storage = createConversationStorage(options.server, options.storageKey);
    this.conversationId = this.storage.load();
    this.modes = {
      strings: this.strings,
      language: options.language,
      connection: () => this.connection,
      conversationId: () => this.conversationId,
      renderCited: (text, citations) => this.renderAnswerContent(text, citations),
      ask: (question) => void this.sendQuestion(question),
      explain: (label, request) => void this.sendQuestion(label, undefined, request),
      announce: (text) => this.announce(text),
      describeError: (error) => this.describeError(error),
      reveal: (element) => this.revealTurn(element),
    };
    this.ui = this.buildDom(options, this.modes);
    this.renderGreetingOnly();
    this.connection = createChatConnection({
      server: options.server,
      onStatus: (status, details) => this.onConnectionStatus(status, details.recovered),
    });
    if (this.conversationId !== undefined) void this.restoreConversation(this.conversationId);
    if (options.mode === 'floating' && options.openOnLoad) this.open();
  }

  private teardown(): void {
    this.abandonPending();
    this.restoreRequest?.abort();
    this.passageRequest?.abort();
    this.connection?.close();
    this.connection = undefined;
    this.trackVisualViewport(false);
    clearTimeout(this.statusTimer);
    this.ui?.root.remove();
    this.ui = undefined;
    this.isOpen = false;
  }

  private buildDom(options: WidgetOptions, modes: ModesHost): Ui {
    const s = this.strings;
    const id = (suffix: string): string => `${this.instanceId}-${suffix}`;
    const title = options.title ?? s.defaultTitle;
    const floating = options.mode === 'floating';

    const launcher = floating
      ? h(
          'button',
          { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': id('panel'), 'aria-label': s.openChat },
          icon('chat'),
          h('span', { class: 'launcher-label', 'aria-hidden': 'true' }, title),
        )
      : undefined;

    const newButton = h(
      'button',
      { type: 'button', class: 'header-button new-conversation', title: s.newConversation },
      icon('newConversation'),
      h('span', { class: 'label' }, s.newConversation),
    );
    const quizButton = h(
      'button',
      { type: 'button', class: 'header-button quiz-me', title: s.quizMe },
      icon('question'),
      h('span', { class: 'label' }, s.quizMe),
    );
    const progress = progressView(modes, id('concepts'));
    const closeButton = floating
      ? h('button', { type: 'button', class: 'header-button close', 'aria-label': s.closeChat, title: s.closeChat }, icon('close'))
      : undefined;

    const status = h('div', { class: 'status', role: 'status', hidden: true });
    const log = h('div', { class: 'log', role: 'log', 'aria-live': 'off', 'aria-labelledby': id('title'), tabindex: '-1' });
    const live = h('div', { class: 'sr-only live', 'aria-live': 'polite', 'aria-atomic': 'false' });

    const input = h('textarea', {
      id: id('input'),
      class: 'input',
      rows: '1',
      placeholder: s.inputPlaceholder,
      enterkeyhint: 'send',
      autocomplete: 'off',
      'aria-describedby': id('hint'),
    });
    const send = h('button', { type: 'submit', class: 'send', 'aria-label': s.send, title: s.send }, icon('send'));
    const form = h(
      'form',
      { class: 'composer', novalidate: true },
      h('label', { class: 'sr-only', for: id('input') }, s.inputLabel),
      input,
      send,
    );
    const hint = h('p', { class: 'hint', id: id('hint') }, s.inputHint);

    const cardClose = h(
      'button',
      { type: 'button', class: 'source-close', 'aria-label': s.closeSource, title: s.closeSource },
      icon('close'),
    );
    const cardTitle = h('h3', { class: 'source-title', id: id('source-title') });
    const cardPath = h('p', { class: 'source-path' });
    const cardPassage = h('blockquote', { class: 'source-passage' });
    const cardLink = h('a', { class: 'source-link', target: '_blank', rel: 'noopener noreferrer', hidden: true });
    const card = h(
      'section',
      { class: 'source-card', role: 'region', 'aria-labelledby': id('source-title'), hidden: true },
      h('div', { class: 'source-head' }, h('p', { class: 'source-kicker' }, s.sourceCardTitle), cardClose),
      h('div', { class: 'source-body' }, cardTitle, cardPath, cardPassage, cardLink),
    );

    const panel = h(
      'section',
      {
        id: id('panel'),
        class: 'panel',
        role: floating ? 'dialog' : 'region',
        'aria-modal': floating ? 'true' : undefined,
        'aria-labelledby': id('title'),
        hidden: floating,
      },
      h('header', { class: 'header' }, h('h2', { class: 'title', id: id('title') }, title), quizButton, newButton, closeButton),
      progress.element,
      status,
      log,
      card,
      form,
      hint,
      live,
    );

    const root = h(
      'div',
      { class: 'root', 'data-mode': options.mode, 'data-position': options.position, lang: options.language === 'zh' ? 'zh-CN' : 'en' },
      launcher,
      panel,
    );
    if (options.primaryColor !== undefined) root.style.setProperty('--tutor-primary', options.primaryColor);
    this.shadow.appendChild(root);

    launcher?.addEventListener('click', () => this.open());
    closeButton?.addEventListener('click', () => this.close());
    newButton.addEventListener('click', () => this.startNewConversation());
    quizButton.addEventListener('click', () => this.startQuiz());
    cardClose.addEventListener('click', () => this.closeSource(true));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.sendQuestion(input.value);
    });
    input.addEventListener('keydown', (event) => {
      // Enter sends; Shift+Enter is a new line; Enter that confirms an IME composition (pinyin) must not send.
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      void this.sendQuestion(input.value);
    });
    input.addEventListener('input', () => this.autoGrow());
    input.addEventListener('focus', () => {
      if (floating && window.matchMedia('(max-width: 520px)').matches) setTimeout(() => this.scrollToEnd(true), 250);
    });
    panel.addEventListener('keydown', (event) => this.onPanelKeydown(event));

    return {
      root,
      launcher,
      panel,
      status,
      log,
      form,
      input,
      send,
      live,
      card,
      cardTitle,
      cardPath,
      cardPassage,
      cardLink,
      cardClose,
      progress,
    };
  }

  private onPanelKeydown(event: KeyboardEvent): void {
    const ui = this.ui;
    if (ui === undefined) return;
    if (event.key === 'Escape') {
      if (!ui.card.hidden) {
        event.preventDefault();
        event.stopPropagation();
        this.closeSource(true);
      } else if (this.options?.mode === 'floating') {
        event.preventDefault();
        event.stopPropagation();
        this.close();
      }
      return;
    }
    if (event.key !== 'Tab' || this.options?.mode !== 'floating' || !this.isOpen) return;
    const focusable = Array.from(ui.panel.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (element) => element.getClientRects().length > 0,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (first === undefined || last === undefined) return;
    const active = this.shadow.activeElement;
    if (event.shiftKey && (active === first || !ui.panel.contains(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !ui.panel.contains(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  private autoGrow(): void {
    const input = this.ui?.input;
    if (input === undefined) return;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 160)}px`;
  }

  private renderGreetingOnly(): void {
    const ui = this.ui;
    if (ui === undefined) return;
    ui.log.replaceChildren(h('div', { class: 'msg msg-tutor greeting' }, this.options?.greeting ?? this.strings.defaultGreeting));
  }

  private async restoreConversation(conversationId: string): Promise<void> {
    const ui = this.ui;
    const connection = this.connection;
    if (ui === undefined || connection === undefined) return;
    const notice = h(
      'p',
      { class: 'typing restoring' },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
      this.strings.restoring,
    );
    ui.log.appendChild(notice);
    const controller = new AbortController();
    this.restoreRequest = controller;
    try {
      const conversation = await connection.fetchConversation(conversationId, controller.signal);
      notice.remove();
      if (this.conversationId !== conversationId) return;
      if (conversation === undefined) {
        // The server no longer knows it (expired or restarted): start fresh.
        this.conversationId = undefined;
        this.storage?.clear();
        return;
      }
      const restored = document.createDocumentFragment();
      const views = conversation.turns.map((turn) => this.buildRestoredTurn(turn));
      for (const view of views) restored.appendChild(view.element);
      // Restored turns go before anything asked while restoring.
      ui.log.insertBefore(restored, ui.log.children[1] ?? null);
      this.scrollToEnd(true);
      ui.progress.refresh();
    } catch (error) {
      notice.remove();
      if (controller.signal.aborted) return;
      this.showStatus(this.describeError(error), 'warning', 6000);
    } finally {
      if (this.restoreRequest === controller) this.restoreRequest = undefined;
    }
  }

  private buildRestoredTurn(turn: ConversationTurnPayload): TurnView {
    const view = this.createTurnView(turn.question);
    this.renderCompletedAnswer(view, turn.response, turn.messageId, turn.question);
    return view;
  }

  private createTurnView(question: string): TurnView {
    const s = this.strings;
    const element = h(
      'article',
      { class: 'turn' },
      h('div', { class: 'msg msg-user' }, h('span', { class: 'sr-only' }, `${s.you}: `), question),
    );
    const tutor = h('div', { class: 'msg msg-tutor', 'aria-busy': 'true' }, h('span', { class: 'sr-only' }, `${s.tutor}: `));
    element.appendChild(tutor);
    return { element, tutor };
  }

  /** Asks a question, or (with `explain`) for an earlier answer again, labelled `rawQuestion` in the log. */
  private async sendQuestion(rawQuestion: string, replacing?: TurnView, explain?: ExplainRequest): Promise<void> {
    const ui = this.ui;
    const connection = this.connection;
    const question = rawQuestion.trim();
    if (ui === undefined || connection === undefined || question === '') return;
    if (this.pending !== undefined) {
      this.showStatus(this.strings.errorBusy, 'warning', 3000);
      return;
    }
    if (connection.status === 'offline') {
      this.showStatus(this.strings.errorOfflineSend, 'warning');
      return;
    }
    this.closeSource(false);
    const view = this.createTurnView(question);
    if (replacing !== undefined) replacing.element.replaceWith(view.element);
    else ui.log.appendChild(view.element);
    const answer = h('div', { class: 'answer markdown streaming' });
    view.tutor.append(answer, this.typingIndicator());
    const pending: PendingAnswer = {
      question,
      explain,
      view,
      answer,
      messageId: undefined,
      text: '',
      renderQueued: false,
      interrupted: false,
      stallTimer: undefined,
      speech: createSentenceBuffer((sentence) => this.announce(sentence)),
    };
    this.pending = pending;
    if (explain === undefined) {
      ui.input.value = '';
      this.autoGrow();
    }
    ui.send.disabled = true;
    this.scrollToEnd(true);
    this.announce(this.strings.answering);
    this.armStallTimer(pending);

    try {
      const ack = await connection.ask(
        explain !== undefined
          ? { ...(this.conversationId === undefined ? {} : { conversationId: this.conversationId }), explain }
          : this.conversationId === undefined
            ? { message: question }
            : { message: question, conversationId: this.conversationId },
        {
          onDelta: (text) => this.onDelta(pending, text),
          onReset: () => this.onReset(pending),
          onDone: (event) => this.onDone(pending, event),
          onError: (error) => this.failPending(pending, { code: error.code, serverMessage: error.message }),
        },
      );
      if (this.pending !== pending) {
        connection.forget(ack.messageId);
        return;
      }
      pending.messageId = ack.messageId;
      if (this.conversationId !== ack.conversationId) {
        this.conversationId = ack.conversationId;
        this.storage?.save(ack.conversationId);
      }
    } catch (error) {
      if (this.pending !== pending) return;
      if (
        error instanceof ChatConnectionError &&
        error.code === 'CONVERSATION_NOT_FOUND' &&
        this.conversationId !== undefined &&
        explain === undefined
      ) {
        // The remembered conversation expired on the server: ask again in a new one.
        this.conversationId = undefined;
        this.storage?.clear();
        this.clearPending(pending);
        view.element.remove();
        await this.sendQuestion(question);
        return;
      }
      this.failPending(pending, failureOf(error));
    }
  }

  private typingIndicator(): HTMLElement {
    return h('p', { class: 'typing' }, h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), this.strings.thinking);
  }

  private armStallTimer(pending: PendingAnswer): void {
    clearTimeout(pending.stallTimer);
    pending.stallTimer = setTimeout(() => this.failPending(pending, { code: 'ANSWER_TIMEOUT' }), ANSWER_STALL_TIMEOUT_MS);
  }

  private onDelta(pending: PendingAnswer, text: string): void {
    if (this.pending !== pending) return;
    pending.text += text;
    pending.speech.push(text);
    this.armStallTimer(pending);
    if (pending.renderQueued) return;
    pending.renderQueued = true;
    requestAnimationFrame(() => {
      pending.renderQueued = false;
      if (this.pending !== pending) return;
      const stick = this.isNearEnd();
      pending.view.tutor.querySelector('.typing')?.remove();
      pending.answer.replaceChildren(this.renderAnswerContent(pending.text, undefined));
      if (stick) this.revealTurn(pending.view.element);
    });
  }

  /** The model failed mid-answer: drop what was shown; the fallback's answer streams in from the start. */
  private onReset(pending: PendingAnswer): void {
    if (this.pending !== pending) return;
    pending.text = '';
    pending.speech = createSentenceBuffer((sentence) => this.announce(sentence));
    this.armStallTimer(pending);
    pending.answer.replaceChildren();
    if (pending.view.tutor.querySelector('.typing') === null) pending.view.tutor.appendChild(this.typingIndicator());
  }

  private onDone(pending: PendingAnswer, event: AnswerDone): void {
    if (this.pending !== pending) return;
    pending.speech.flush();
    const stick = this.isNearEnd();
    this.clearPending(pending);
    const { messageId: _messageId, conversationId, ...response } = event;
    if (conversationId !== this.conversationId) {
      this.conversationId = conversationId;
      this.storage?.save(conversationId);
    }
    this.renderCompletedAnswer(pending.view, response, event.messageId, pending.question);
    this.announceOutcome(response);
    if (stick) this.revealTurn(pending.view.element);
    this.ui?.progress.refresh();
  }

  private clearPending(pending: PendingAnswer): void {
    clearTimeout(pending.stallTimer);
    if (this.pending === pending) this.pending = undefined;
    if (this.ui !== undefined) this.ui.send.disabled = false;
  }

  /** Stops waiting for the current answer (new conversation, teardown); late events for it are dropped. */
  private abandonPending(): void {
    const pending = this.pending;
    if (pending === undefined) return;
    this.clearPending(pending);
    if (pending.messageId !== undefined) this.connection?.forget(pending.messageId);
  }

  private failPending(pending: PendingAnswer, failure: Failure): void {
    if (this.pending !== pending) return;
    this.clearPending(pending);
    if (pending.messageId !== undefined) this.connection?.forget(pending.messageId);
    pending.speech.flush();
    const message = this.errorMessage(failure);
    const code = failure.code;
    pending.view.tutor.querySelector('.typing')?.remove();
    pending.answer.classList.remove('streaming');
    if (pending.text === '') pending.answer.remove();
    pending.view.tutor.removeAttribute('aria-busy');
    const tooLong = code === 'MESSAGE_TOO_LONG' || code === 'PAYLOAD_TOO_LARGE';
    const retry = h('button', { type: 'button', class: 'retry' }, icon('retry'), tooLong ? this.strings.editQuestion : this.strings.retry);
    retry.addEventListener('click', () => {
      const input = this.ui?.input;
      if (tooLong && input !== undefined) {
        // Sending the same text again cannot help: hand it back for shortening.
        pending.view.element.remove();
        input.value = pending.question;
        this.autoGrow();
        input.focus();
        return;
      }
      input?.focus();
      void this.sendQuestion(pending.question, pending.view, pending.explain);
    });
    pending.view.tutor.appendChild(
      h('div', { class: 'error', role: 'alert', 'data-code': code }, icon('warning'), h('span', { class: 'error-text' }, message), retry),
    );
    this.scrollToEnd(true);
  }

  private errorMessage(failure: Failure): string {
    const s = this.strings;
    switch (failure.code) {
      case 'RATE_LIMITED':
      case 'BUDGET_EXCEEDED':
        return s.errorRateLimited(failure.retryAfterSeconds);
      case 'MESSAGE_TOO_LONG':
      case 'PAYLOAD_TOO_LARGE': {
        // The server states its limit ("at most 2000 characters"); repeat it in the learner's language.
        const limit = /\d+/.exec(failure.serverMessage ?? '')?.[0];
        return s.errorTooLong(limit === undefined ? undefined : Number(limit));
      }
      case 'CONVERSATION_BUSY':
        return s.errorBusy;
      case 'ANSWER_TIMEOUT':
      case 'ACK_TIMEOUT':
        return s.errorTimeout;
      case 'NOT_READY':
      case 'INDEX_BUSY':
        return s.errorNotReady;
      case 'ORIGIN_NOT_ALLOWED':
        return s.errorOrigin;
      case 'CONNECTION_LOST':
        return s.errorConnectionLost;
      default:
        return s.errorGeneric;
    }
  }

  private describeError(error: unknown): string {
    if (error instanceof ChatConnectionError) {
      if (error.code === 'NETWORK') return this.strings.offline;
      return this.errorMessage(failureOf(error));
    }
    return this.strings.errorGeneric;
  }

  /**
   * Renders a finished answer (streamed or restored): mode label, Markdown with chips, the row of actions (explain
   * differently, thumbs up/down), follow-ups, search line.
   */
  private renderCompletedAnswer(view: TurnView, response: Omit<ChatResponse, 'conversationId'>, messageId: string, question: string): void {
    const s = this.strings;
    const tutor = view.tutor;
    const speakerLabel = tutor.querySelector('.sr-only');
    tutor.replaceChildren();
    if (speakerLabel !== null) tutor.appendChild(speakerLabel);
    tutor.removeAttribute('aria-busy');
    tutor.dataset.mode = response.mode;
    tutor.dataset.grounded = String(response.grounded);

    if (!response.grounded) {
      tutor.appendChild(h('p', { class: 'badge', 'data-kind': 'not-covered' }, icon('question'), s.notCovered));
    } else if (response.mode === 'offline-fallback') {
      tutor.appendChild(h('p', { class: 'badge', 'data-kind': 'fallback' }, icon('warning'), s.modeFallback));
    } else if (response.mode === 'offline') {
      tutor.appendChild(h('p', { class: 'badge', 'data-kind': 'offline' }, icon('quote'), s.modeOffline));
    } else {
      tutor.appendChild(h('p', { class: 'badge', 'data-kind': 'llm' }, icon('sparkles'), s.modeLlm));
    }
    if (response.mode === 'offline-fallback' && !response.grounded) {
      tutor.appendChild(h('p', { class: 'badge', 'data-kind': 'fallback' }, icon('warning'), s.modeFallback));
    }

    const answer = h('div', { class: 'answer markdown' });
    answer.appendChild(this.renderAnswerContent(response.answer, response.citations));
    tutor.appendChild(answer);
    if (response.notice !== undefined && response.notice !== '') tutor.appendChild(h('p', { class: 'notice' }, response.notice));
    if (this.modes !== undefined) {
      tutor.appendChild(answerActions(this.modes, { messageId, question, citations: response.citations, grounded: response.grounded }));
    }

    if (response.followUps.length > 0) {
      const list = h('ul', { class: 'followups', 'aria-label': s.followUps });
      for (const followUp of response.followUps) {
        const button = h('button', { type: 'button', class: 'followup' }, followUp);
        button.addEventListener('click', () => void this.sendQuestion(followUp));
        list.appendChild(h('li', {}, button));
      }
      tutor.append(h('p', { class: 'followups-label', 'aria-hidden': 'true' }, s.followUps), list);
    }
    if (response.searchedFor.trim() !== '') {
      tutor.appendChild(h('p', { class: 'searched' }, icon('search'), h('span', {}, s.searchedFor, response.searchedFor)));
    }
  }

  /** Sanitised Markdown with citation chips; `citations` undefined while streaming (chips are not clickable yet). */
  private renderAnswerContent(text: string, citations: readonly CitationPayload[] | undefined): DocumentFragment {
    const fragment = renderMarkdown(text);
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
          'aria-label': this.strings.sourceLabel(marker, citation.title),
          title: citation.title,
        },
        String(marker),
      );
      chip.addEventListener('click', () => this.openSource(citation, chip));
      return chip;
    });
    return fragment;
  }

  /** "Quiz me": a quiz card at the end of the log (the quiz needs a conversation: ask something first). */
  private startQuiz(): void {
    const ui = this.ui;
    const modes = this.modes;
    if (ui === undefined || modes === undefined) return;
    if (this.conversationId === undefined) {
      this.showStatus(this.strings.quizNeedsAnswer, 'ok', 4000);
      this.announce(this.strings.quizNeedsAnswer);
      return;
    }
    if (ui.log.querySelector('[aria-busy] > .quiz') !== null) return;
    // An earlier "ask something first" hint no longer applies.
    if (ui.status.dataset.kind === 'ok') ui.status.hidden = true;
    this.closeSource(false);
    const card = quizCard(modes, () => this.startQuiz());
    ui.log.appendChild(card);
    this.revealTurn(card);
  }

  private openSource(citation: CitationPayload, trigger: HTMLElement): void {
    const ui = this.ui;
    if (ui === undefined) return;
    this.cardTrigger = trigger;
    ui.cardTitle.textContent = citation.title;
    ui.cardPath.textContent = '';
    ui.cardPath.hidden = true;
    this.fillPassage(citation.text, '', '');
    this.setSourceLink(citation.source);
    ui.card.hidden = false;
    ui.card.dataset.chunkId = citation.chunkId;
    delete ui.card.dataset.context;
    ui.cardClose.focus({ preventScroll: true });

    const detail: TutorCitationEventDetail = { chunkId: citation.chunkId, start: citation.start, end: citation.end, title: citation.title };
    this.dispatchEvent(new CustomEvent<TutorCitationEventDetail>('tutor:citation', { bubbles: true, composed: true, detail }));

    this.passageRequest?.abort();
    const cached = this.passageCache.get(citation.chunkId);
    if (cached !== undefined) {
      this.showPassage(citation, cached);
      return;
    }
    const controller = new AbortController();
    this.passageRequest = controller;
    this.connection
      ?.fetchPassage(citation.chunkId, controller.signal)
      .then((passage) => {
        this.passageCache.set(citation.chunkId, passage);
        if (!controller.signal.aborted && ui.card.dataset.chunkId === citation.chunkId) this.showPassage(citation, passage);
      })
      .catch(() => {
        // The cited text itself is already shown; the surrounding context is a nicety.
      });
  }

  private showPassage(citation: CitationPayload, passage: PassageResponse): void {
    const ui = this.ui;
    if (ui === undefined) return;
    ui.card.dataset.context = 'loaded';
    if (passage.headingPath.length > 0) {
      ui.cardPath.textContent = passage.headingPath.join(' › ');
      ui.cardPath.hidden = false;
    }
    // Highlight exactly the cited span inside the passage and its neighbouring text.
    const passageText = passage.before + passage.text + passage.after;
    const offset = passage.start - passage.before.length;
    const from = Math.max(0, citation.start - offset);
    const to = Math.min(passageText.length, citation.end - offset);
    if (to <= from || passageText.slice(from, to) !== citation.text) {
      this.fillPassage(citation.text, passage.before, passage.after);
      return;
    }
    this.fillPassage(passageText.slice(from, to), passageText.slice(0, from), passageText.slice(to));
  }

  private fillPassage(cited: string, before: string, after: string): void {
    const ui = this.ui;
    if (ui === undefined) return;
    // Context is the paragraph around the passage (at most ~140 characters each side), as plain reading text.
    const beforeParagraph = before.slice(before.lastIndexOf('\n\n') + 1);
    const afterBreak = after.indexOf('\n\n');
    const afterParagraph = afterBreak < 0 ? after : after.slice(0, afterBreak);
    const context = 140;
    const lead = beforeParagraph.length > context ? `…${beforeParagraph.slice(beforeParagraph.length - context)}` : beforeParagraph;
    const tail = afterParagraph.length > context ? `${afterParagraph.slice(0, context)}…` : afterParagraph;
    const leadText = readableText(lead).replace(/^\s+/, '');
    const tailText = readableText(tail).replace(/\s+$/, '');
    ui.cardPassage.replaceChildren(
      leadText === '' ? '' : h('span', { class: 'source-context' }, leadText),
      h('mark', {}, readableText(cited).trim()),
      tailText === '' ? '' : h('span', { class: 'source-context' }, tailText),
    );
    // Bring the cited span into view inside the card (not scrolling the page, which the host may be animating).
    const mark = ui.cardPassage.querySelector('mark');
    const body = ui.card.querySelector<HTMLElement>('.source-body');
    if (mark !== null && body !== null) body.scrollTop = Math.max(0, mark.offsetTop - 56);
  }

  private setSourceLink(source: string): void {
    const link = this.ui?.cardLink;
    if (link === undefined) return;
    let url: URL | undefined;
    try {
      url = new URL(source);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      link.hidden = true;
      link.removeAttribute('href');
      return;
    }
    link.href = url.href;
    link.replaceChildren(this.strings.openSource, icon('external'));
    link.hidden = false;
  }

  private closeSource(restoreFocus: boolean): void {
    const ui = this.ui;
    if (ui === undefined || ui.card.hidden) return;
    this.passageRequest?.abort();
    ui.card.hidden = true;
    delete ui.card.dataset.chunkId;
    delete ui.card.dataset.context;
    if (restoreFocus && this.cardTrigger?.isConnected === true) this.cardTrigger.focus();
    this.cardTrigger = undefined;
  }

  private onConnectionStatus(status: ConnectionStatus, recovered: boolean): void {
    if (status === 'offline') {
      this.wasOffline = true;
      this.showStatus(this.strings.offline, 'warning');
      if (this.pending !== undefined) this.pending.interrupted = true;
      return;
    }
    if (status !== 'online') return;
    if (this.wasOffline) {
      this.wasOffline = false;
      this.showStatus(this.strings.reconnected, 'ok', 2500);
    }
    const pending = this.pending;
    if (pending?.interrupted) {
      pending.interrupted = false;
      // socket.io replays missed events when it recovered the session; otherwise ask the server what became of it.
      if (!recovered) void this.reconcileInterrupted(pending);
    }
  }

  /** After a reconnect that lost events: the finished answer may be stored on the server; else offer a retry. */
  private async reconcileInterrupted(pending: PendingAnswer): Promise<void> {
    const conversationId = this.conversationId;
    const messageId = pending.messageId;
    if (conversationId === undefined || messageId === undefined || this.connection === undefined) {
      this.failPending(pending, { code: 'CONNECTION_LOST' });
      return;
    }
    try {
      const conversation = await this.connection.fetchConversation(conversationId);
      const turn = conversation?.turns.find((candidate) => candidate.messageId === messageId);
      if (turn !== undefined && this.pending === pending) {
        this.onDone(pending, { ...turn.response, conversationId, messageId });
        return;
      }
    } catch {
      // Fall through to the retry offer.
    }
    this.failPending(pending, { code: 'CONNECTION_LOST' });
  }

  private showStatus(text: string, kind: 'warning' | 'ok', hideAfterMs?: number): void {
    const status = this.ui?.status;
    if (status === undefined) return;
    clearTimeout(this.statusTimer);
    status.replaceChildren(icon(kind === 'warning' ? 'offline' : 'sparkles'), h('span', {}, text));
    status.dataset.kind = kind;
    status.hidden = false;
    if (hideAfterMs !== undefined) {
      this.statusTimer = setTimeout(() => {
        status.hidden = true;
      }, hideAfterMs);
    }
  }

  private announce(text: string): void {
    const live = this.ui?.live;
    if (live === undefined) return;
    live.appendChild(h('p', {}, text));
    // Keep the region small; screen readers have already queued what was added.
    while (live.childElementCount > 30) live.firstElementChild?.remove();
  }

  private announceOutcome(response: Omit<ChatResponse, 'conversationId'>): void {
    const s = this.strings;
    const parts: string[] = [];
    if (!response.grounded) parts.push(s.notCovered);
    else if (response.mode === 'offline-fallback') parts.push(s.modeFallback);
    if (response.followUps.length > 0) parts.push(`${s.followUps}: ${response.followUps.join(' / ')}`);
    if (parts.length > 0) this.announce(parts.join('. '));
  }

  private isNearEnd(): boolean {
    const log = this.ui?.log;
    if (log === undefined) return true;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 96;
  }

  /**
   * Follows a growing answer (or quiz card) until its top reaches the top of the log, then stops, so a long answer is
   * read from its beginning instead of being scrolled past.
   */
  private revealTurn(element: HTMLElement): void {
    const log = this.ui?.log;
    if (log === undefined) return;
    const end = log.scrollHeight - log.clientHeight;
    log.scrollTop = Math.max(0, Math.min(end, element.offsetTop - 12));
  }

  private scrollToEnd(force: boolean): void {
    const log = this.ui?.log;
    if (log === undefined) return;
    if (force || this.isNearEnd()) log.scrollTop = log.scrollHeight;
  }

  private trackVisualViewport(on: boolean): void {
    const viewport = window.visualViewport;
    if (viewport === null || viewport === undefined) return;
    viewport.removeEventListener('resize', this.onViewportChange);
    viewport.removeEventListener('scroll', this.onViewportChange);
    if (on) {
      viewport.addEventListener('resize', this.onViewportChange);
      viewport.addEventListener('scroll', this.onViewportChange);
      this.fitToVisualViewport();
    }
  }

  /** On phones the on-screen keyboard shrinks the visual viewport: keep the panel (and its composer) inside it. */
  private fitToVisualViewport(): void {
    const viewport = window.visualViewport;
    const panel = this.ui?.panel;
    if (viewport === null || viewport === undefined || panel === undefined) return;
    panel.style.setProperty('--tutor-viewport-height', `${Math.round(viewport.height)}px`);
    panel.style.setProperty('--tutor-viewport-top', `${Math.round(viewport.offsetTop)}px`);
  }
}
