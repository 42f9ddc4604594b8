/**
 * Text from learners that ends up in files and terminals (feedback reasons) must not carry terminal control:
 * ESC sequences retitle windows and clear screens, CR and BEL overwrite and forge report lines, bidirectional
 * overrides reorder what is shown.
 */

/** Line and paragraph breaks, tabs: become one space each. */
const BREAKS = /\r\n|[\r\n\t\v\f\u0085\u2028\u2029]/g;
/** C0 controls, DEL, C1 controls (CSI U+009B among them), and bidirectional embeddings, overrides and isolates. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this removes
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** At input: breaks to spaces, every other control character removed, then trimmed. */
export function toPlainLine(text: string): string {
  return text.replace(BREAKS, ' ').replace(CONTROLS, '').trim();
}

/**
 * At output (every report printed to a terminal): each control character shown as a visible escape such as `\u001b`,
 * so stored text, whoever wrote it and however old it is, can never act on the terminal.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this escapes
    /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${(character.codePointAt(0) as number).toString(16).padStart(4, '0')}`,
  );
}
