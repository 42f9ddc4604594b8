import { TutorChatElement } from './tutor-chat-element.js';

/**
 * Entry point of widget.js. Defines `<tutor-chat>` and, for the one-tag embed
 * `<script src=".../widget.js" data-server="..." defer></script>`, adds a floating widget configured by the tag's
 * data-* attributes. A script tag without `data-server` (or with `data-launcher="false"`) only defines the element,
 * for pages that place `<tutor-chat>` inline themselves.
 */

const ELEMENT_NAME = 'tutor-chat';

if (customElements.get(ELEMENT_NAME) === undefined) customElements.define(ELEMENT_NAME, TutorChatElement);

/** data-* attribute of the script tag → attribute of the element it creates. */
const SCRIPT_ATTRIBUTE_MAP: ReadonlyArray<readonly [string, string]> = [
  ['data-server', 'server'],
  ['data-title', 'chat-title'],
  ['data-greeting', 'greeting'],
  ['data-language', 'language'],
  ['data-position', 'position'],
  ['data-primary-color', 'primary-color'],
  ['data-color', 'primary-color'],
  ['data-open', 'open'],
  ['data-storage-key', 'storage-key'],
];

function mountFromScript(script: HTMLScriptElement): void {
  if (!script.hasAttribute('data-server') || script.dataset.launcher === 'false' || script.dataset.tutorMounted === 'true') return;
  script.dataset.tutorMounted = 'true';
  const element = document.createElement(ELEMENT_NAME);
  element.setAttribute('mode', 'floating');
  for (const [from, to] of SCRIPT_ATTRIBUTE_MAP) {
    const value = script.getAttribute(from);
    if (value !== null && !element.hasAttribute(to)) element.setAttribute(to, value);
  }
  // An empty data-server means "the server that served this script".
  if ((element.getAttribute('server') ?? '').trim() === '' && script.src !== '') {
    element.setAttribute('server', new URL(script.src, window.location.href).origin);
  }
  const attach = (): void => {
    document.body.appendChild(element);
  };
  if (document.body === null) document.addEventListener('DOMContentLoaded', attach, { once: true });
  else attach();
}

const current = document.currentScript;
if (current instanceof HTMLScriptElement) {
  mountFromScript(current);
} else {
  // Loaded as a module or injected late: find our tag by its file name.
  for (const script of Array.from(document.querySelectorAll<HTMLScriptElement>('script[src][data-server]'))) {
    if (/\/widget\.js(?:[?#].*)?$/.test(script.src)) mountFromScript(script);
  }
}
