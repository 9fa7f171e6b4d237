import type { Operation, OperationContext, OperationInput } from "../../service.ts";
import { deployContext } from "./context.ts";
import { startDeletion, startDeployment } from "./deploy.ts";
import { loadedModels, SAGEMAKER_PRINCIPAL } from "./inference.ts";
import { invalid, listField, NAME_CONTAINS, objectField, optionalInteger, optionalString, requiredString, RESOURCE_NAME, ROLE_ARN, S3_URI, stringMap } from "./input.ts";
import { paginate } from "./pagination.ts";
import { endpointConfigNamed, endpointNamed, inRegion, modelNamed, sagemakerArn, sagemakerTable, type ContainerRecord, type EndpointRecord, type ModelRecord, type SageMakerState } from "./state.ts";

const IMAGE = /^[\S]{1,255}$/;

const arnOf = (ctx: OperationContext, kind: string, name: string) => sagemakerArn(ctx.region, ctx.principal.accountId, kind, name);
const state = (ctx: OperationContext) => sagemakerTable(ctx.store).read(ctx.principal.accountId);
const update = <R>(ctx: OperationContext, change: (s: SageMakerState) => R) => sagemakerTable(ctx.store).update(ctx.principal.accountId, change);

function container(spec: Record<string, unknown>, path: string): ContainerRecord {
  const modelDataUrl = optionalString(spec, "ModelDataUrl", S3_URI, `${path}.modelDataUrl`);
  const environment = stringMap(spec, "Environment", 100, `${path}.environment`);
  return { Image: requiredString(spec, "Image", IMAGE, `${path}.image`), ...(modelDataUrl ? { ModelDataUrl: modelDataUrl } : {}), ...(environment ? { Environment: environment } : {}) };
}

/** The caller must be allowed to pass the role to SageMaker (the iam:PassRole condition of AmazonSageMakerFullAccess applies). */
export function authorizePassRole(ctx: OperationContext, roleArn: string): void {
  ctx.authorize({ action: "iam:PassRole", resource: roleArn, resourceAccount: roleArn.split(":")[4]!, context: { "iam:PassedToService": SAGEMAKER_PRINCIPAL } });
}

const createModel: Operation = (ctx, input) => {
  const name = requiredString(input, "ModelName", RESOURCE_NAME);
  const roleArn = requiredString(input, "ExecutionRoleArn", ROLE_ARN);
  const primary = objectField(input, "PrimaryContainer");
  const listed = listField(input, "Containers", 0, 15);
  if (!primary && listed.length === 0) throw invalid("Either PrimaryContainer or Containers must be provided.");
  if (primary && listed.length > 0) throw invalid("PrimaryContainer and Containers cannot both be provided.");
  const containers = primary ? [container(primary, "primaryContainer")] : listed.map((spec, i) => container(spec, `containers.${i + 1}.member`));
  const arn = arnOf(ctx, "model", name);
  ctx.authorize({ action: "sagemaker:CreateModel", resource: arn });
  authorizePassRole(ctx, roleArn);
  const record: ModelRecord = { ModelName: name, ModelArn: arn, ExecutionRoleArn: roleArn, containers, shape: primary ? "PrimaryContainer" : "Containers", CreationTime: ctx.now().toISOString() };
  update(ctx, (s) => {
    if (modelNamed(s, ctx.region, name)) throw invalid(`Cannot create already existing model "${arn}".`);
    s.models.push(record);
  });
  return { ModelArn: arn };
};

function findModel(ctx: OperationContext, name: string): ModelRecord {
  const model = modelNamed(state(ctx), ctx.region, name);
  if (!model) throw invalid(`Could not find model "${arnOf(ctx, "model", name)}".`);
  return model;
}

