/** Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides: what can move a terminal's cursor, retitle its window or hide text. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * What a peer or a server said (a close reason, an error text, a subject), made safe for a terminal
 * or a log line: control characters shown as `\xNN` / `\uNNNN` escapes and the text cut to
 * `maxChars` (marked with `...`).
 */
export function safeText(text: string, maxChars = 200): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}...` : text;
  return cut.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
