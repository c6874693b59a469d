/** `1,607` : integer with thousands separators, as the article prints counts. */
export function formatInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** `20,905.80` : fixed decimals with thousands separators. */
export function formatFixed(value: number, decimals = 2): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `[2013-06-18, 15:03:11]` in local time, the article's log prefix. */
export function formatStamp(ms: number): string {
  const d = new Date(ms);
  return `[${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}, ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}]`;
}

/** Microseconds as milliseconds with two decimals. */
export function formatMs(us: number): string {
  return `${formatFixed(us / 1000, 2)} ms`;
}

/** Text made safe inside HTML (the HTML report, the live dashboard): `& < > " '` as character references. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