const describeModel: Operation = (ctx, input) => {
  const name = requiredString(input, "ModelName", RESOURCE_NAME);
  ctx.authorize({ action: "sagemaker:DescribeModel", resource: arnOf(ctx, "model", name) });
  const model = findModel(ctx, name);
  return {
    ModelName: model.ModelName,
    ModelArn: model.ModelArn,
    ExecutionRoleArn: model.ExecutionRoleArn,
    CreationTime: new Date(model.CreationTime),
    ...(model.shape === "PrimaryContainer" ? { PrimaryContainer: model.containers[0] } : { Containers: model.containers }),
  };
};

const deleteModel: Operation = (ctx, input) => {
  const name = requiredString(input, "ModelName", RESOURCE_NAME);
  ctx.authorize({ action: "sagemaker:DeleteModel", resource: arnOf(ctx, "model", name) });
  findModel(ctx, name);
  update(ctx, (s) => {
    const gone = modelNamed(s, ctx.region, name);
    s.models = s.models.filter((model) => model !== gone);
  });
  return {};
};

const listModels: Operation = (ctx, input) => {
  ctx.authorize({ action: "sagemaker:ListModels", resource: "*" });
  const nameContains = optionalString(input, "NameContains", NAME_CONTAINS);
  const models = state(ctx).models.filter((model) => inRegion(model.ModelArn, ctx.region) && (!nameContains || model.ModelName.includes(nameContains)));
  const page = paginate(input, models);
  return { Models: page.items.map((m) => ({ ModelName: m.ModelName, ModelArn: m.ModelArn, CreationTime: new Date(m.CreationTime) })), NextToken: page.nextToken };
};

const createEndpointConfig: Operation = (ctx, input) => {
  const name = requiredString(input, "EndpointConfigName", RESOURCE_NAME);
  const variants = listField(input, "ProductionVariants", 1, 10).map((variant, i) => {
    const path = `productionVariants.${i + 1}.member`;
    const count = optionalInteger(variant, "InitialInstanceCount", 1, 100, `${path}.initialInstanceCount`);
    const instanceType = optionalString(variant, "InstanceType", /^ml\.[a-z0-9]+\.[a-z0-9]+$/, `${path}.instanceType`);
    const weight = variant.InitialVariantWeight;
    return {
      VariantName: requiredString(variant, "VariantName", RESOURCE_NAME, `${path}.variantName`),
      ModelName: requiredString(variant, "ModelName", RESOURCE_NAME, `${path}.modelName`),
      ...(count !== undefined ? { InitialInstanceCount: count } : {}),
      ...(instanceType ? { InstanceType: instanceType } : {}),
      ...(typeof weight === "number" ? { InitialVariantWeight: weight } : {}),
    };
  });
  const arn = arnOf(ctx, "endpoint-config", name);
  ctx.authorize({ action: "sagemaker:CreateEndpointConfig", resource: arn });
  for (const variant of variants) findModel(ctx, variant.ModelName);
  update(ctx, (s) => {
    if (endpointConfigNamed(s, ctx.region, name)) throw invalid(`Cannot create already existing endpoint configuration "${arn}".`);
    s.endpointConfigs.push({ EndpointConfigName: name, EndpointConfigArn: arn, ProductionVariants: variants, CreationTime: ctx.now().toISOString() });
  });
  return { EndpointConfigArn: arn };
};

function findEndpointConfig(ctx: OperationContext, name: string) {
  const config = endpointConfigNamed(state(ctx), ctx.region, name);
  if (!config) throw invalid(`Could not find endpoint configuration "${arnOf(ctx, "endpoint-config", name)}".`);
  return config;
}

const describeEndpointConfig: Operation = (ctx, input) => {
  const name = requiredString(input, "EndpointConfigName", RESOURCE_NAME);
  ctx.authorize({ action: "sagemaker:DescribeEndpointConfig", resource: arnOf(ctx, "endpoint-config", name) });
  const config = findEndpointConfig(ctx, name);
  return { ...config, CreationTime: new Date(config.CreationTime) };
};

