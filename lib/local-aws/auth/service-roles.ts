import { AwsError } from "../errors.ts";
import type { Principal } from "../principal.ts";
import type { AuthorizationCheck } from "../service.ts";
import type { Store } from "../store/store.ts";
import { findRoleByArn } from "../services/iam/queries.ts";
import { authorize } from "./authorize.ts";
import { evaluate } from "./policy/evaluate.ts";

/**
 * An AWS service (sagemaker.amazonaws.com) acting as a customer's role, as it does to run a job:
 * the role's trust policy must admit the service; what the service then does is allowed or denied
 * by the role's own policies (and resource policies), like any session of the role.
 */
export class ServiceRoleSession {
  private constructor(
    private readonly store: Store,
    readonly principal: Principal,
    private readonly region: string,
    private readonly now: () => Date,
  ) {}

  static assume(
    store: Store,
    role: { arn: string; servicePrincipal: string; sessionName: string },
    region: string,
    now: () => Date,
  ): ServiceRoleSession {
    const { arn: roleArn, servicePrincipal, sessionName } = role;
    const record = findRoleByArn(store, roleArn, now());
    const cannot = new AwsError("ValidationException", `Could not assume role ${roleArn}. Please ensure that the role exists and allows principal '${servicePrincipal}' to assume the role.`, 400);
    if (!record) throw cannot;
    const trust = evaluate({
      principal: { type: "Service", arn: servicePrincipal },
      action: "sts:AssumeRole",
      resource: record.arn,
      resourceAccount: record.arn.split(":")[4]!,
      identityPolicies: [],
      resourcePolicy: record.assumeRolePolicyDocument,
      context: { "aws:PrincipalServiceName": servicePrincipal },
    });
    if (trust.decision !== "Allow") throw cannot;
    const accountId = record.arn.split(":")[4]!;
    const principal: Principal = {
      kind: "assumed-role",
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${record.roleName}/${sessionName}`,
      userId: `${record.roleId}:${sessionName}`,
      accessKeyId: `service:${servicePrincipal}`,
      roleName: record.roleName,
      roleArn: record.arn,
      roleId: record.roleId,
      sessionName,
    };
    return new ServiceRoleSession(store, principal, region, now);
  }

  /** Throws AccessDenied, naming the role session, unless the role may do it. */
  authorize(check: AuthorizationCheck): void {
    authorize(this.store, { principal: this.principal, region: this.region, sourceIp: "127.0.0.1", secureTransport: true, now: this.now() }, check);
  }
}
