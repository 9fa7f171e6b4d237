import { formatCsvRow, parseCsv } from "../../../automl/index.ts";
import { selectJsonPath, JsonPathError, type JsonPath } from "./jsonpath-filter.ts";
import { ContainerFailure } from "./serving/model.ts";
import { mediaType, type Answer, type Invocation } from "./serving/payload.ts";
import type { AssemblyType, BatchStrategy, SplitType } from "./transform-state.ts";

/** How a transform job turns a mini-batch of input lines into output (CreateTransformJob's settings, resolved). */
export interface TransformSettings {
  /** TransformInput.ContentType, text/csv when not given (what the containers read by default). */
  contentType: string;
  /** TransformOutput.Accept; empty for the model's default. */
  accept: string;
  splitType: SplitType;
  batchStrategy: BatchStrategy;
  assembleWith: AssemblyType;
  inputFilter?: JsonPath;
  outputFilter?: JsonPath;
  joinInput: boolean;
}

/** Lines of an input object, whole: `firstLine` is the object's line number of the first. */
export interface Batch {
  text: string;
  firstLine: number;
}

/** A record (or, when no single record is to blame, a run of them) the job cannot transform. */
export class RecordFailure extends Error {
  constructor(
    readonly lines: readonly [number, number],
    message: string,
  ) {
    super(message);
  }
}

export type Invoke = (invocation: Invocation) => Answer;

/** The records of a text: its lines, without line ends; a last line end does not start another. */
export function splitRecords(text: string): string[] {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
}

/**
 * The output of one mini-batch. Without DataProcessing the container's answers are the output as
 * they are; with it, records are read as JSON values (a CSV row as an array of its fields) where a
 * filter or a JSON join needs them: filtered by InputFilter, sent, and their answers joined to the
 * original records (JoinSource Input) and filtered by OutputFilter (AWS developer guide, "Associate
 * Prediction Results with Input Records":
 * https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html).
 */
export function transformBatch(settings: TransformSettings, invoke: Invoke, batch: Batch): string {
  const records = splitRecords(batch.text);
  const { firstLine } = batch;
  // "To enable the batch strategy, you must set SplitType to Line" (CreateTransformJob, BatchStrategy).
  const whole = settings.splitType === "None" || settings.batchStrategy === "MultiRecord";
  const inputType = mediaType(settings.contentType);
  const read = () => records.map((record, i) => readRecord(record, inputType, firstLine + i));
  const filtered = settings.inputFilter && read();
  const payloads = filtered ? filtered.map((input, i) => writeRecord(atLine(firstLine + i, () => selectJsonPath(settings.inputFilter!, input)), inputType)) : records;
  const answers = answersFor(settings, invoke, payloads, firstLine, whole ? (filtered ? payloads.join("\n") + "\n" : batch.text) : undefined);
  if (!settings.outputFilter && !settings.joinInput) return assemble(settings, answers.map(answerText));

  const outputType = mediaType(answers[0]?.contentType ?? settings.accept);
  const oneEach = <T>(outputs: T[]): T[] => {
    if (outputs.length === records.length) return outputs;
    throw new RecordFailure(
      [firstLine, firstLine + records.length - 1],
      `the model answered ${outputs.length} records for ${records.length} input records; JoinSource Input and OutputFilter need one answer per record (Accept text/csv or application/jsonlines answers a line per record).`,
    );
  };
  if (settings.joinInput && !settings.outputFilter && inputType === "text/csv" && outputType === "text/csv") {
    // "For CSV data ... appending each transformed row to the end of the input": the rows as they are, joined by a comma.
    return assemble(settings, oneEach(answers.flatMap((answer) => splitRecords(answerText(answer)))).map((output, i) => `${records[i]},${output}`));
  }
  const inputs = settings.joinInput ? (filtered ?? read()) : [];
  return assemble(
    settings,
    oneEach(answers.flatMap(answerRecords)).map((output, i) => {
      const joined = settings.joinInput ? joinRecord(inputs[i], output, inputType === "text/csv" && outputType === "text/csv") : output;
      const selected = settings.outputFilter ? atLine(firstLine + i, () => selectJsonPath(settings.outputFilter!, joined)) : joined;
      return outputType === "text/csv" ? writeRecord(selected, "text/csv") : JSON.stringify(selected);
    }),
  );
}