const listEndpointConfigs: Operation = (ctx, input) => {
  ctx.authorize({ action: "sagemaker:ListEndpointConfigs", resource: "*" });
  const nameContains = optionalString(input, "NameContains", NAME_CONTAINS);
  const configs = state(ctx).endpointConfigs.filter((config) => inRegion(config.EndpointConfigArn, ctx.region) && (!nameContains || config.EndpointConfigName.includes(nameContains)));
  const page = paginate(input, configs);
  return { EndpointConfigs: page.items.map((c) => ({ EndpointConfigName: c.EndpointConfigName, EndpointConfigArn: c.EndpointConfigArn, CreationTime: new Date(c.CreationTime) })), NextToken: page.nextToken };
};

const deleteEndpointConfig: Operation = (ctx, input) => {
  const name = requiredString(input, "EndpointConfigName", RESOURCE_NAME);
  ctx.authorize({ action: "sagemaker:DeleteEndpointConfig", resource: arnOf(ctx, "endpoint-config", name) });
  findEndpointConfig(ctx, name);
  update(ctx, (s) => {
    const gone = endpointConfigNamed(s, ctx.region, name);
    s.endpointConfigs = s.endpointConfigs.filter((config) => config !== gone);
  });
  return {};
};

/** Starts serving the config's first variant. */
function deployConfig(ctx: OperationContext, endpointName: string, configName: string): void {
  const config = findEndpointConfig(ctx, configName);
  const variant = config.ProductionVariants[0]!;
  startDeployment(deployContext(ctx), ctx.principal.accountId, endpointName, findModel(ctx, variant.ModelName), variant.VariantName);
}

const createEndpoint: Operation = (ctx, input) => {
  const name = requiredString(input, "EndpointName", RESOURCE_NAME);
  const configName = requiredString(input, "EndpointConfigName", RESOURCE_NAME);
  const arn = arnOf(ctx, "endpoint", name);
  ctx.authorize({ action: "sagemaker:CreateEndpoint", resource: arn });
  findEndpointConfig(ctx, configName);
  const now = ctx.now().toISOString();
  update(ctx, (s) => {
    if (endpointNamed(s, ctx.region, name)) throw invalid(`Cannot create already existing endpoint "${arn}".`);
    s.endpoints.push({ EndpointName: name, EndpointArn: arn, EndpointConfigName: configName, EndpointStatus: "Creating", CreationTime: now, LastModifiedTime: now });
  });
  deployConfig(ctx, name, configName);
  return { EndpointArn: arn };
};

export function findEndpoint(ctx: OperationContext, name: string): EndpointRecord {
  const endpoint = endpointNamed(state(ctx), ctx.region, name);
  if (!endpoint) throw invalid(`Could not find endpoint "${name}".`);
  return endpoint;
}

function endpointView(endpoint: EndpointRecord) {
  return {
    EndpointName: endpoint.EndpointName,
    EndpointArn: endpoint.EndpointArn,
    EndpointConfigName: endpoint.EndpointConfigName,
    EndpointStatus: endpoint.EndpointStatus,
    FailureReason: endpoint.FailureReason,
    CreationTime: new Date(endpoint.CreationTime),
    LastModifiedTime: new Date(endpoint.LastModifiedTime),
  };
}

const describeEndpoint: Operation = (ctx, input) => {
  const name = requiredString(input, "EndpointName", RESOURCE_NAME);
  ctx.authorize({ action: "sagemaker:DescribeEndpoint", resource: arnOf(ctx, "endpoint", name) });
  const endpoint = findEndpoint(ctx, name);
  const deployed = endpoint.deployed;
  return {
    ...endpointView(endpoint),
    ProductionVariants: deployed
      ? [{ VariantName: deployed.VariantName, CurrentWeight: 1, DesiredWeight: 1, CurrentInstanceCount: 1, DesiredInstanceCount: 1, DeployedImages: deployed.model.containers.map((c) => ({ SpecifiedImage: c.Image, ResolvedImage: c.Image })) }]
      : undefined,
  };
};

