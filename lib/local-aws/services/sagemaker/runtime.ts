import { AwsError } from "../../errors.ts";
import type { Operation, OperationContext, ServiceDefinition } from "../../service.ts";
import { loadedModels, loadModel } from "./inference.ts";
import { ContainerFailure, invokeModel, type LoadedModel } from "./serving/model.ts";
import { endpointNamed, sagemakerArn, sagemakerTable, type EndpointRecord } from "./state.ts";

const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

const validationError = (message: string) => new AwsError("ValidationError", message, 400);

function modelError(failure: ContainerFailure, endpoint: EndpointRecord): AwsError {
  const [, , , region, account] = endpoint.EndpointArn.split(":");
  const logGroup = `/aws/sagemaker/Endpoints/${endpoint.EndpointName}`;
  return new AwsError("ModelError", `Received client error (400) from ${failure.hostname} with message "${failure.message}". See ${logGroup} in account ${account} for more information.`, 424, "Sender", {
    OriginalStatusCode: 400,
    OriginalMessage: failure.message,
    LogStreamArn: `arn:aws:logs:${region}:${account}:log-group:${logGroup}`,
  });
}

/** The endpoint's model, loaded now if the server restarted since it was deployed. */
async function servedModel(ctx: OperationContext, endpoint: EndpointRecord): Promise<LoadedModel> {
  const cached = loadedModels(ctx.store).get(endpoint.EndpointArn);
  if (cached) return cached;
  const loaded = await loadModel(ctx.store, ctx.region, ctx.now, endpoint.deployed!.model);
  // Cached only if the endpoint still serves this model: it may have been deleted (and made again) meanwhile.
  const current = sagemakerTable(ctx.store).read(ctx.principal.accountId).endpoints.find((candidate) => candidate.EndpointArn === endpoint.EndpointArn);
  if (current?.EndpointStatus === "InService" && JSON.stringify(current.deployed) === JSON.stringify(endpoint.deployed)) loadedModels(ctx.store).set(endpoint.EndpointArn, loaded);
  return loaded;
}

const invokeEndpoint: Operation = async (ctx, input) => {
  const name = String(input.EndpointName ?? "");
  const headers = (input.Headers ?? {}) as Record<string, string>;
  const body = input.Body as Buffer;
  const arn = sagemakerArn(ctx.region, ctx.principal.accountId, "endpoint", name);
  ctx.authorize({ action: "sagemaker:InvokeEndpoint", resource: arn });
  const endpoint = endpointNamed(sagemakerTable(ctx.store).read(ctx.principal.accountId), ctx.region, name);
  if (!endpoint) throw validationError(`Endpoint ${name} of account ${ctx.principal.accountId} not found.`);
  if (endpoint.EndpointStatus !== "InService" || !endpoint.deployed) throw validationError(`Endpoint ${name} is not in service (status ${endpoint.EndpointStatus}).`);
  if (body.length > MAX_PAYLOAD_BYTES) throw validationError(`Received payload of ${body.length} bytes; InvokeEndpoint accepts at most ${MAX_PAYLOAD_BYTES} bytes (6 MB).`);

  const accept = headers.accept && headers.accept !== "*/*" ? headers.accept : "";
  const model = await servedModel(ctx, endpoint);
  let answer;
  try {
    answer = invokeModel(model, { body, contentType: headers["content-type"] ?? "text/csv", accept });
  } catch (error) {
    if (error instanceof ContainerFailure) throw modelError(error, endpoint);
    throw error;
  }
  return { headers: { "content-type": answer.contentType, "x-amzn-invoked-production-variant": endpoint.deployed.VariantName }, body: answer.body };
};

export const sagemakerRuntimeService: ServiceDefinition = {
  signingName: "sagemaker",
  protocol: "restJson1",
  paths: [{ operation: "InvokeEndpoint", method: "POST", segments: ["endpoints", "{EndpointName}", "invocations"] }],
  operations: { InvokeEndpoint: invokeEndpoint },
};
