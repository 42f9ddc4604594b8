import { h, icon } from '../dom.js';

export type StatusKind = 'warning' | 'ok';

/**
 * The status banner under the header (offline, reconnected, hints, "new chat started — undo") and the polite live
 * region screen readers hear answers through.
 */
export interface StatusRegion {
  readonly status: HTMLElement;
  readonly live: HTMLElement;
  /** Shows `text` (and an optional action button), replacing what was shown; hides after `hideAfterMs` when given. */
  show(text: string, kind: StatusKind, hideAfterMs?: number, action?: { label: string; run(): void }): void;
  /** Hides the banner when it shows `kind` (or anything when omitted). */
  hide(kind?: StatusKind): void;
  announce(text: string): void;
  dispose(): void;
}

export function createStatusRegion(): StatusRegion {
  const status = h('div', { class: 'status', role: 'status', hidden: true });
  const live = h('div', { class: 'sr-only live', 'aria-live': 'polite', 'aria-atomic': 'false' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hide = (kind?: StatusKind): void => {
    if (kind !== undefined && status.dataset.kind !== kind) return;
    clearTimeout(timer);
    status.hidden = true;
    status.replaceChildren();
  };
  return {
    status,
    live,
    show(text, kind, hideAfterMs, action) {
      clearTimeout(timer);
      const button = action === undefined ? undefined : h('button', { type: 'button', class: 'action status-action' }, action.label);
      button?.addEventListener('click', () => {
        hide();
        action?.run();
      });
      status.replaceChildren(icon(kind === 'warning' ? 'offline' : 'sparkles'), h('span', {}, text));
      if (button !== undefined) status.appendChild(button);
      status.dataset.kind = kind;
      status.hidden = false;
      if (hideAfterMs !== undefined) timer = setTimeout(() => hide(), hideAfterMs);
    },
    hide,
    announce(text) {
      live.appendChild(h('p', {}, text));
      // Keep the region small; screen readers have already queued what was added.
      while (live.childElementCount > 30) live.firstElementChild?.remove();
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
