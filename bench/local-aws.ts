import { Agent, get } from "node:http";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { CreateRoleCommand, IAMClient, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { CUSTOMER_ACCOUNT_ID, SAAS_ACCOUNT_ID } from "../lib/local-aws/index.ts";
import { processCpuSeconds, report, throughput, type BenchRow } from "./measure.ts";
import { spawnLocalAws } from "./server-process.ts";

/**
 * Requests per second of the local AWS, run as its own process (as `npm run local-aws` runs it)
 * so the SDK clients generating the load do not share its thread: signed GetCallerIdentity and
 * cross-account AssumeRole, against an unsigned health check as the baseline.
 */
export async function benchLocalAws(): Promise<void> {
  const server = await spawnLocalAws();
  const { endpoint, credentials: credentialsOf } = server;
  try {
    const common = { endpoint, region: "us-east-1" };
    const customerSts = new STSClient({ ...common, credentials: credentialsOf("customer_config") });
    const saasSts = new STSClient({ ...common, credentials: credentialsOf("saas_config") });
    const roleArn = `arn:aws:iam::${CUSTOMER_ACCOUNT_ID}:role/bench_role`;
    await new IAMClient({ ...common, credentials: credentialsOf("customer_config") }).send(
      new CreateRoleCommand({
        RoleName: "bench_role",
        AssumeRolePolicyDocument: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${SAAS_ACCOUNT_ID}:root` }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "bench" } } }],
        }),
      }),
    );
    await new IAMClient({ ...common, credentials: credentialsOf("saas_config") }).send(
      new PutUserPolicyCommand({
        UserName: "saas_config",
        PolicyName: "assume_bench_role",
        PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Resource: roleArn }] }),
      }),
    );

    const agent = new Agent({ keepAlive: true, maxSockets: 8 });
    const health = () =>
      new Promise<void>((resolve, reject) => {
        get(`${endpoint}/_local/health`, { agent }, (response) => response.resume().on("end", resolve)).on("error", reject);
      });
    const measure = async (name: string, task: () => Promise<unknown>): Promise<BenchRow> => {
      const cpuBefore = processCpuSeconds(server.pid);
      const { perSecond, calls } = await throughput(task);
      return { name, perSecond, serverCpuMicros: ((processCpuSeconds(server.pid) - cpuBefore) * 1e6) / calls };
    };
    const rows = [
      await measure("GET /_local/health (unsigned)", health),
      await measure("sts:GetCallerIdentity (SigV4 verified)", () => customerSts.send(new GetCallerIdentityCommand({}))),
      await measure("sts:AssumeRole cross-account + ExternalId", () =>
        saasSts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "bench", ExternalId: "bench" })),
      ),
    ];
    agent.destroy();
    console.log("local-aws in its own process, state persisted; load from SDK v3 clients in this process (8 concurrent, 3 s each)");
    report(rows);
  } finally {
    server.stop();
  }
}
