import { InvokeEndpointCommand, type SageMakerRuntimeClient } from "@aws-sdk/client-sagemaker-runtime";
import { formatCsvRow, parseCsv } from "../automl/csv.ts";

/** InvokeEndpoint refuses payloads over 6 MB; batches stay under this, with room for the request's framing. */
export const MAX_PAYLOAD_BYTES = 5 * 1024 * 1024;

export interface Prediction {
  label: string;
  /** P(positive class) for binary problems, as Autopilot's `probability` key. */
  probability: number;
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

/** Parses the endpoint's `predicted_label,probability` lines. */
export function parsePredictions(csv: string): Prediction[] {
  return parseCsv(csv.trim()).map(([label = "", probability = ""]) => {
    const value = Number(probability);
    if (label === "" || !Number.isFinite(value)) throw new Error(`unexpected prediction line "${label},${probability}"`);
    return { label, probability: value };
  });
}

/** Predicts every row (features only, no header), batch by batch under the payload limit. */
export async function predictRows(runtime: SageMakerRuntimeClient, endpoint: string, rows: readonly string[][], maxBytes = MAX_PAYLOAD_BYTES): Promise<Prediction[]> {
  const predictions: Prediction[] = [];
  for (const batch of batchCsvRows(rows, maxBytes)) {
    const answer = await runtime.send(new InvokeEndpointCommand({ EndpointName: endpoint, ContentType: "text/csv", Accept: "text/csv", Body: Buffer.from(batch) }));
    predictions.push(...parsePredictions(Buffer.from(answer.Body ?? new Uint8Array()).toString("utf8")));
  }
  if (predictions.length !== rows.length) throw new Error(`the endpoint answered ${predictions.length} predictions for ${rows.length} rows`);
  return predictions;
}
