import { parseCsv } from "./csv.ts";
import { AutoMLInputError } from "./errors.ts";

/** Rows of text fields under a header, as a CSV file holds them. */
export interface Table {
  header: string[];
  rows: string[][];
}

/** Parses CSV whose first line is the header, checking that every row has the header's width. */
export function tableFromCsv(csv: string): Table {
  const [header, ...rows] = parseCsv(csv);
  if (!header) throw new AutoMLInputError("The data is empty: expected a CSV header line and rows.");
  checkRowWidths(header.length, rows, 2);
  return { header, rows };
}

/** Rejects rows whose field count differs from `width`, naming the first offending line. */
export function checkRowWidths(width: number, rows: readonly string[][], firstLineNumber: number): void {
  for (let i = 0; i < rows.length; i++) {
    const fields = rows[i]!.length;
    if (fields !== width) {
      throw new AutoMLInputError(`Row ${i + firstLineNumber} has ${fields} fields but ${width} were expected; check its quoting and commas.`);
    }
  }
}