const updateEndpoint: Operation = (ctx, input) => {
  const name = requiredString(input, "EndpointName", RESOURCE_NAME);
  const configName = requiredString(input, "EndpointConfigName", RESOURCE_NAME);
  ctx.authorize({ action: "sagemaker:UpdateEndpoint", resource: arnOf(ctx, "endpoint", name) });
  const endpoint = findEndpoint(ctx, name);
  if (endpoint.EndpointStatus !== "InService" && endpoint.EndpointStatus !== "Failed") {
    throw invalid(`Cannot update in-progress endpoint "${endpoint.EndpointArn}".`);
  }
  findEndpointConfig(ctx, configName);
  update(ctx, (s) => {
    const record = endpointNamed(s, ctx.region, name)!;
    record.EndpointConfigName = configName;
    record.EndpointStatus = "Updating";
    record.LastModifiedTime = ctx.now().toISOString();
  });
  deployConfig(ctx, name, configName);
  return { EndpointArn: endpoint.EndpointArn };
};

const deleteEndpoint: Operation = (ctx, input) => {
  const name = requiredString(input, "EndpointName", RESOURCE_NAME);
  ctx.authorize({ action: "sagemaker:DeleteEndpoint", resource: arnOf(ctx, "endpoint", name) });
  const endpoint = findEndpoint(ctx, name);
  // SageMaker refuses to delete an endpoint while it is being created, updated or deleted (the
  // API reference is silent; this is the ValidationException AWS answers).
  if (endpoint.EndpointStatus === "Creating" || endpoint.EndpointStatus === "Updating" || endpoint.EndpointStatus === "Deleting") {
    throw invalid(`Cannot update in-progress endpoint "${endpoint.EndpointArn}".`);
  }
  update(ctx, (s) => {
    const record = endpointNamed(s, ctx.region, name)!;
    record.EndpointStatus = "Deleting";
    record.LastModifiedTime = ctx.now().toISOString();
  });
  loadedModels(ctx.store).delete(endpoint.EndpointArn);
  startDeletion(deployContext(ctx), ctx.principal.accountId, name);
  return {};
};

const listEndpoints: Operation = (ctx, input: OperationInput) => {
  ctx.authorize({ action: "sagemaker:ListEndpoints", resource: "*" });
  const nameContains = optionalString(input, "NameContains", NAME_CONTAINS);
  const status = optionalString(input, "StatusEquals", /^(OutOfService|Creating|Updating|SystemUpdating|RollingBack|InService|Deleting|Failed|UpdateRollbackFailed)$/);
  const endpoints = state(ctx).endpoints.filter((e) => inRegion(e.EndpointArn, ctx.region) && (!nameContains || e.EndpointName.includes(nameContains)) && (!status || e.EndpointStatus === status));
  const page = paginate(input, endpoints);
  const summary = ({ EndpointName, EndpointArn, CreationTime, LastModifiedTime, EndpointStatus }: EndpointRecord) => ({
    EndpointName,
    EndpointArn,
    CreationTime: new Date(CreationTime),
    LastModifiedTime: new Date(LastModifiedTime),
    EndpointStatus,
  });
  return { Endpoints: page.items.map(summary), NextToken: page.nextToken };
};

export const hostingOperations = {
  CreateModel: createModel,
  DescribeModel: describeModel,
  DeleteModel: deleteModel,
  ListModels: listModels,
  CreateEndpointConfig: createEndpointConfig,
  DescribeEndpointConfig: describeEndpointConfig,
  ListEndpointConfigs: listEndpointConfigs,
  DeleteEndpointConfig: deleteEndpointConfig,
  CreateEndpoint: createEndpoint,
  DescribeEndpoint: describeEndpoint,
  UpdateEndpoint: updateEndpoint,
  DeleteEndpoint: deleteEndpoint,
  ListEndpoints: listEndpoints,
};
