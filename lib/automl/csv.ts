/**
 * RFC 4180 CSV: comma-separated fields, double-quoted when they hold commas, quotes or line breaks.
 * Reading also takes another one-character delimiter (semicolon, tab, pipe).
 */

export class CsvSyntaxError extends Error {
  override name = "CsvSyntaxError";
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * Parses CSV text into rows of fields. Accepts LF or CRLF line ends, a trailing line end or none,
 * and a leading byte-order mark; blank lines are skipped.
 */
export function parseCsv(text: string, delimiter: Delimiter = ","): string[][] {
  const fields = indexCsv(text, delimiter);
  return Array.from({ length: fields.rowCount }, (_, row) => fields.row(row));
}

/**
 * Where each field of a CSV text lies. A field's text is sliced (and unquoted) only when asked
 * for, so a large file can be read a column at a time instead of holding a string per field.
 */
export class CsvFields {
  constructor(
    private readonly text: string,
    /** Where each field starts in the text, row after row. */
    private readonly starts: Int32Array,
    /** Row r's fields are starts[firstField[r]] .. starts[firstField[r + 1] - 1]. */
    private readonly firstField: Int32Array,
    /** Where each row's last field ends in the text. */
    private readonly rowEnds: Int32Array,
  ) {}

  get rowCount(): number {
    return this.rowEnds.length;
  }

  width(row: number): number {
    return this.firstField[row + 1]! - this.firstField[row]!;
  }

  /** Field `index` of `row`, unquoted; "" past the row's last field. */
  field(row: number, index: number): string {
    const at = this.firstField[row]! + index;
    const next = this.firstField[row + 1]!;
    if (index < 0 || at >= next) return "";
    // Fields are one delimiter apart; the last ends where its line does.
    return this.slice(this.starts[at]!, at + 1 < next ? this.starts[at + 1]! - 1 : this.rowEnds[row]!);
  }

  row(row: number): string[] {
    const fields: string[] = new Array(this.width(row));
    for (let index = 0; index < fields.length; index++) fields[index] = this.field(row, index);
    return fields;
  }

  /** Field `index` of rows `from` to the last. */
  column(index: number, from = 0): string[] {
    const values: string[] = new Array(this.rowCount - from);
    for (let i = 0; i < values.length; i++) values[i] = this.field(from + i, index);
    return values;
  }

  private slice(start: number, end: number): string {
    if (this.text.charCodeAt(start) !== QUOTE) return this.text.slice(start, end);
    const quoted = this.text.slice(start + 1, end - 1);
    return quoted.includes('"') ? quoted.replaceAll('""', '"') : quoted;
  }
}

/** Finds the fields of CSV text, as `parseCsv` reads them, without slicing them out. */
export function indexCsv(text: string, delimiter: Delimiter = ","): CsvFields {
  const delimiterCode = delimiter.charCodeAt(0);
  const starts = new GrowingInt32Array();
  const firstField = new GrowingInt32Array();
  const rowEnds = new GrowingInt32Array();
  const length = text.length;
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  firstField.push(0);
  while (position < length) {
    const start = position;
    if (text.charCodeAt(position) === QUOTE) {
      const startLine = line;
      let chunkStart = position + 1;
      for (;;) {
        const close = text.indexOf('"', chunkStart);
        if (close < 0) throw new CsvSyntaxError(`line ${startLine}: a quoted field is never closed`);
        line += countLineFeeds(text, chunkStart, close);
        if (text.charCodeAt(close + 1) === QUOTE) {
          chunkStart = close + 2;
          continue;
        }
        position = close + 1;
        break;
      }
      const next = text.charCodeAt(position);
      if (position < length && next !== delimiterCode && next !== LF && next !== CR) {
        throw new CsvSyntaxError(`line ${line}: unexpected text after a closing quote`);
      }
    } else {
      while (position < length) {
        const code = text.charCodeAt(position);
        if (code === delimiterCode || code === LF || code === CR) break;
        position++;
      }
    }
    starts.push(start);
    const separator = text.charCodeAt(position);
    if (separator === delimiterCode) {
      position++;
      if (position === length) starts.push(position); // the text ends on a delimiter: one more, empty field
      if (position < length) continue;
    }
    // End of a line (or of the text). A line of one empty field is blank, and skipped.
    const fieldsInRow = starts.length - firstField.last();
    const blank = fieldsInRow === 1 && (position === start || (position === start + 2 && text.charCodeAt(start) === QUOTE));
    if (blank) starts.pop();
    else {
      firstField.push(starts.length);
      rowEnds.push(position);
    }
    if (separator === CR && text.charCodeAt(position + 1) === LF) position++;
    if (position < length) position++;
    line++;
    while (position < length && (text.charCodeAt(position) === LF || text.charCodeAt(position) === CR)) {
      if (text.charCodeAt(position) === LF) line++;
      position++;
    }
  }
  return new CsvFields(text, starts.values(), firstField.values(), rowEnds.values());
}

/** An Int32Array that grows as values are pushed (by doubling), for lengths not known ahead. */
class GrowingInt32Array {
  private buffer = new Int32Array(1024);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.buffer.length) {
      const grown = new Int32Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.count++] = value;
  }

  pop(): void {
    this.count--;
  }

  last(): number {
    return this.buffer[this.count - 1]!;
  }

  /** The values pushed, in an array of their own size. */
  values(): Int32Array {
    return this.buffer.slice(0, this.count);
  }
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

/** The field delimiters CSV files are written with: RFC 4180's comma first. */
export const DELIMITERS = [",", ";", "\t", "|"] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** How much of a file its delimiter is judged on. */
const SNIFF_CHARACTERS = 64 * 1024;
const SNIFF_LINES = 50;

/**
 * The delimiter that splits the first lines of the text into the same number of fields (at least
 * two), the comma when it does; among the others, the one giving the most fields. When none splits
 * the lines evenly, the one that splits the first line into the most fields; undefined when no
 * delimiter splits it at all (a one-column file).
 */
export function sniffDelimiter(text: string): Delimiter | undefined {
  const sample = firstLines(text);
  const widths = DELIMITERS.map((delimiter) => {
    let rows: string[][];
    try {
      rows = parseCsv(sample, delimiter);
    } catch {
      return { delimiter, even: false, width: 0 };
    }
    const width = rows[0]?.length ?? 0;
    return { delimiter, even: width > 1 && rows.every((row) => row.length === width), width };
  });
  const even = widths.filter((candidate) => candidate.even);
  const pick = (candidates: typeof widths) => candidates.reduce((best, candidate) => (candidate.width > best.width ? candidate : best));
  if (even.length > 0) return even[0]!.delimiter === "," ? "," : pick(even).delimiter;
  const widest = pick(widths);
  return widest.width > 1 ? widest.delimiter : undefined;
}

/** The first lines of the text, cut at a line end (a quoted field cut short is dropped by the caller's parse). */
function firstLines(text: string): string {
  let end = 0;
  for (let line = 0; line < SNIFF_LINES; line++) {
    const next = text.indexOf("\n", end);
    if (next < 0 || next > SNIFF_CHARACTERS) return line === 0 ? text.slice(0, SNIFF_CHARACTERS) : text.slice(0, end);
    end = next + 1;
  }
  return text.slice(0, end);
}

export function formatCsvRow(fields: readonly string[]): string {
  return fields.map(formatCsvField).join(",");
}
