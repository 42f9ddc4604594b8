import type { CitationPayload } from '../src/shared/chat-protocol.js';
import type { WidgetLanguage } from './widget-i18n.js';

/** A cited document's title as a learner reading in one language sees it. */
export interface ShownTitle {
  /** The title in the reader's language where the document's rendering has one, else the original title. */
  readonly title: string;
  /** The original title, when `title` is its rendering (shown after it, smaller). */
  readonly original?: string;
}

/**
 * The title to show for a citation read in `language`: the document's rendering's title first when the passage has a
 * rendering in that language with a title (an English learner sees the English title, then the Chinese one), else
 * the original title alone.
 */
export function shownTitle(citation: CitationPayload, language: WidgetLanguage | undefined): ShownTitle {
  const rendered = citation.translation?.language === language ? citation.translation?.title?.trim() : undefined;
  return rendered === undefined || rendered === '' || rendered === citation.title
    ? { title: citation.title }
    : { title: rendered, original: citation.title };
}
