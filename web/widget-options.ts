import { languageFromBrowser, type WidgetLanguage } from './widget-i18n.js';

/** Where the floating launcher sits. */
export type WidgetPosition = 'bottom-right' | 'bottom-left';

/**
 * `floating`: a launcher button in a corner that opens a panel (what the script tag creates).
 * `inline`: the panel sits in the page flow where the element is placed (the default for `<tutor-chat>`).
 */
export type WidgetMode = 'floating' | 'inline';

/** The options a widget runs with, after parsing and validating its attributes. */
export interface WidgetOptions {
  /** Origin (and optional base path) of the tutor server, without a trailing slash. */
  readonly server: string;
  /** @default the language's default title */
  readonly title: string | undefined;
  /** @default the language's default greeting */
  readonly greeting: string | undefined;
  /** @default from `navigator.languages` */
  readonly language: WidgetLanguage;
  /** @default 'bottom-right' */
  readonly position: WidgetPosition;
  /** Any CSS colour; ignored when the browser does not accept it. @default the built-in blue */
  readonly primaryColor: string | undefined;
  /** Open the panel as soon as the widget loads (floating mode). @default false */
  readonly openOnLoad: boolean;
  readonly mode: WidgetMode;
  /** Separates the remembered conversation of several widgets on one page. @default mode name */
  readonly storageKey: string;
}

/**
 * Attribute names of `<tutor-chat>`. The script tag takes them with a `data-` prefix, except `data-title` which
 * becomes `chat-title` (a plain `title` attribute on the element would show as a tooltip over the whole widget).
 */
export const WIDGET_ATTRIBUTES = [
  'server',
  'chat-title',
  'greeting',
  'language',
  'position',
  'primary-color',
  'open',
  'mode',
  'storage-key',
] as const;

export type WidgetAttributeName = (typeof WIDGET_ATTRIBUTES)[number];

export type AttributeReader = (name: WidgetAttributeName) => string | null;

export interface OptionEnvironment {
  readonly pageOrigin: string;
  readonly browserLanguages: readonly string[];
  /** Tells whether a string is a colour the browser accepts (CSS.supports in the browser). */
  readonly isColor: (value: string) => boolean;
}

export function parseWidgetOptions(read: AttributeReader, environment: OptionEnvironment): WidgetOptions {
  const language = parseLanguage(read('language')) ?? languageFromBrowser(environment.browserLanguages);
  const mode: WidgetMode = read('mode')?.trim().toLowerCase() === 'floating' ? 'floating' : 'inline';
  const color = nonEmpty(read('primary-color'));
  return {
    server: normaliseServer(read('server'), environment.pageOrigin),
    title: nonEmpty(read('chat-title')),
    greeting: nonEmpty(read('greeting')),
    language,
    position: parsePosition(read('position')),
    primaryColor: color !== undefined && environment.isColor(color) ? color : undefined,
    openOnLoad: parseBoolean(read('open')),
    mode,
    storageKey: nonEmpty(read('storage-key')) ?? mode,
  };
}

function nonEmpty(value: string | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function parseLanguage(value: string | null): WidgetLanguage | undefined {
  const normalized = value?.trim().toLowerCase() ?? '';
  if (normalized.startsWith('zh')) return 'zh';
  if (normalized.startsWith('en')) return 'en';
  return undefined;
}

function parsePosition(value: string | null): WidgetPosition {
  const normalized = value?.trim().toLowerCase() ?? '';
  return normalized === 'bottom-left' || normalized === 'left' ? 'bottom-left' : 'bottom-right';
}

/** A present attribute is true (`open`, `open=""`, `open="true"`), except the explicit false spellings. */
export function parseBoolean(value: string | null): boolean {
  if (value === null) return false;
  const normalized = value.trim().toLowerCase();
  return !['false', '0', 'no', 'off'].includes(normalized);
}

/**
 * The server URL without a trailing slash. Relative values resolve against the page; anything that is not http(s)
 * falls back to the page origin, so a hostile attribute cannot point the widget at a `javascript:` URL.
 */
export function normaliseServer(value: string | null, pageOrigin: string): string {
  const raw = value?.trim();
  if (raw === undefined || raw === '') return pageOrigin;
  try {
    const url = new URL(raw, pageOrigin);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return pageOrigin;
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    return pageOrigin;
  }
}
