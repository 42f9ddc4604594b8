import { type ChatConnection, type ConnectionStatus, createChatConnection } from './chat-connection.js';
import { type ConversationStorage, createConversationStorage } from './conversation-storage.js';
import { h } from './dom.js';
import { describeError, errorMessage } from './error-messages.js';
import { type AnswerStream, createAnswerStream } from './parts/answer-stream.js';
import { type AnswerViewHost, refreshTimes, renderAnswerContent } from './parts/answer-view.js';
import { type Composer, createComposer } from './parts/composer.js';
import { createHistoryMenu, type HistoryMenu } from './parts/history-menu.js';
import { createLogScroll, createViewportFit, type LogScroll } from './parts/log-view.js';
import { createSourceCard, type SourceCard } from './parts/source-card.js';
import { createStatusRegion, type StatusRegion } from './parts/status-region.js';
import { type ModesHost, type ProgressView, progressView } from './tutor-modes-view.js';
import type { WidgetStrings } from './widget-i18n.js';
import { createChrome, type WidgetChrome } from './widget-layout.js';
import type { WidgetOptions } from './widget-options.js';

/** A panel at least this wide shows the source card beside the answers instead of as a bottom sheet. */
const WIDE_PANEL_PX = 640;

/** The built parts of one widget instance (rebuilt from scratch when an attribute changes). */
export interface Parts {
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
  readonly view: AnswerViewHost;
  readonly scroll: LogScroll;
  readonly viewport: { track(on: boolean): void };
  readonly dispose: () => void;
}

/** What the parts ask of the element, which owns the conversation and the open/closed state. */
export interface PartsHost {
  conversationId(): string | undefined;
  /** The id remembered from an earlier visit, read while building. */
  loadConversation(conversationId: string | undefined): void;
  setConversation(conversationId: string | undefined, firstQuestion?: string): void;
  isOpen(): boolean;
  ask(question: string): void;
  open(): void;
  close(): void;
  startNewConversation(): void;
  startQuiz(): void;
  switchTo(conversationId: string): void;
  answeredWhileClosed(): void;
  connectionStatus(status: ConnectionStatus, recovered: boolean): void;
  panelKeydown(event: KeyboardEvent): void;
  panelResized(): void;
  citationOpened(detail: { chunkId: string; start: number; end: number; title: string }): void;
}

/**
 * Builds every part of a widget and wires them to each other and to the element: the connection, the launcher and
 * header, the log with its answer stream, the source card, the composer, the status region, the history menu and the
 * progress bar, all inside `shadow`.
 */
export function assembleParts(options: WidgetOptions, s: WidgetStrings, instanceId: string, shadow: ShadowRoot, host: PartsHost): Parts {
  const id = (suffix: string): string => `${instanceId}-${suffix}`;
  const floating = options.mode === 'floating';
  let parts: Parts | undefined;
  const storage = createConversationStorage(options.server, options.storageKey);
  host.loadConversation(storage.load());
  const connection = createChatConnection({
    server: options.server,
    onStatus: (status, details) => host.connectionStatus(status, details.recovered),
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
    conversationLanguage: () => {
      const latest = [...log.querySelectorAll<HTMLElement>('.msg-tutor[data-language]')].pop()?.dataset.language;
      return latest === 'zh' || latest === 'en' ? latest : options.language;
    },
    connection: () => connection,
    conversationId: () => host.conversationId(),
    renderCited: (text, citations) => renderAnswerContent(view, text, citations),
    ask: (question) => host.ask(question),
    explain: (label, request) => void parts?.stream.send(label, undefined, request),
    announce: (text) => status.announce(text),
    describeError: (error) => describeError(s, error),
    reveal: (element) => scroll.reveal(element),
  };
  const card = createSourceCard({
    strings: s,
    titleId: id('source-title'),
    panel,
    fetchPassage: (chunkId, signal) => connection.fetchPassage(chunkId, signal),
    // A bottom sheet shortens the log: the chip the learner tapped (and the sentence it ends) stays in sight above it.
    laidOut: (chip) => scroll.keepInView(chip),
    onOpen: (citation) =>
      host.citationOpened({
        chunkId: citation.chunkId,
        start: citation.start,
        end: citation.end,
        title: citation.title,
        ...(citation.spans !== undefined && citation.spans.length > 0
          ? { spans: citation.spans.map(({ start, end }) => ({ start, end })) }
          : {}),
      }),
  });
  const view: AnswerViewHost = {
    strings: s,
    language: options.language,
    modes,
    openSource: (citation, chip, language) => card.open(citation, chip, language),
    ask: (question) => host.ask(question),
    announce: (text) => status.announce(text),
  };
  const composer = createComposer({
    strings: s,
    inputId: id('input'),
    hintId: id('hint'),
    onSend: (text) => host.ask(text),
    onStop: () => parts?.stream.stop(),
    onFocus: () => {
      if (floating && window.matchMedia('(max-width: 520px)').matches) setTimeout(() => scroll.toEnd(true), 250);
    },
  });
  const stream = createAnswerStream({
    ...view,
    connection: () => connection,
    conversationId: () => host.conversationId(),
    setConversation: (conversationId, question) => host.setConversation(conversationId, question),
    log,
    setStreaming: (streaming) => composer.setStreaming(streaming),
    clearInput: (question) => composer.clearSent(question),
    editQuestion: (text) => {
      composer.setText(text);
      composer.focus();
    },
    showStatus: (text, kind, hideAfterMs) => status.show(text, kind, hideAfterMs),
    errorMessage: (failure) => errorMessage(s, failure),
    closeSource: () => card.close(false),
    isNearEnd: () => scroll.isNearEnd() ?? true,
    reveal: (element) => scroll.reveal(element),
    scrollToEnd: () => scroll.toEnd(true),
    answered: (question) => {
      const conversationId = host.conversationId();
      if (conversationId !== undefined) storage.touch(conversationId, question);
      progress.refresh();
      if (floating && !host.isOpen()) host.answeredWhileClosed();
    },
  });
  const history = createHistoryMenu({
    strings: s,
    language: options.language,
    listId: id('history'),
    storage: () => storage,
    current: () => host.conversationId(),
    choose: (conversationId) => host.switchTo(conversationId),
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
  shadow.appendChild(root);

  chrome.launcher?.addEventListener('click', () => host.open());
  chrome.close?.addEventListener('click', () => host.close());
  chrome.fresh.addEventListener('click', () => host.startNewConversation());
  chrome.quiz.addEventListener('click', () => host.startQuiz());
  chrome.expand?.addEventListener('click', () => {
    const expanded = panel.dataset.expanded !== 'true';
    panel.dataset.expanded = String(expanded);
    chrome.expand?.setAttribute('aria-pressed', String(expanded));
  });
  panel.addEventListener('keydown', (event) => host.panelKeydown(event));
  // Wide panels show the source card beside the answers; narrow ones as a bottom sheet.
  const layout = new ResizeObserver(() => {
    panel.dataset.layout = panel.clientWidth >= WIDE_PANEL_PX ? 'wide' : 'narrow';
    host.panelResized();
  });
  layout.observe(panel);
  const clock = setInterval(() => refreshTimes(log, options.language), 60_000);
  const scroll = createLogScroll(log);
  parts = {
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
    view,
    scroll,
    viewport: createViewportFit(panel),
    dispose: () => {
      layout.disconnect();
      clearInterval(clock);
      status.dispose();
    },
  };
  return parts;
}
