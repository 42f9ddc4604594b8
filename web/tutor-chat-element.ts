import type { ConversationTurnPayload } from '../src/shared/chat-protocol.js';
import { type ChatConnection, createChatConnection } from './chat-connection.js';
import { type ConversationStorage, createConversationStorage } from './conversation-storage.js';
import { h } from './dom.js';
import { describeError, errorMessage } from './error-messages.js';
import { type AnswerStream, createAnswerStream } from './parts/answer-stream.js';
import { type AnswerViewHost, createTurnView, refreshTimes, renderAnswerContent, renderFinishedAnswer } from './parts/answer-view.js';
import { type Composer, createComposer } from './parts/composer.js';
import { trapTab } from './parts/focus-trap.js';
import { createHistoryMenu, type HistoryMenu } from './parts/history-menu.js';
import { createSourceCard, type SourceCard } from './parts/source-card.js';
import { startersView } from './parts/starters.js';
import { createStatusRegion, type StatusRegion } from './parts/status-region.js';
import { type ModesHost, type ProgressView, progressView, quizCard } from './tutor-modes-view.js';
import { stringsFor, type WidgetStrings } from './widget-i18n.js';
import { createChrome, type WidgetChrome } from './widget-layout.js';
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

/** A panel at least this wide shows the source card beside the answers instead of as a bottom sheet. */
const WIDE_PANEL_PX = 640;
/** How long "New chat started — Undo" stays offered. */
const UNDO_MS = 10_000;

/** The built parts of one widget instance (rebuilt from scratch when an attribute changes). */
interface Parts {
  readonly root: HTMLElement;
  readonly panel: HTMLElement;
  readonly log: HTMLElement;
  readonly chrome: WidgetChrome;
  readonly status: StatusRegion;
  readonly composer: Composer;
  readonly card: SourceCard;
  readonly history: HistoryMenu;
  readonly progress: ProgressView;
  readonly stream: AnswerStream;
  readonly connection: ChatConnection;
  readonly storage: ConversationStorage;
  readonly modes: ModesHost;
  readonly dispose: () => void;
}

let sharedSheet: CSSStyleSheet | undefined;

/** Adopted stylesheets are not blocked by a host page's `style-src` CSP; `<style>` is the fallback for old browsers. */
function applyStyles(shadow: ShadowRoot): void {
  try {
    sharedSheet ??= new CSSStyleSheet();
    if (sharedSheet.cssRules.length === 0) sharedSheet.replaceSync(WIDGET_CSS);
    shadow.adoptedStyleSheets = [sharedSheet];
  } catch {
    shadow.appendChild(h('style', {}, WIDGET_CSS));
  }
}

let instanceCounter = 0;

/**
 * `<tutor-chat>`: the tutor's chat UI in a shadow root. Floating mode is a launcher plus a dialog panel with a focus
 * trap; inline mode is the panel in the page flow. The element wires its parts (web/parts/: answer stream, source
 * card, composer, status region, focus trap, history menu, starters) and owns the conversation: its id is kept in
 * localStorage so a reload restores every turn the server returns.
 */
export class TutorChatElement extends HTMLElement {
  static get observedAttributes(): readonly string[] {
    return WIDGET_ATTRIBUTES;
  }

  private readonly shadow: ShadowRoot;
  private readonly instanceId = `tc${(instanceCounter += 1)}`;
  private options: WidgetOptions | undefined;
  private strings: WidgetStrings = stringsFor('en');
  private parts: Parts | undefined;
  private conversationId: string | undefined;
  private isOpen = false;
  private unreadCount = 0;
  private rebuildQueued = false;
  private restoreRequest: AbortController | undefined;

  constructor() {
    super();
    this.shadow = this.attachShadow({ mode: 'open' });
    applyStyles(this.shadow);
  }

  connectedCallback(): void {
    if (this.parts === undefined) this.build();
  }

  disconnectedCallback(): void {
    this.teardown();
  }

