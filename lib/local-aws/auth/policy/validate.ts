import { parseDate, parseOperatorName } from "./conditionOperators.ts";
import { POLICY_SIZE_LIMITS, policySize } from "./limits.ts";
import { listOf } from "./lists.ts";
import type { PolicyDocument, PolicyKind, PolicyStatement } from "./types.ts";

export type PolicyErrorCode = "MalformedPolicyDocument" | "MalformedPolicy" | "LimitExceeded";

/** A rejected policy document, with the error code and message AWS answers with. */
export class PolicyDocumentError extends Error {
  override readonly name = "PolicyDocumentError";

  constructor(
    message: string,
    readonly code: PolicyErrorCode,
  ) {
    super(message);
  }
}

export interface ParseOptions {
  /** Enforce the managed-policy size quota (CreatePolicy, CreatePolicyVersion). Inline-policy quotas are
   *  per entity and summed, so callers check those themselves with policySize(). */
  readonly managedPolicy?: boolean;
}

/**
 * IAM (identity, trust) and S3 (resource) word the same faults differently; these are the wordings
 * the services give. Faults without an entry here are worded alike.
 */
interface KindMessages {
  readonly errorCode: PolicyErrorCode;
  readonly invalidJson: string;
  readonly syntax: string;
  readonly missingStatement: string;
  readonly emptyStatement: string;
  readonly missingAction: string;
  readonly invalidAction: ((detail: string) => string) | string;
  readonly invalidResource: ((resource: string) => string) | string;
  readonly invalidConditionKey: string;
  readonly invalidPrincipal: (type: string, value: string) => string;
}

const IAM_SYNTAX = "Syntax errors in policy.";
const IAM_VENDOR = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
const iamInvalidPrincipal = (type: string, value: string) => `Invalid principal in policy: "${type}":"${value}"`;

const MESSAGES: Readonly<Record<PolicyKind, KindMessages>> = {
  identity: {
    errorCode: "MalformedPolicyDocument",
    invalidJson: IAM_SYNTAX,
    syntax: IAM_SYNTAX,
    missingStatement: IAM_SYNTAX,
    emptyStatement: IAM_SYNTAX,
    missingAction: "Policy statement must contain actions.",
    invalidAction: (detail) => detail,
    invalidResource: (resource) => `Resource ${resource} must be in ARN format or "*".`,
    invalidConditionKey: IAM_VENDOR,
    invalidPrincipal: iamInvalidPrincipal,
  },
  trust: {
    errorCode: "MalformedPolicyDocument",
    invalidJson: "This policy contains invalid Json",
    syntax: IAM_SYNTAX,
    missingStatement: "Missing required field Statement",
    emptyStatement: "Could not parse the policy: Statement is empty!",
    missingAction: "Missing required field Action",
    invalidAction: (detail) => detail,
    invalidResource: (resource) => `Resource ${resource} must be in ARN format or "*".`,
    invalidConditionKey: IAM_VENDOR,
    invalidPrincipal: iamInvalidPrincipal,
  },
  resource: {
    errorCode: "MalformedPolicy",
    invalidJson: "Policies must be valid JSON and the first byte must be '{'",
    syntax: "Invalid policy syntax.",
    missingStatement: "Missing required field Statement",
    emptyStatement: "Could not parse the policy: Statement is empty!",
    missingAction: "Missing required field Action",
    invalidAction: "Policy has invalid action",
    invalidResource: "Policy has invalid resource",
    invalidConditionKey: "Policy has an invalid condition key",
    invalidPrincipal: () => "Invalid principal in policy",
  },
};

const TOP_LEVEL_FIELDS = new Set(["Version", "Id", "Statement"]);
const STATEMENT_FIELDS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition"]);
const EXCLUSIVE_FIELDS = [["Action", "NotAction"], ["Resource", "NotResource"], ["Principal", "NotPrincipal"]] as const;
const VERSIONS = new Set(["2008-10-17", "2012-10-17"]);
const CURRENT_VERSION = "2012-10-17";
const PRINCIPAL_TYPES = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);
const VENDOR = /^[a-zA-Z0-9.-]+$/;
const DATE_OPERATOR = /^(ForAnyValue:|ForAllValues:)?Date/i;
const AWS_PRINCIPAL =
  /^(\d{12}|arn:[a-z-]+:iam::\d{12}:(root|user\/[\w+=,.@/-]+|role\/[\w+=,.@/-]+)|arn:[a-z-]+:sts::\d{12}:(assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+|federated-user\/[\w+=,.@-]+)|A[A-Z0-9]{15,127})$/;
const SERVICE_PRINCIPAL = /^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/;
const ARN_SEPARATORS = 5;

/**
 * Parses and validates a policy document the way IAM (identity and trust policies) or S3 (resource
 * policies) would before storing it. Accepts plain JSON and the URL-encoded form IAM returns.
 * @throws PolicyDocumentError with AWS's message.
 */
