import { indexCsv, parseCsv, sniffDelimiter, type CsvFields, type Delimiter } from "./csv.ts";
import { AutoMLInputError } from "./errors.ts";
import { decodeText, type TextEncoding } from "./text-encoding.ts";

/** Rows of text fields under a header, as a CSV file holds them. */
export interface Table {
  header: string[];
  rows: string[][];
}

/**
 * A table's text a column at a time, as training reads it: a column's strings are made when asked
 * for and can go once read. (Held as rows, 50,000 rows of 30 fields are 1.5 million strings, some
 * 100 MB, whose memory outlived the reading.)
 */
export interface TextColumns {
  header: string[];
  /** Rows under the header. */
  rowCount: number;
  /** Every row's field in column `index`, top to bottom. */
  column(index: number): string[];
}

export function columnsOfTable(table: Table): TextColumns {
  return { header: table.header, rowCount: table.rows.length, column: (index) => table.rows.map((row) => row[index] ?? "") };
}

/**
 * How the engine reads its input. "engine" (the library's and CLI's default) detects a file's text
 * encoding and delimiter; "autopilot" holds it to what SageMaker Autopilot reads: comma-separated
 * values (https://docs.aws.amazon.com/sagemaker/latest/dg/autopilot-datasets-problem-types.html)
 * in UTF-8 (AWS names no other encoding; its containers read with Python, whose default is UTF-8).
 */
export type InputRules = "engine" | "autopilot";

/** How a CSV file was read: its text encoding (absent when given as text) and delimiter. */
export interface CsvFormat {
  encoding?: TextEncoding;
  delimiter: Delimiter;
}

/** Reads CSV whose first line is the header, from text or bytes, under the given rules. */
export function readCsvTable(csv: string | Uint8Array, rules: InputRules, what = "The data"): { table: Table; format: CsvFormat } {
  const { fields, format } = readCsvFields(csv, rules, what);
  return { table: tableOfFields(fields), format };
}

/** As `readCsvTable`, a column at a time. */
export function readCsvColumns(csv: string | Uint8Array, rules: InputRules, what = "The data"): { table: TextColumns; format: CsvFormat } {
  const { fields, format } = readCsvFields(csv, rules, what);
  return { table: { header: fields.row(0), rowCount: fields.rowCount - 1, column: (index) => fields.column(index, 1) }, format };
}

function readCsvFields(csv: string | Uint8Array, rules: InputRules, what: string): { fields: CsvFields; format: CsvFormat } {
  const decoded = typeof csv === "string" ? undefined : decodeText(csv, what, { utf8Only: rules === "autopilot" });
  const text = decoded?.text ?? csv as string;
  const sniffed = sniffDelimiter(text);
  if (rules === "autopilot" && sniffed !== undefined && sniffed !== ",") {
    const columns = parseCsv(text.split("\n", 1)[0]!, sniffed)[0]?.length ?? 0;
    throw new AutoMLInputError(
      `${what} is not comma-separated: its lines split on ${describeDelimiter(sniffed)} (into ${columns} columns). ` +
        "Autopilot reads CSV with comma-separated fields; save the file with commas.",
    );
  }
  const delimiter = sniffed ?? ",";
  return { fields: headedCsvFields(text, delimiter), format: { ...(decoded && { encoding: decoded.encoding }), delimiter } };
}

export function describeDelimiter(delimiter: Delimiter): string {
  return delimiter === "\t" ? "tabs" : `"${delimiter}"`;
}

/** Parses CSV whose first line is the header, checking that every row has the header's width. */
export function tableFromCsv(csv: string, delimiter: Delimiter = ","): Table {
  return tableOfFields(headedCsvFields(csv, delimiter));
}

function tableOfFields(fields: CsvFields): Table {
  return { header: fields.row(0), rows: Array.from({ length: fields.rowCount - 1 }, (_, i) => fields.row(i + 1)) };
}

/** The fields of CSV whose first line is the header, every row as wide as the header. */
function headedCsvFields(csv: string, delimiter: Delimiter): CsvFields {
  const fields = indexCsv(csv, delimiter);
  if (fields.rowCount === 0) throw new AutoMLInputError("The data is empty: expected a CSV header line and rows.");
  checkWidths(fields.width(0), fields.rowCount - 1, (i) => fields.width(i + 1), 2, delimiter);
  return fields;
}

/** Rejects rows whose field count differs from `width`, naming the first offending line. */
export function checkRowWidths(width: number, rows: readonly string[][], firstLineNumber: number, delimiter: Delimiter = ","): void {
  checkWidths(width, rows.length, (i) => rows[i]!.length, firstLineNumber, delimiter);
}

function checkWidths(width: number, rows: number, widthOf: (row: number) => number, firstLineNumber: number, delimiter: Delimiter): void {
  for (let i = 0; i < rows; i++) {
    const fields = widthOf(i);
    if (fields !== width) {
      const separators = delimiter === "," ? "commas" : delimiter === "\t" ? "tabs" : `"${delimiter}" delimiters`;
      throw new AutoMLInputError(`Row ${i + firstLineNumber} has ${fields} fields but ${width} were expected; check its quoting and ${separators}.`);
    }
  }
}