  attributeChangedCallback(_name: string, oldValue: string | null, newValue: string | null): void {
    if (oldValue === newValue || this.parts === undefined || this.rebuildQueued) return;
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
    const parts = this.parts;
    if (parts === undefined) return;
    const launcher = parts.chrome.launcher;
    if (this.options?.mode === 'floating' && launcher !== undefined) {
      this.isOpen = true;
      parts.panel.hidden = false;
      launcher.hidden = true;
      launcher.setAttribute('aria-expanded', 'true');
      this.setUnread(0);
      this.trackVisualViewport(true);
      this.dispatchToggle(true);
    }
    this.scrollToEnd(true);
    parts.composer.focus();
  }

  /** Closes the panel (floating mode) and gives focus back to the launcher. */
  close(): void {
    const parts = this.parts;
    const launcher = parts?.chrome.launcher;
    if (parts === undefined || launcher === undefined) return;
    this.isOpen = false;
    parts.card.close(false);
    parts.history.toggle(false);
    parts.panel.hidden = true;
    this.trackVisualViewport(false);
    this.dispatchToggle(false);
    launcher.hidden = false;
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  /** Asks a question as if the learner had typed it. */
  ask(question: string): void {
    void this.parts?.stream.send(question);
  }

  /**
   * Starts an empty conversation. The one left stays in this browser's recent chats, and for a few seconds an Undo
   * puts it back exactly as it was.
   */
  startNewConversation(): void {
    const parts = this.parts;
    if (parts === undefined) return;
    parts.stream.abandon();
    parts.card.close(false);
    parts.history.toggle(false);
    const previous = this.conversationId;
    const previousTurns = Array.from(parts.log.children).filter((child) => !child.matches('.greeting, .starters, .restoring'));
    this.setConversation(undefined);
    parts.progress.reset();
    this.renderGreetingOnly();
    parts.composer.focus();
    if (previous === undefined || previousTurns.length === 0) return;
    parts.status.show(this.strings.newChatStarted, 'ok', UNDO_MS, {
      label: this.strings.undo,
      run: () => {
        if (this.parts !== parts || parts.stream.busy || parts.log.querySelector('article.turn') !== null) return;
        this.setConversation(previous);
        parts.log.querySelector('.starters')?.remove();
        parts.log.append(...previousTurns);
        parts.progress.refresh();
        this.scrollToEnd(true);
        parts.composer.focus();
      },
    });
  }

  /** Lets the host page make room for the open panel (the demo page moves the article aside). */
  private dispatchToggle(open: boolean): void {
    this.dispatchEvent(new CustomEvent<TutorToggleEventDetail>('tutor:toggle', { bubbles: true, composed: true, detail: { open } }));
  }

  private setConversation(conversationId: string | undefined, firstQuestion?: string): void {
    this.conversationId = conversationId;
    const storage = this.parts?.storage;
    if (conversationId === undefined) storage?.clear();
    else {
      storage?.save(conversationId);
      if (firstQuestion !== undefined) storage?.touch(conversationId, firstQuestion);
    }
  }

  private setUnread(count: number): void {
    this.unreadCount = count;
    const chrome = this.parts?.chrome;
    if (chrome?.launcher === undefined) return;
    chrome.unread.hidden = count === 0;
    chrome.unread.textContent = count > 9 ? '9+' : String(count);
    chrome.launcher.setAttribute('aria-label', count === 0 ? this.strings.openChat : this.strings.unread(count));
  }

  private build(): void {
    const options = parseWidgetOptions((name) => this.getAttribute(name), {
      pageOrigin: window.location.origin,
      browserLanguages: navigator.languages.length > 0 ? navigator.languages : [navigator.language],
      isColor: (value) => typeof CSS !== 'undefined' && CSS.supports('color', value),
    });
    this.options = options;
    const s = stringsFor(options.language);
    this.strings = s;
    const id = (suffix: string): string => `${this.instanceId}-${suffix}`;
    const floating = options.mode === 'floating';
    const storage = createConversationStorage(options.server, options.storageKey);
    this.conversationId = storage.load();
    const connection = createChatConnection({
      server: options.server,
      onStatus: (status, details) => this.onConnectionStatus(status, details.recovered),
    });
    const status = createStatusRegion();
    const log = h('div', { class: 'log', role: 'log', 'aria-live': 'off', 'aria-labelledby': id('title'), tabindex: '-1' });
    const chrome = createChrome(options, s, id('panel'));
    const panel = h('section', {
      id: id('panel'),
      class: 'panel',
      role: floating ? 'dialog' : 'region',
      'aria-modal': floating ? 'true' : undefined,
      'aria-labelledby': id('title'),
      hidden: floating,
    });
    const modes: ModesHost = {
      strings: s,
      language: options.language,
      connection: () => connection,
      conversationId: () => this.conversationId,
      renderCited: (text, citations) => renderAnswerContent(view, text, citations),
      ask: (question) => this.ask(question),
      explain: (label, request) => void this.parts?.stream.send(label, undefined, request),
      announce: (text) => status.announce(text),
      describeError: (error) => describeError(s, error),
      reveal: (element) => this.revealTurn(element),
    };
    const card = createSourceCard({
      strings: s,
      titleId: id('source-title'),
      panel,
      fetchPassage: (chunkId, signal) => connection.fetchPassage(chunkId, signal),
      onOpen: (citation) => {
        const detail: TutorCitationEventDetail = {
          chunkId: citation.chunkId,
          start: citation.start,
          end: citation.end,
          title: citation.title,
        };
        this.dispatchEvent(new CustomEvent<TutorCitationEventDetail>('tutor:citation', { bubbles: true, composed: true, detail }));
      },
    });
    const view: AnswerViewHost = {
      strings: s,
      language: options.language,
      modes,
      openSource: (citation, chip) => card.open(citation, chip),
      ask: (question) => this.ask(question),
      announce: (text) => status.announce(text),
    };
    const composer = createComposer({
      strings: s,
      inputId: id('input'),
      hintId: id('hint'),
      onSend: (text) => this.ask(text),
      onStop: () => this.parts?.stream.stop(),
      onFocus: () => {
        if (floating && window.matchMedia('(max-width: 520px)').matches) setTimeout(() => this.scrollToEnd(true), 250);
      },
    });
    const stream = createAnswerStream({
      ...view,
      connection: () => connection,
      conversationId: () => this.conversationId,
      setConversation: (conversationId, question) => this.setConversation(conversationId, question),
      log,
      setStreaming: (streaming) => composer.setStreaming(streaming),
      clearInput: () => composer.setText(''),
      editQuestion: (text) => {
        composer.setText(text);
        composer.focus();
      },
      showStatus: (text, kind, hideAfterMs) => status.show(text, kind, hideAfterMs),
      errorMessage: (failure) => errorMessage(s, failure),
      closeSource: () => card.close(false),
      isNearEnd: () => this.isNearEnd(),
      reveal: (element) => this.revealTurn(element),
      scrollToEnd: () => this.scrollToEnd(true),
      answered: (question) => {
        if (this.conversationId !== undefined) storage.touch(this.conversationId, question);
        this.parts?.progress.refresh();
        if (floating && !this.isOpen) this.setUnread(this.unreadCount + 1);
      },
    });
    const history = createHistoryMenu({
      strings: s,
      language: options.language,
      listId: id('history'),
      storage: () => storage,
      current: () => this.conversationId,
      choose: (conversationId) => this.switchTo(conversationId),
    });
    const progress = progressView(modes, id('concepts'));
    const title = h('h2', { class: 'title', id: id('title') }, options.title ?? s.defaultTitle);
    panel.append(
      h('header', { class: 'header' }, title, chrome.quiz, history.button, chrome.fresh, chrome.expand, chrome.close),
      history.list,
      progress.element,
      status.status,
      log,
      card.element,
      composer.form,
      composer.hint,
      status.live,
    );
    const root = h(
      'div',
      { class: 'root', 'data-mode': options.mode, 'data-position': options.position, lang: options.language === 'zh' ? 'zh-CN' : 'en' },
      chrome.launcher,
      panel,
    );
    if (options.primaryColor !== undefined) root.style.setProperty('--tutor-primary', options.primaryColor);
    this.shadow.appendChild(root);

    chrome.launcher?.addEventListener('click', () => this.open());
    chrome.close?.addEventListener('click', () => this.close());
    chrome.fresh.addEventListener('click', () => this.startNewConversation());
    chrome.quiz.addEventListener('click', () => this.startQuiz());
    chrome.expand?.addEventListener('click', () => {
      const expanded = panel.dataset.expanded !== 'true';
      panel.dataset.expanded = String(expanded);
      chrome.expand?.setAttribute('aria-pressed', String(expanded));
    });
    panel.addEventListener('keydown', (event) => this.onPanelKeydown(event));
    // Wide panels show the source card beside the answers; narrow ones as a bottom sheet.
    const layout = new ResizeObserver(() => {
      panel.dataset.layout = panel.clientWidth >= WIDE_PANEL_PX ? 'wide' : 'narrow';
    });
    layout.observe(panel);
    const clock = setInterval(() => refreshTimes(log, options.language), 60_000);
    this.parts = {
      root,
      panel,
      log,
      chrome,
      status,
      composer,
      card,
      history,
      progress,
      stream,
      connection,
      storage,
      modes,
      dispose: () => {
        layout.disconnect();
        clearInterval(clock);
        status.dispose();
      },
    };
    this.renderGreetingOnly();
    if (this.conversationId !== undefined) void this.restoreConversation(this.conversationId);
    if (floating && options.openOnLoad) this.open();
  }

  private teardown(): void {
    const parts = this.parts;
    parts?.stream.abandon();
    this.restoreRequest?.abort();
    parts?.card.close(false);
    parts?.connection.close();
    parts?.dispose();
    this.trackVisualViewport(false);
    parts?.root.remove();
    this.parts = undefined;
    this.isOpen = false;
  }

  private onPanelKeydown(event: KeyboardEvent): void {
    const parts = this.parts;
    if (parts === undefined) return;
    if (event.key === 'Escape') {
      const floating = this.options?.mode === 'floating';
      if (!parts.history.isOpen && !parts.card.isOpen && !floating) return;
      event.preventDefault();
      event.stopPropagation();
      if (parts.history.isOpen) {
        parts.history.toggle(false);
        parts.history.button.focus();
      } else if (parts.card.isOpen) parts.card.close(true);
      else this.close();
      return;
    }
    if (this.options?.mode === 'floating' && this.isOpen) trapTab(event, parts.panel, this.shadow);
  }

  private renderGreetingOnly(): void {
    const parts = this.parts;
    if (parts === undefined || this.options === undefined) return;
    parts.log.replaceChildren(
      h('div', { class: 'msg msg-tutor greeting' }, this.options.greeting ?? this.strings.defaultGreeting),
      startersView({
        strings: this.strings,
        language: this.options.language,
        connection: parts.connection,
        ask: (question) => this.ask(question),
      }),
    );
  }

  /** Returns to a recent conversation of this browser (the current one stays in the list). */
  private switchTo(conversationId: string): void {
    const parts = this.parts;
    if (parts === undefined) return;
    parts.stream.abandon();
    parts.card.close(false);
    this.setConversation(conversationId);
    parts.progress.reset();
    this.renderGreetingOnly();
    void this.restoreConversation(conversationId);
    parts.composer.focus();
  }

  /** Shows every turn GET /api/conversations/:id returns, before anything asked while it loads. */
  private async restoreConversation(conversationId: string): Promise<void> {
    const parts = this.parts;
    if (parts === undefined) return;
    parts.log.querySelector('.starters')?.remove();
    const notice = h(
      'p',
      { class: 'typing restoring' },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')),
      this.strings.restoring,
    );
    parts.log.appendChild(notice);
    this.restoreRequest?.abort();
    const controller = new AbortController();
    this.restoreRequest = controller;
    try {
      const conversation = await parts.connection.fetchConversation(conversationId, controller.signal);
      notice.remove();
      if (this.conversationId !== conversationId || this.parts !== parts) return;
      if (conversation === undefined) {
        // The server no longer knows it (expired or restarted): start fresh.
        parts.storage.forget(conversationId);
        this.setConversation(undefined);
        this.renderGreetingOnly();
        return;
      }
      const restored = document.createDocumentFragment();
      for (const turn of conversation.turns) restored.appendChild(this.restoredTurn(turn));
      parts.log.insertBefore(restored, parts.log.children[1] ?? null);
      const first = conversation.turns[0];
      if (first !== undefined)
        parts.storage.touch(conversationId, first.question, Date.parse(conversation.turns.at(-1)?.createdAt ?? '') || Date.now());
      this.scrollToEnd(true);
      parts.progress.refresh();
    } catch (error) {
      notice.remove();
      if (controller.signal.aborted) return;
      parts.status.show(describeError(this.strings, error), 'warning', 6000);
    } finally {
      if (this.restoreRequest === controller) this.restoreRequest = undefined;
    }
  }

  private restoredTurn(turn: ConversationTurnPayload): HTMLElement {
    const parts = this.parts as Parts;
    const view = createTurnView(this.strings, turn.question);
    const at = new Date(turn.createdAt);
    const host: AnswerViewHost = {
      strings: this.strings,
      language: this.options?.language ?? 'en',
      modes: parts.modes,
      openSource: (citation, chip) => parts.card.open(citation, chip),
      ask: (question) => this.ask(question),
      announce: (text) => parts.status.announce(text),
    };
    renderFinishedAnswer(host, view, turn.response, {
      messageId: turn.messageId,
      question: turn.question,
      at: Number.isNaN(at.getTime()) ? new Date() : at,
    });
    return view.element;
  }

  /** "Quiz me": a quiz card at the end of the log (the quiz needs a conversation: ask something first). */
  private startQuiz(): void {
    const parts = this.parts;
    if (parts === undefined) return;
    if (this.conversationId === undefined) {
      parts.status.show(this.strings.quizNeedsAnswer, 'ok', 4000);
      parts.status.announce(this.strings.quizNeedsAnswer);
      return;
    }
    if (parts.log.querySelector('[aria-busy] > .quiz') !== null) return;
    // An earlier "ask something first" hint no longer applies.
    parts.status.hide('ok');
    parts.card.close(false);
    const card = quizCard(parts.modes, () => this.startQuiz());
    parts.log.appendChild(card);
    this.revealTurn(card);
  }

  private onConnectionStatus(status: 'connecting' | 'online' | 'offline', recovered: boolean): void {
    const parts = this.parts;
    if (parts === undefined) return;
    if (status === 'offline') {
      parts.root.dataset.offline = 'true';
      parts.status.show(this.strings.offline, 'warning');
      parts.stream.connectionLost();
      return;
    }
    if (status !== 'online') return;
    if (parts.root.dataset.offline === 'true') {
      delete parts.root.dataset.offline;
      parts.status.show(this.strings.reconnected, 'ok', 2500);
    }
    parts.stream.reconnected(recovered);
  }

  private isNearEnd(): boolean {
    const log = this.parts?.log;
    if (log === undefined) return true;
    return log.scrollHeight - log.scrollTop - log.clientHeight < 96;
  }

  /**
   * Follows a growing answer (or quiz card) until its top reaches the top of the log, then stops, so a long answer is
   * read from its beginning instead of being scrolled past.
   */
  private revealTurn(element: HTMLElement): void {
    const log = this.parts?.log;
    if (log === undefined) return;
    const end = log.scrollHeight - log.clientHeight;
    log.scrollTop = Math.max(0, Math.min(end, element.offsetTop - 12));
  }

  private scrollToEnd(force: boolean): void {
    const log = this.parts?.log;
    if (log === undefined) return;
    if (force || this.isNearEnd()) log.scrollTop = log.scrollHeight;
  }

  private readonly onViewportChange = (): void => {
    const viewport = window.visualViewport;
    const panel = this.parts?.panel;
    if (viewport === null || viewport === undefined || panel === undefined) return;
    // On phones the on-screen keyboard shrinks the visual viewport: keep the panel (and its composer) inside it.
    panel.style.setProperty('--tutor-viewport-height', `${Math.round(viewport.height)}px`);
    panel.style.setProperty('--tutor-viewport-top', `${Math.round(viewport.offsetTop)}px`);
  };

  private trackVisualViewport(on: boolean): void {
    const viewport = window.visualViewport;
    if (viewport === null || viewport === undefined) return;
    viewport.removeEventListener('resize', this.onViewportChange);
    viewport.removeEventListener('scroll', this.onViewportChange);
    if (on) {
      viewport.addEventListener('resize', this.onViewportChange);
      viewport.addEventListener('scroll', this.onViewportChange);
      this.onViewportChange();
    }
  }
}
