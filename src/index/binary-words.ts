/**
 * The saved index's binary files are sequences of 32-bit little-endian words (uint32 counts and ids, float32 values),
 * so a loaded file is used through typed-array views over its bytes, without parsing. This is the one place that turns
 * file bytes into such views.
 */

/** The words of a file's bytes; a view when the bytes are 4-byte aligned (readFile's own buffers are), else a copy. */
export function wordsOf(content: Uint8Array, name: string): Uint32Array {
  if (content.byteLength % 4 !== 0) throw new Error(`${name} has ${content.byteLength} bytes, not whole 32-bit words`);
  if (content.byteOffset % 4 === 0) return new Uint32Array(content.buffer, content.byteOffset, content.byteLength / 4);
  const copy = new Uint32Array(content.byteLength / 4);
  new Uint8Array(copy.buffer).set(content);
  return copy;
}

/** `length` float32 values stored at word `offset` of `words` (a view, no copy). */
export function floatsAt(words: Uint32Array, offset: number, length: number): Float32Array {
  return new Float32Array(words.buffer, words.byteOffset + offset * 4, length);
}

/** Concatenates word arrays (uint32 or float32) into one buffer, in order, for writing. */
export function joinWords(parts: readonly (Uint32Array | Float32Array)[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const words = new Uint32Array(total);
  let offset = 0;
  for (const part of parts) {
    words.set(part instanceof Float32Array ? new Uint32Array(part.buffer, part.byteOffset, part.length) : part, offset);
    offset += part.length;
  }
  return new Uint8Array(words.buffer);
}
