// Ledger rows as CSV (RFC 4180): CRLF line ends, a header row, fields quoted when they hold a
// comma, quote, CR or LF, quotes doubled. Text cells that a spreadsheet would run as a formula
// (= + - @ tab CR first) get a leading apostrophe: model names arrive from terminal tools, so the
// file must not become a way to run formulas in the person's spreadsheet.
import type { LedgerRecord } from '../../server/protocol/ledger';

export const CSV_COLUMNS = [
  'ts', 'source', 'gateway', 'model', 'servedModel', 'inputTokens', 'outputTokens', 'costUsd', 'costSource', 'status', 'requestId',
  // Appended, so the earlier columns keep their places; empty on lines that do not carry them.
  'cachedInputTokens', 'cacheWriteTokens', 'reasoningTokens', 'cacheSavingsUsd',
] as const satisfies readonly (keyof LedgerRecord)[];

export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? String(value) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function ledgerCsv(rows: readonly LedgerRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => csvField(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
