/**
 * Scrolling of the conversation log: stick to the end while the learner is there, follow a growing answer until its
 * top reaches the top of the log (a long answer is read from its beginning instead of being scrolled past).
 */
export interface LogScroll {
  isNearEnd(): boolean;
  reveal(element: HTMLElement): void;
  /** Scrolls the log as little as needed for `element` to be inside its visible part (e.g. above a bottom sheet). */
  keepInView(element: HTMLElement): void;
  toEnd(force: boolean): void;
}

/** Room kept between an element brought into view and the edge of the log. */
const IN_VIEW_MARGIN_PX = 12;

export function createLogScroll(log: HTMLElement): LogScroll {
  const isNearEnd = (): boolean => log.scrollHeight - log.scrollTop - log.clientHeight < 96;
  return {
    isNearEnd,
    reveal(element) {
      const end = log.scrollHeight - log.clientHeight;
      log.scrollTop = Math.max(0, Math.min(end, element.offsetTop - 12));
    },
    keepInView(element) {
      const box = log.getBoundingClientRect();
      const target = element.getBoundingClientRect();
      if (target.bottom > box.bottom - IN_VIEW_MARGIN_PX) log.scrollTop += target.bottom - box.bottom + IN_VIEW_MARGIN_PX;
      else if (target.top < box.top + IN_VIEW_MARGIN_PX) log.scrollTop -= box.top + IN_VIEW_MARGIN_PX - target.top;
    },
    toEnd(force) {
      if (force || isNearEnd()) log.scrollTop = log.scrollHeight;
    },
  };
}

/**
 * On phones the on-screen keyboard shrinks the visual viewport: while `track(true)`, the panel's CSS variables
 * --tutor-viewport-height/top follow it so the panel (and its composer) stay inside.
 */
export function createViewportFit(panel: HTMLElement): { track(on: boolean): void } {
  const fitPanel = (): void => {
    const viewport = window.visualViewport;
    if (viewport === null || viewport === undefined) return;
    panel.style.setProperty('--tutor-viewport-height', `${Math.round(viewport.height)}px`);
    panel.style.setProperty('--tutor-viewport-top', `${Math.round(viewport.offsetTop)}px`);
  };
  return {
    track(on) {
      const viewport = window.visualViewport;
      if (viewport === null || viewport === undefined) return;
      viewport.removeEventListener('resize', fitPanel);
      viewport.removeEventListener('scroll', fitPanel);
      if (!on) return;
      viewport.addEventListener('resize', fitPanel);
      viewport.addEventListener('scroll', fitPanel);
      fitPanel();
    },
  };
}
