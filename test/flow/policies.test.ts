import { describe, expect, it } from "vitest";
import {
  assumeRolePolicy,
  bucketGrantPolicy,
  crossAccountRolePolicy,
  crossAccountTrustPolicy,
  customerS3Policy,
  executionTrustPolicy,
  saasS3Policy,
  trustPolicy,
} from "../../lib/flow/policies.ts";

const ROLE = "arn:aws:iam::111111111111:role/customer_trusting_saas";

describe("policy documents", () => {
  it("trusts the SaaS account only with the ExternalId, and SageMaker", () => {
    expect(trustPolicy("222222222222", "abc123")).toEqual({
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: { AWS: "arn:aws:iam::222222222222:root" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "abc123" } } },
        { Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" },
      ],
    });
  });

  it("lets the role read the SaaS bucket and delete the default bucket", () => {
    expect(customerS3Policy("saas-bucket", "sagemaker-us-east-1-111111111111").Statement).toEqual([
      { Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: ["arn:aws:s3:::saas-bucket", "arn:aws:s3:::saas-bucket/*"] },
      { Effect: "Allow", Action: ["s3:DeleteBucket"], Resource: "arn:aws:s3:::sagemaker-us-east-1-111111111111" },
    ]);
  });

  it("lets the SaaS group assume exactly the customer's role", () => {
    expect(assumeRolePolicy(ROLE).Statement).toEqual([{ Effect: "Allow", Action: "sts:AssumeRole", Resource: ROLE }]);
  });

  it("lets the SaaS user read the sample data and manage only its own bucket", () => {
    const resources = saasS3Policy("saas-bucket").Statement.map((statement) => statement.Resource);
    expect(resources).toEqual(["arn:aws:s3:::sagemaker-sample-files/*", "arn:aws:s3:::saas-bucket", "arn:aws:s3:::saas-bucket/*"]);
  });

  it("grants the role GetObject under a prefix, and ListBucket only for the direct path", () => {
    const copy = bucketGrantPolicy("saas-bucket", ROLE, "autopilot-churn/train/", false);
    expect(copy.Statement).toEqual([{ Effect: "Allow", Principal: { AWS: ROLE }, Action: "s3:GetObject", Resource: "arn:aws:s3:::saas-bucket/autopilot-churn/train/*" }]);
    const direct = bucketGrantPolicy("saas-bucket", ROLE, "autopilot-churn/train/", true);
    expect(direct.Statement[1]).toEqual({ Effect: "Allow", Principal: { AWS: ROLE }, Action: "s3:ListBucket", Resource: "arn:aws:s3:::saas-bucket" });
  });

  it("least-privilege: splits the trust between the two roles, and lets the cross-account role pass only the execution role", () => {
    const [saas, sagemaker] = trustPolicy("222222222222", "abc123").Statement;
    expect(crossAccountTrustPolicy("222222222222", "abc123").Statement).toEqual([saas]);
    expect(executionTrustPolicy().Statement).toEqual([sagemaker]);
    const execution = "arn:aws:iam::111111111111:role/customer_sagemaker_execution";
    const transformJobs = "arn:aws:sagemaker:us-east-1:111111111111:transform-job/*";
    const statements = crossAccountRolePolicy(execution, "sagemaker-us-east-1-111111111111", "saas-bucket", transformJobs).Statement;
    expect(statements.filter((statement) => JSON.stringify(statement.Action).includes("iam:"))).toEqual([
      { Effect: "Allow", Action: "iam:PassRole", Resource: execution, Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } } },
    ]);
    expect(JSON.stringify(statements)).not.toContain("sagemaker:*");
    // Batch transform: create, watch and stop the account's transform jobs, and nothing else of them.
    const transform = statements.filter((statement) => JSON.stringify(statement.Action).includes("TransformJob"));
    expect(transform).toEqual([{ Effect: "Allow", Action: ["sagemaker:CreateTransformJob", "sagemaker:DescribeTransformJob", "sagemaker:StopTransformJob"], Resource: transformJobs }]);
  });
});
