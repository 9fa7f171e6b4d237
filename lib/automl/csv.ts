/** RFC 4180 CSV: comma-separated fields, double-quoted when they hold commas, quotes or line breaks. */

export class CsvSyntaxError extends Error {
  override name = "CsvSyntaxError";
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/**
 * Parses CSV text into rows of fields. Accepts LF or CRLF line ends, a trailing line end or none,
 * and a leading byte-order mark; blank lines are skipped.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const length = text.length;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let row: string[] = [];
  while (position < length) {
    let field: string;
    if (text.charCodeAt(position) === QUOTE) {
      const startLine = line;
      let value = "";
      let chunkStart = position + 1;
      for (;;) {
        const close = text.indexOf('"', chunkStart);
        if (close < 0) throw new CsvSyntaxError(`line ${startLine}: a quoted field is never closed`);
        value += text.slice(chunkStart, close);
        line += countLineFeeds(text, chunkStart, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          value += '"';
          chunkStart = close + 2;
          continue;
        }
        position = close + 1;
        break;
      }
      const next = text.charCodeAt(position);
      if (position < length && next !== COMMA && next !== LF && next !== CR) {
        throw new CsvSyntaxError(`line ${line}: unexpected text after a closing quote`);
      }
      field = value;
    } else {
      let end = position;
      while (end < length) {
        const code = text.charCodeAt(end);
        if (code === COMMA || code === LF || code === CR) break;
        end++;
      }
      field = text.slice(position, end);
      position = end;
    }
    row.push(field);
    const separator = text.charCodeAt(position);
    if (separator === COMMA) {
      position++;
      if (position === length) row.push("");
      continue;
    }
    // End of a line (or of the text).
    if (separator === CR && text.charCodeAt(position + 1) === LF) position++;
    position++;
    line++;
    if (!(row.length === 1 && row[0] === "")) rows.push(row);
    row = [];
    while (position < length && (text.charCodeAt(position) === LF || text.charCodeAt(position) === CR)) {
      if (text.charCodeAt(position) === LF) line++;
      position++;
    }
  }
  if (row.length > 0) rows.push(row); // the text ended on a comma
  return rows;
}

function countLineFeeds(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf("\n", from); i >= 0 && i < to; i = text.indexOf("\n", i + 1)) count++;
  return count;
}

/** Quotes a field when RFC 4180 requires it. */
function formatCsvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function formatCsvRow(fields: readonly string[]): string {
  return fields.map(formatCsvField).join(",");
}
