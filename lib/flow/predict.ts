import { InvokeEndpointCommand, type SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { formatCsvRow } from "../automl/csv.ts";

/** InvokeEndpoint refuses payloads over 6 MB; batches stay under this, with room for the request's framing. */
export const MAX_PAYLOAD_BYTES = 5 * 1024 * 1024;

/** A row's answer: `predicted_label`, and for classification `probabilities` in the order of `labels`. */
export interface Prediction {
  label: string;
  probabilities?: number[];
  labels?: string[];
}

/** Splits CSV rows (no header) into payloads of at most `maxBytes` each, in order. */
export function batchCsvRows(rows: readonly string[][], maxBytes = MAX_PAYLOAD_BYTES): string[] {
  const batches: string[] = [];
  let lines: string[] = [];
  let bytes = 0;
  for (const row of rows) {
    const line = formatCsvRow(row);
    const size = Buffer.byteLength(line) + 1;
    if (size > maxBytes) throw new Error(`one row is ${size} bytes, over the ${maxBytes}-byte payload limit`);
    if (bytes + size > maxBytes && lines.length > 0) {
      batches.push(lines.join("\n"));
      lines = [];
      bytes = 0;
    }
    lines.push(line);
    bytes += size;
  }
  if (lines.length > 0) batches.push(lines.join("\n"));
  return batches;
}

interface EndpointAnswer {
  predicted_label?: unknown;
  probabilities?: unknown;
  labels?: unknown;
}

/** Parses the endpoint's JSON answer to `predicted_label` (and `probabilities,labels` for classification; see INFERENCE_KEYS). */
export function parsePredictions(json: string): Prediction[] {
  const predictions = (JSON.parse(json) as { predictions?: EndpointAnswer[] } | null)?.predictions;
  if (!Array.isArray(predictions)) throw new Error(`unexpected endpoint answer ${json.slice(0, 100)}: no predictions list`);
  return predictions.map((row) => {
    const { predicted_label: label, probabilities, labels } = row;
    if ((typeof label !== "string" && typeof label !== "number") || label === "") throw new Error(`unexpected prediction ${JSON.stringify(row)}: no predicted_label`);
    if (probabilities === undefined && labels === undefined) return { label: String(label) };
    const classes = Array.isArray(labels) && labels.every((item) => typeof item === "string") ? labels : undefined;
    const scores = Array.isArray(probabilities) && probabilities.every((item) => typeof item === "number") ? probabilities : undefined;
    if (!classes || !scores || classes.length !== scores.length) throw new Error(`unexpected prediction ${JSON.stringify(row)}: probabilities and labels must be lists of the same length`);
    return { label: String(label), probabilities: scores, labels: classes };
  });
}

/** Predicts every row (features only, no header), batch by batch under the payload limit. */
export async function predictRows(runtime: SageMakerRuntimeClient, endpoint: string, rows: readonly string[][], maxBytes = MAX_PAYLOAD_BYTES): Promise<Prediction[]> {
  const predictions: Prediction[] = [];
  for (const batch of batchCsvRows(rows, maxBytes)) {
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: "text/csv", Accept: "application/json", Body: Buffer.from(batch) }));
    predictions.push(...parsePredictions(Buffer.from(answer.Body ?? new Uint8Array()).toString("utf8")));
  }
  if (predictions.length !== rows.length) throw new Error(`the endpoint answered ${predictions.length} predictions for ${rows.length} rows`);
  return predictions;
}
