/** Control characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides: what can move a terminal's cursor, retitle its window or hide text. */
function unsafe(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/**
 * What a peer or a server said (a close reason, an error text, a subject), made safe for a terminal
 * or a log line: control characters shown as `\xNN` / `\uNNNN` escapes and the text cut to
 * `maxChars` (marked with `...`).
 */
export function safeText(text: string, maxChars = 200): string {
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}...` : text;
  let out = '';
  for (let i = 0; i < cut.length; i++) {
    const code = cut.charCodeAt(i);
    if (!unsafe(code)) out += cut[i];
    else out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}