/**
 * The answers to the records sent one by one, or to `whole` (all of them in one payload) when
 * given. A whole mini-batch the model refuses is retried record by record to name the line at
 * fault (AWS names only the object; the line is what a user needs to fix it).
 */
function answersFor(settings: TransformSettings, invoke: Invoke, records: string[], firstLine: number, whole: string | undefined): Answer[] {
  const send = (body: string) => invoke({ body: Buffer.from(body, "utf8"), contentType: settings.contentType, accept: settings.accept });
  if (whole === undefined) return records.map((record, i) => atLine(firstLine + i, () => send(record)));
  try {
    return [send(whole)];
  } catch (error) {
    if (!(error instanceof ContainerFailure)) throw error;
    records.forEach((record, i) => atLine(firstLine + i, () => send(record)));
    throw new RecordFailure([firstLine, firstLine + records.length - 1], modelRefusal(error));
  }
}

function atLine<T>(line: number, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ContainerFailure) throw new RecordFailure([line, line], modelRefusal(error));
    if (error instanceof JsonPathError) throw new RecordFailure([line, line], error.message);
    throw error;
  }
}

/** InvokeEndpoint's ModelError wording, for the same refusal. */
const modelRefusal = (failure: ContainerFailure) => `Received client error (400) from ${failure.hostname} with message "${failure.message}".`;

function readRecord(record: string, type: string, line: number): unknown {
  try {
    return type === "text/csv" ? (parseCsv(record)[0] ?? [""]) : JSON.parse(record);
  } catch (error) {
    throw new RecordFailure([line, line], `the record is not ${type === "text/csv" ? "a CSV row" : "JSON"}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A value as a record of `type`: a CSV row of an array's items (a lone value is one field), or JSON. */
function writeRecord(value: unknown, type: string): string {
  if (type !== "text/csv") return JSON.stringify(value);
  return formatCsvRow((Array.isArray(value) ? value : [value]).map((field) => (typeof field === "string" ? field : field === null || field === undefined ? "" : typeof field === "object" ? JSON.stringify(field) : String(field))));
}

const answerText = (answer: Answer) => answer.body.toString("utf8");

/** An answer's records: CSV rows, JSON lines, or the items of a JSON list (Autopilot's {"predictions": [...]} included). */
function answerRecords(answer: Answer): unknown[] {
  const type = mediaType(answer.contentType);
  const text = answerText(answer);
  if (type === "text/csv") return splitRecords(text).map((line) => parseCsv(line)[0] ?? [""]);
  if (type === "application/jsonlines") return splitRecords(text).map((line) => JSON.parse(line) as unknown);
  const value = JSON.parse(text) as unknown;
  if (Array.isArray(value)) return value;
  const members = typeof value === "object" && value !== null ? Object.values(value) : [];
  return members.length === 1 && Array.isArray(members[0]) ? members[0] : [value];
}

/**
 * JoinSource Input: a CSV row followed by the CSV answer's fields; otherwise the answer under
 * SageMakerOutput, in the input object, or beside the input under SageMakerInput when the input
 * is not an object (DataProcessing.JoinSource, API reference).
 */
function joinRecord(input: unknown, output: unknown, bothCsv: boolean): unknown {
  if (bothCsv) return [...(input as unknown[]), ...(output as unknown[])];
  if (typeof input === "object" && input !== null && !Array.isArray(input)) return { ...input, SageMakerOutput: output };
  return { SageMakerInput: input, SageMakerOutput: output };
}

/** AssembleWith Line ends every output record with a line end; None concatenates them as they are. */
function assemble(settings: TransformSettings, pieces: string[]): string {
  if (settings.assembleWith === "None") return pieces.join("");
  return pieces.map((piece) => (piece.endsWith("\n") ? piece : `${piece}\n`)).join("");
}
