import { h } from './dom.js';
import { describeError } from './error-messages.js';
import { trapTab } from './parts/focus-trap.js';
import { startersView } from './parts/starters.js';
import { restoreTranscript } from './parts/transcript-restore.js';
import { quizCard } from './tutor-modes-view.js';
import { assembleParts, type Parts } from './widget-assembly.js';
import { stringsFor, type WidgetStrings } from './widget-i18n.js';
import { parseWidgetOptions, WIDGET_ATTRIBUTES, type WidgetOptions } from './widget-options.js';
import { WIDGET_CSS } from './widget-styles.js';

/** Detail of the `tutor:citation` event a widget dispatches (bubbling, composed) when a citation chip is clicked. */
export interface TutorCitationEventDetail {
  readonly chunkId: string;
  readonly start: number;
  readonly end: number;
  readonly title: string;
  /** The cited sentences inside [start, end) (document offsets), when the citation names them. */
  readonly spans?: readonly { readonly start: number; readonly end: number }[];
}

/** Detail of the `tutor:toggle` event a floating widget dispatches when its panel opens or closes. */
export interface TutorToggleEventDetail {
  readonly open: boolean;
  /** Width of the open panel in CSS pixels (it grows while a source card is beside the answers, or when expanded). */
  readonly width?: number;
}

/** How long "New chat started — Undo" stays offered. */
const UNDO_MS = 10_000;

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
      this.parts?.viewport.track(true);
      this.dispatchToggle(true);
    }
    this.parts?.scroll.toEnd(true);
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
    this.parts?.viewport.track(false);
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
        this.parts?.scroll.toEnd(true);
        parts.composer.focus();
      },
    });
  }

  /** Lets the host page make room for the open panel (the demo page moves the article aside). */
  private dispatchToggle(open: boolean): void {
    const width = open ? Math.round(this.parts?.panel.getBoundingClientRect().width ?? 0) : 0;
    const detail: TutorToggleEventDetail = open && width > 0 ? { open, width } : { open };
    this.dispatchEvent(new CustomEvent<TutorToggleEventDetail>('tutor:toggle', { bubbles: true, composed: true, detail }));
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
    const floating = options.mode === 'floating';
    this.parts = assembleParts(options, s, this.instanceId, this.shadow, {
      conversationId: () => this.conversationId,
      loadConversation: (conversationId) => {
        this.conversationId = conversationId;
      },
      setConversation: (conversationId, question) => this.setConversation(conversationId, question),
      isOpen: () => this.isOpen,
      ask: (question) => this.ask(question),
      open: () => this.open(),
      close: () => this.close(),
      startNewConversation: () => this.startNewConversation(),
      startQuiz: () => this.startQuiz(),
      switchTo: (conversationId) => this.switchTo(conversationId),
      answeredWhileClosed: () => this.setUnread(this.unreadCount + 1),
      connectionStatus: (status, recovered) => this.onConnectionStatus(status, recovered),
      panelKeydown: (event) => this.onPanelKeydown(event),
      panelResized: () => {
        if (floating && this.isOpen) this.dispatchToggle(true);
      },
      citationOpened: (detail) =>
        this.dispatchEvent(new CustomEvent<TutorCitationEventDetail>('tutor:citation', { bubbles: true, composed: true, detail })),
    });
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
    this.parts?.viewport.track(false);
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
    this.restoreRequest?.abort();
    const controller = new AbortController();
    this.restoreRequest = controller;
    try {
      const outcome = await restoreTranscript({
        conversationId,
        strings: this.strings,
        log: parts.log,
        view: parts.view,
        storage: parts.storage,
        fetch: (id) => parts.connection.fetchConversation(id, controller.signal),
        stillWanted: () => this.conversationId === conversationId && this.parts === parts && !controller.signal.aborted,
      });
      if (outcome === 'gone') {
        // The server no longer knows it (expired or restarted): start fresh.
        this.setConversation(undefined);
        this.renderGreetingOnly();
      }
      if (outcome !== 'restored') return;
      parts.scroll.toEnd(true);
      parts.progress.refresh();
    } catch (error) {
      if (controller.signal.aborted) return;
      parts.status.show(describeError(this.strings, error), 'warning', 6000);
    } finally {
      if (this.restoreRequest === controller) this.restoreRequest = undefined;
    }
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
    this.parts?.scroll.reveal(card);
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
}
