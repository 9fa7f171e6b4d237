import { AutoMLInputError, formatCsvRow, parseCsv, type Prediction } from "../../../automl/index.ts";
import { AwsError } from "../../errors.ts";
import type { Operation, OperationContext, ServiceDefinition } from "../../service.ts";
import { loadedModels, loadModel, type InferenceKey, type LoadedModel } from "./inference.ts";
import { sagemakerArn, sagemakerTable, type EndpointRecord } from "./state.ts";

const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const validationError = (message: string) => new AwsError("ValidationError", message, 400);

function modelError(message: string, endpoint: EndpointRecord): AwsError {
  return new AwsError("ModelError", `Received client error (400) from primary with message "${message}". See ${logsUrl(endpoint)} in account for more information.`, 424, "Sender", {
    OriginalStatusCode: 400,
    OriginalMessage: message,
    LogStreamArn: `arn:aws:logs:${endpoint.EndpointArn.split(":")[3]}:${endpoint.EndpointArn.split(":")[4]}:log-group:/aws/sagemaker/Endpoints/${endpoint.EndpointName}`,
  });
}

const logsUrl = (endpoint: EndpointRecord) => `/aws/sagemaker/Endpoints/${endpoint.EndpointName}`;

/** The endpoint's model, loaded now if the server restarted since it was deployed. */
async function servedModel(ctx: OperationContext, endpoint: EndpointRecord): Promise<LoadedModel> {
  const cached = loadedModels(ctx.store).get(endpoint.EndpointArn);
  if (cached) return cached;
  const loaded = await loadModel(ctx.store, ctx.region, ctx.now, endpoint.deployed!.model);
  loadedModels(ctx.store).set(endpoint.EndpointArn, loaded);
  return loaded;
}

const invokeEndpoint: Operation = async (ctx, input) => {
  const name = String(input.EndpointName ?? "");
  const headers = (input.Headers ?? {}) as Record<string, string>;
  const body = input.Body as Buffer;
  const arn = sagemakerArn(ctx.region, ctx.principal.accountId, "endpoint", name);
  ctx.authorize({ action: "sagemaker:InvokeEndpoint", resource: arn });
  const endpoint = sagemakerTable(ctx.store).read(ctx.principal.accountId).endpoints.find((candidate) => candidate.EndpointName === name);
  if (!endpoint) throw validationError(`Endpoint ${name} of account ${ctx.principal.accountId} not found.`);
  if (endpoint.EndpointStatus !== "InService" || !endpoint.deployed) throw validationError(`Endpoint ${name} is not in service (status ${endpoint.EndpointStatus}).`);
  if (body.length > MAX_PAYLOAD_BYTES) throw validationError(`Received payload of ${body.length} bytes; InvokeEndpoint accepts at most ${MAX_PAYLOAD_BYTES} bytes (6 MB).`);

  const contentType = (headers["content-type"] ?? "text/csv").split(";")[0]!.trim().toLowerCase();
  const accept = (headers.accept ?? contentType).split(",")[0]!.split(";")[0]!.trim().toLowerCase();
  const served = await servedModel(ctx, endpoint);
  const rows = readRows(body.toString("utf8"), contentType, endpoint);
  let predictions: Prediction[];
  try {
    predictions = served.model.predict(rows);
  } catch (error) {
    if (error instanceof AutoMLInputError) throw modelError(error.message, endpoint);
    throw error;
  }
  const answer = accept === "application/json" || accept === "application/jsonlines" ? jsonAnswer(predictions, served.outputKeys) : csvAnswer(predictions, served.outputKeys);
  return {
    headers: { "content-type": accept === "application/json" ? "application/json" : "text/csv", "x-amzn-invoked-production-variant": endpoint.deployed.VariantName },
    body: Buffer.from(answer, "utf8"),
  };
};

/** text/csv rows without a header, or JSON `{"instances": [{"features": [...]}]}` / `[[...], ...]`. */
function readRows(text: string, contentType: string, endpoint: EndpointRecord): string[][] {
  if (contentType === "text/csv") {
    try {
      return parseCsv(text.replace(/\r?\n$/, ""));
    } catch (error) {
      throw modelError(`Could not parse the payload as CSV: ${(error as Error).message}`, endpoint);
    }
  }
  if (contentType === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw modelError("The payload is not valid JSON.", endpoint);
    }
    const instances = Array.isArray(parsed) ? parsed : (parsed as { instances?: unknown }).instances;
    if (!Array.isArray(instances)) throw modelError('JSON payloads are {"instances": [{"features": [...]}, ...]} or a list of rows.', endpoint);
    return instances.map((instance) => {
      const features = Array.isArray(instance) ? instance : (instance as { features?: unknown }).features;
      if (!Array.isArray(features)) throw modelError("Each JSON instance needs a features list.", endpoint);
      return features.map((value) => (value === null ? "" : String(value)));
    });
  }
  throw modelError(`Content type ${contentType} is not supported; send text/csv or application/json.`, endpoint);
}

/** Lists the way Autopilot's containers print them in CSV: [0.1, 0.9] and ['False.', 'True.']. */
function csvValue(prediction: Prediction, key: InferenceKey): string {
  const value = prediction[key];
  if (Array.isArray(value)) return `[${value.map((item) => (typeof item === "string" ? `'${item}'` : String(item))).join(", ")}]`;
  return value === undefined ? "" : String(value);
}

function csvAnswer(predictions: Prediction[], keys: InferenceKey[]): string {
  return predictions.map((prediction) => formatCsvRow(keys.map((key) => csvValue(prediction, key)))).join("\n") + "\n";
}

function jsonAnswer(predictions: Prediction[], keys: InferenceKey[]): string {
  return JSON.stringify({ predictions: predictions.map((prediction) => Object.fromEntries(keys.map((key) => [key, prediction[key]]))) });
}

export const sagemakerRuntimeService: ServiceDefinition = {
  signingName: "sagemaker",
  protocol: "restJson1",
  paths: [{ operation: "InvokeEndpoint", method: "POST", segments: ["endpoints", "{EndpointName}", "invocations"] }],
  operations: { InvokeEndpoint: invokeEndpoint },
};
