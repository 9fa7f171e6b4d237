import { describe, expect, it } from "vitest";
import { CsvSyntaxError, formatCsvRow, indexCsv, parseCsv } from "../../lib/automl/csv.ts";
import { AutoMLInputError } from "../../lib/automl/errors.ts";
import { readCsvColumns, readCsvTable, tableFromCsv } from "../../lib/automl/table.ts";

describe("parseCsv", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    expect(parseCsv('a,"b,c","say ""hi""","two\nlines"\n1,2,3,4')).toEqual([
      ["a", "b,c", 'say "hi"', "two\nlines"],
      ["1", "2", "3", "4"],
    ]);
  });

  it("accepts CRLF, a trailing line end, a byte-order mark, empty fields and blank lines", () => {
    expect(parseCsv("\ufeffx,y\r\n1,\r\n\r\n,2\r\n")).toEqual([
      ["x", "y"],
      ["1", ""],
      ["", "2"],
    ]);
    expect(parseCsv("x,y\n3,4")).toEqual([
      ["x", "y"],
      ["3", "4"],
    ]);
  });

  it("refuses an unclosed quote and text after a closing quote, naming the line", () => {
    expect(() => parseCsv('a,b\n1,"open\n2,3')).toThrow(new CsvSyntaxError("line 2: a quoted field is never closed"));
    expect(() => parseCsv('a,b\n"x"y,2')).toThrow(CsvSyntaxError);
  });

  it("round-trips fields through formatCsvRow", () => {
    const fields = ["plain", "with,comma", 'with "quote"', "multi\nline", ""];
    expect(parseCsv(formatCsvRow(fields))).toEqual([fields]);
  });
});

describe("tableFromCsv", () => {
  it("splits header and rows", () => {
    expect(tableFromCsv("a,b\n1,2\n3,4")).toEqual({ header: ["a", "b"], rows: [["1", "2"], ["3", "4"]] });
  });

  it("names the first row whose width differs from the header's", () => {
    expect(() => tableFromCsv("a,b\n1,2\n3,4,5")).toThrow(new AutoMLInputError("Row 3 has 3 fields but 2 were expected; check its quoting and commas."));
  });

  it("refuses empty data", () => {
    expect(() => tableFromCsv("")).toThrow(/empty/);
  });
});

describe("indexCsv", () => {
  it("gives each field, a column at a time, as parseCsv reads it", () => {
    const text = '\ufeffa,"b,c",d\r\n1,"say ""hi""","two\nlines"\n\n"",,\r\n3,4,5,';
    const rows = parseCsv(text);
    const fields = indexCsv(text);
    expect(fields.rowCount).toBe(rows.length);
    expect(rows.map((_, row) => fields.row(row))).toEqual(rows);
    for (let column = 0; column < 4; column++) expect(fields.column(column)).toEqual(rows.map((row) => row[column] ?? ""));
    expect(fields.column(1, 2)).toEqual(["", "4"]);
  });
});

describe("readCsvColumns", () => {
  it("reads the columns under the header as readCsvTable reads the rows, with the same errors", () => {
    const csv = "x;y;z\n1;a;\n2;b;c\n";
    const { table } = readCsvTable(csv, "engine");
    const { table: columns, format } = readCsvColumns(csv, "engine");
    expect(format).toEqual({ delimiter: ";" });
    expect(columns.header).toEqual(table.header);
    expect(columns.rowCount).toBe(2);
    expect([0, 1, 2].map((column) => columns.column(column))).toEqual([["1", "2"], ["a", "b"], ["", "c"]]);
    expect(() => readCsvColumns("a,b\n1,2\n3,4,5", "engine")).toThrow(new AutoMLInputError("Row 3 has 3 fields but 2 were expected; check its quoting and commas."));
    expect(() => readCsvColumns("", "engine")).toThrow(/empty/);
  });
});