export function parsePolicyDocument(text: string, kind: PolicyKind, options: ParseOptions = {}): PolicyDocument {
  const checker = new DocumentChecker(kind);
  const json = decodePolicyText(text);
  const document = checker.checkStructure(checker.parse(json));
  checker.checkSemantics(document);
  checker.checkSize(json, options);
  return document;
}

/** The JSON of a submitted document, which IAM also accepts URL-encoded (the form it returns). */
export function decodePolicyText(text: string): string {
  if (!/^\s*%7B/i.test(text)) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

type JsonObject = Record<string, unknown>;

class DocumentChecker {
  private readonly messages: KindMessages;

  constructor(private readonly kind: PolicyKind) {
    this.messages = MESSAGES[kind];
  }

  parse(json: string): JsonObject {
    let document: unknown;
    try {
      document = JSON.parse(json);
    } catch {
      this.fail(this.messages.invalidJson);
    }
    if (!isObject(document)) this.fail(this.messages.invalidJson);
    return document;
  }

  /** The grammar: field names, JSON types, exclusive pairs, known condition operators. */
  checkStructure(document: JsonObject): PolicyDocument {
    this.require(Object.keys(document).every((field) => TOP_LEVEL_FIELDS.has(field)));
    this.require(document.Version === undefined || (typeof document.Version === "string" && VERSIONS.has(document.Version)));
    this.require(document.Id === undefined || typeof document.Id === "string");
    if (document.Statement === undefined) this.fail(this.messages.missingStatement);
    this.require(isObject(document.Statement) || Array.isArray(document.Statement));
    const statements = listOf(document.Statement);
    if (statements.length === 0) this.fail(this.messages.emptyStatement);
    for (const statement of statements) this.checkStatementStructure(statement);
    return document as unknown as PolicyDocument;
  }

  private checkStatementStructure(statement: unknown): void {
    this.require(isObject(statement));
    this.require(Object.keys(statement).every((field) => STATEMENT_FIELDS.has(field)));
    this.require(EXCLUSIVE_FIELDS.every(([one, other]) => statement[one] === undefined || statement[other] === undefined));
    this.require(typeof statement.Effect === "string" && /^(allow|deny)$/i.test(statement.Effect));
    this.require(statement.Sid === undefined || typeof statement.Sid === "string");
    for (const field of ["Action", "NotAction", "Resource", "NotResource"]) {
      this.require(statement[field] === undefined || isStringOrStrings(statement[field]));
    }
    this.require(statement.Condition === undefined || this.isCondition(statement.Condition));
  }

  private isCondition(condition: unknown): boolean {
    return (
      isObject(condition) &&
      Object.entries(condition).every(
        ([operator, keys]) =>
          parseOperatorName(operator) !== undefined && isObject(keys) && Object.values(keys).every(isConditionValue),
      )
    );
  }

  /** What the grammar allows but AWS rejects anyway, checked in the order IAM reports faults. */
  checkSemantics(document: PolicyDocument): void {
    if (this.kind === "identity" && document.Version !== CURRENT_VERSION) {
      this.fail("Policy document must be version 2012-10-17 or greater.");
    }
    const statements = listOf(document.Statement);
    statements.forEach((statement) => this.checkLegacyParsing(statement));
    const sids = statements.map((statement) => statement.Sid).filter((sid) => sid);
    if (new Set(sids).size !== sids.length) this.fail("Statement IDs (SID) in a single policy must be unique.");
    const checks: Array<(statement: PolicyStatement) => void> = [
      (statement) => this.checkPrincipalPresence(statement),
      (statement) => this.checkActionPresence(statement),
      (statement) => this.checkResources(statement),
      (statement) => this.checkActionFormats(statement),
      (statement) => this.checkConditionKeys(statement),
      (statement) => this.checkPrincipals(statement),
    ];
    for (const check of checks) statements.forEach(check);
  }

  checkSize(json: string, options: ParseOptions): void {
    const size = policySize(json);
    if (this.kind === "trust" && size > POLICY_SIZE_LIMITS.roleTrustPolicy) {
      this.fail(`Cannot exceed quota for ACLSizePerRole: ${POLICY_SIZE_LIMITS.roleTrustPolicy}`, "LimitExceeded");
    }
    if (options.managedPolicy && size > POLICY_SIZE_LIMITS.managedPolicy) {
      this.fail(`Cannot exceed quota for PolicySize: ${POLICY_SIZE_LIMITS.managedPolicy}`, "LimitExceeded");
    }
  }

  /** IAM's older parser insists on exact-case effects, parseable dates and six-part ARNs. */
  private checkLegacyParsing(statement: PolicyStatement): void {
    const legacyFailure = "The policy failed legacy parsing";
    if (statement.Effect !== "Allow" && statement.Effect !== "Deny") this.fail(legacyFailure);
    for (const [operator, keys] of Object.entries(statement.Condition ?? {})) {
      const values = Object.values(keys).flatMap((value) => listOf(value));
      if (DATE_OPERATOR.test(operator) && values.some((value) => parseDate(String(value)) === undefined)) this.fail(legacyFailure);
    }
    const resources = [...listOf(statement.Resource), ...listOf(statement.NotResource)];
    if (resources.some((resource) => resource.startsWith("arn:") && colonCount(resource) < ARN_SEPARATORS)) {
      this.fail(legacyFailure);
    }
  }

  private checkPrincipalPresence(statement: PolicyStatement): void {
    const principal = statement.Principal ?? statement.NotPrincipal;
    if (this.kind === "identity") {
      if (principal !== undefined) this.fail("Policy document should not specify a principal.");
      return;
    }
    // AWS: NotPrincipal is not supported in role trust policies.
    if (this.kind === "trust" && statement.NotPrincipal !== undefined) this.fail("Has prohibited field NotPrincipal");
    if (principal === undefined) this.fail("Missing required field Principal");
    if (isObject(principal) && Object.keys(principal).length === 0) this.fail("Missing required field Principal cannot be empty!");
  }

  private checkActionPresence(statement: PolicyStatement): void {
    if (listOf(statement.Action ?? statement.NotAction).length === 0) this.fail(this.messages.missingAction);
  }

  private checkActionFormats(statement: PolicyStatement): void {
    const actions = listOf(statement.Action ?? statement.NotAction);
    for (const action of actions) {
      const problem = actionProblem(action);
      if (problem) this.fail(worded(this.messages.invalidAction, problem));
    }
    if (this.kind === "trust" && !actions.every((action) => action.toLowerCase().startsWith("sts:"))) {
      this.fail("AssumeRole policy may only specify STS AssumeRole actions.");
    }
  }

  private checkResources(statement: PolicyStatement): void {
    const field = statement.Resource !== undefined ? "Resource" : "NotResource";
    const resources = listOf(statement[field]);
    if (this.kind === "trust") {
      if (statement[field] !== undefined) this.fail(`Has prohibited field ${field}`);
      return;
    }
    if (this.kind === "identity" && resources.length === 0) this.fail("Policy statement must contain resources.");
    const invalid = resources.find((resource) => resource !== "*" && !resource.startsWith("arn:"));
    if (invalid !== undefined) this.fail(worded(this.messages.invalidResource, invalid));
  }

  private checkConditionKeys(statement: PolicyStatement): void {
    const keys = Object.values(statement.Condition ?? {}).flatMap((block) => Object.keys(block));
    if (keys.some((key) => !key.includes(":"))) this.fail(this.messages.invalidConditionKey);
  }

  /** AWS accepts "*" but no partial wildcards in principals, and only known principal forms. */
  private checkPrincipals(statement: PolicyStatement): void {
    const principal = statement.Principal ?? statement.NotPrincipal;
    if (principal === undefined || principal === "*") return;
    if (!isObject(principal)) this.fail(this.messages.invalidPrincipal("AWS", String(principal)));
    for (const [type, values] of Object.entries(principal)) {
      if (!PRINCIPAL_TYPES.has(type) || !isStringOrStrings(values)) this.fail(this.messages.invalidPrincipal(type, String(values)));
      const invalid = listOf(values).find((value) => !isValidPrincipal(type, value));
      if (invalid !== undefined) this.fail(this.messages.invalidPrincipal(type, invalid));
    }
  }

  private require(condition: boolean): asserts condition {
    if (!condition) this.fail(this.messages.syntax);
  }

  private fail(message: string, code: PolicyErrorCode = this.messages.errorCode): never {
    throw new PolicyDocumentError(message, code);
  }
}

function actionProblem(action: string): string | undefined {
  if (action === "*") return undefined;
  const parts = action.split(":");
  if (parts.length === 1) return IAM_VENDOR;
  if (parts.length > 2) return "Actions/Condition can contain only one colon.";
  return VENDOR.test(parts[0]!) ? undefined : `Vendor ${parts[0]} is not valid`;
}

function isValidPrincipal(type: string, value: string): boolean {
  if (type === "AWS") return value === "*" || AWS_PRINCIPAL.test(value);
  if (type === "Service") return SERVICE_PRINCIPAL.test(value);
  return value.length > 0;
}

function worded(message: ((detail: string) => string) | string, detail: string): string {
  return typeof message === "string" ? message : message(detail);
}

function colonCount(text: string): number {
  return text.split(":").length - 1;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringOrStrings(value: unknown): value is string | string[] {
  return typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string"));
}

function isConditionValue(value: unknown): boolean {
  const isScalar = (item: unknown) => ["string", "number", "boolean"].includes(typeof item);
  return isScalar(value) || (Array.isArray(value) && value.every(isScalar));
}
