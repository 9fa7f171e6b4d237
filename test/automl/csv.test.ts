import { describe, expect, it } from "vitest";
import { CsvSyntaxError, formatCsvRow, parseCsv } from "../../lib/automl/csv.ts";
import { AutoMLInputError } from "../../lib/automl/errors.ts";
import { tableFromCsv } from "../../lib/automl/table.ts";

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
