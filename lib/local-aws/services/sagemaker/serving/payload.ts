import { formatCsvRow, parseCsv } from "../../../../automl/index.ts";

/** The keys Autopilot's inference containers can answer per row (SAGEMAKER_INFERENCE_OUTPUT). */
export const INFERENCE_KEYS = ["predicted_label", "probability", "probabilities", "labels"] as const;
export type InferenceKey = (typeof INFERENCE_KEYS)[number];

export type AnswerValue = string | number | readonly (string | number)[];
export type AnswerRow = Partial<Record<InferenceKey, AnswerValue>>;

/** A request as one container of an endpoint receives it, and its answer. */
export interface Invocation {
  body: Buffer;
  contentType: string;
  accept: string;
}
export interface Answer {
  body: Buffer;
  contentType: string;
}

/** What a container answers with HTTP 400: InvokeEndpoint passes it on as a ModelError. */
export class ContainerError extends Error {
  override name = "ContainerError";
}

/**
 * A comma-separated key list of SAGEMAKER_INFERENCE_OUTPUT / _INPUT (spaces allowed, as in AWS's
 * examples; any case, as the generated serving code lower-cases them); unset or blank is the fallback.
 */
export function inferenceKeys(environment: Record<string, string>, variable: string, fallback: string): InferenceKey[] {
  const value = environment[variable]?.trim() ? environment[variable]! : fallback;
  const keys = value.split(",").map((key) => key.trim().toLowerCase()).filter(Boolean);
  const unknown = keys.filter((key) => !(INFERENCE_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new ContainerError(`${variable} names ${unknown.join(", ")}; the keys are ${INFERENCE_KEYS.join(", ")}.`);
  return keys as InferenceKey[];
}

/** The media type of a Content-Type or (first) Accept value, without parameters. */
export const mediaType = (header: string) => header.split(",")[0]!.split(";")[0]!.trim().toLowerCase();

/** text/csv rows without a header, or JSON `{"instances": [{"features": [...]}]}` / `[[...], ...]`. */
export function readRows(invocation: Invocation): string[][] {
  const type = mediaType(invocation.contentType);
  const text = invocation.body.toString("utf8");
  if (type === "text/csv") {
    try {
      return parseCsv(text.replace(/\r?\n$/, ""));
    } catch (error) {
      throw new ContainerError(`Could not parse the payload as CSV: ${(error as Error).message}`);
    }
  }
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ContainerError("The payload is not valid JSON.");
    }
    const instances = Array.isArray(parsed) ? parsed : (parsed as { instances?: unknown } | null)?.instances;
    if (!Array.isArray(instances)) throw new ContainerError('JSON payloads are {"instances": [{"features": [...]}, ...]} or a list of rows.');
    return instances.map((instance) => {
      const features = Array.isArray(instance) ? instance : (instance as { features?: unknown } | null)?.features;
      if (!Array.isArray(features)) throw new ContainerError("Each JSON instance needs a features list.");
      return features.map((value) => {
        if (value === null) return "";
        if (typeof value === "object") throw new ContainerError("Each feature is a number, a string, a boolean or null, not a list or an object.");
        return String(value);
      });
    });
  }
  throw new ContainerError(`Content type ${type} is not supported; send text/csv or application/json.`);
}

/** Lists the way Autopilot's containers print them in CSV: [0.1, 0.9] and ['False.', 'True.']. */
function csvValue(value: AnswerValue | undefined): string {
  if (Array.isArray(value)) return `[${value.map((item) => (typeof item === "string" ? `'${item}'` : String(item))).join(", ")}]`;
  if (typeof value === "number" && Number.isNaN(value)) return "nan";
  return value === undefined ? "" : String(value);
}

/** The rows' answers in the keys' order, as text/csv, application/json or application/jsonlines (NaN is null in JSON). */
export function writeAnswer(rows: readonly AnswerRow[], keys: readonly InferenceKey[], accept: string): Answer {
  const type = mediaType(accept);
  const pick = (row: AnswerRow) => Object.fromEntries(keys.map((key) => [key, row[key]]));
  if (type === "application/json") return { contentType: type, body: Buffer.from(JSON.stringify({ predictions: rows.map(pick) }), "utf8") };
  if (type === "application/jsonlines") return { contentType: type, body: Buffer.from(rows.map((row) => JSON.stringify(pick(row)) + "\n").join(""), "utf8") };
  if (type !== "text/csv") throw new ContainerError(`Accept ${type} is not supported; ask for text/csv, application/json or application/jsonlines.`);
  return { contentType: type, body: Buffer.from(rows.map((row) => formatCsvRow(keys.map((key) => csvValue(row[key]))) + "\n").join(""), "utf8") };
}

/** Reads back a list of probabilities written by `writeAnswer`'s CSV form: [0.1, 0.9]. */
export function parseProbabilities(field: string): number[] {
  const inner = field.trim();
  const values = inner.startsWith("[") && inner.endsWith("]") ? inner.slice(1, -1).split(",").map((item) => Number(item.trim() || Number.NaN)) : [];
  if (values.length === 0 || values.some(Number.isNaN)) throw new ContainerError(`"${field}" is not a list of probabilities like [0.1, 0.9].`);
  return values;
}
