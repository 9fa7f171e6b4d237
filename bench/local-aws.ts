import { Agent, get } from "node:http";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { startLocalAws, CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "../lib/local-aws/index.ts";
import { report, throughput } from "./measure.ts";

/** Requests per second of the local AWS: signed GetCallerIdentity and AssumeRole, against an unsigned health check. */
export async function benchLocalAws(): Promise<void> {
  const aws = await startLocalAws();
  try {
    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const health = () =>
      new Promise<void>((resolve, reject) => {
        get(`${aws.endpoint}/_local/health`, { agent }, (response) => response.resume().on("end", resolve)).on("error", reject);
      });
    const common = { endpoint: aws.endpoint, region: aws.region };
    const customerSts = new STSClient({ ...common, credentials: aws.credentials.customer_config! });
    const saasSts = new STSClient({ ...common, credentials: aws.credentials.saas_config! });
    await new IAMClient({ ...common, credentials: aws.credentials.customer_config! }).send(
      new CreateRoleCommand({
        RoleName: "bench_role",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${SAAS_ACCOUNT_ID}:user/saas_config` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "bench" } } }],
        }),
      }),
    );
    const roleArn = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/bench_role`;
    await new IAMClient({ ...common, credentials: aws.credentials.saas_config! }).send(
      new PutUserPolicyCommand({
        UserName: "saas_config",
        PolicyName: "assume_bench_role",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }] }),
      }),
    );

    const baseline = await throughput(health);
    const callerIdentity = await throughput(() => customerSts.send(new GetCallerIdentityCommand({})));
    const assumeRole = await throughput(() => saasSts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "bench", ExternalId: "bench" })));
    console.log("local-aws (8 concurrent clients, 3 s each)");
    report([
      { name: "GET /_local/health (unsigned, no SDK)", perSecond: baseline },
      { name: "sts:GetCallerIdentity (SDK, SigV4 verified)", perSecond: callerIdentity, baseline },
      { name: "sts:AssumeRole cross-account + ExternalId", perSecond: assumeRole, baseline },
    ]);
    agent.destroy();
  } finally {
    await aws.stop();
  }
}
